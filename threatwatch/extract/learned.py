"""The learned MUC-4 model: incident types per document and role-filler spans.

A spaCy pipeline (tok2vec + ner + textcat_multilabel) trained by `training.py` on the MUC-4
train split. Only plain dataclasses leave this module; spaCy objects stay inside `extract`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from threatwatch.errors import ConfigError

LEARNED_EXTRACTOR = "threatwatch.muc4_roles.v1"
"""Versioned name of the learned model; recorded as the extractor of what it finds."""

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
"""MUC-4 role names as the GTT files spell them."""

INCIDENT_TYPES = ("attack", "bombing", "kidnapping", "arson", "robbery", "forced work stoppage")
"""MUC-4 incident types, the labels of the document classifier."""

MODEL_DIR = Path(__file__).parent / "models" / "muc4-v1"
"""The committed model inside the package."""

SETTINGS_FILE = "threatwatch.json"
"""File in a model folder holding our own settings (name, casing, tuned thresholds)."""

DEFAULT_RELEVANCE_THRESHOLD = 0.5
"""Lowest best incident-type probability at which a document yields a template."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleSpan:
    """A role filler found in a document; offsets index the text given to `predict`."""

    role: str
    """One of ROLES."""
    start: int
    end: int
    text: str
    """The original text between start and end (original casing)."""
    score: float
    """Confidence in [0, 1]: the document's best incident-type probability (the ner component
    gives no per-span probability), so spans of likely irrelevant documents score low."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocPrediction:
    """What the learned model says about one document."""

    incident_types: dict[str, float]
    """Probability of each of INCIDENT_TYPES being present in the document."""
    roles: tuple[RoleSpan, ...]
    """Role fillers in text order (all of them, whatever the incident-type probabilities)."""


def to_lower_same_offsets(text: str) -> str:
    """Lowercase `text` and turn newlines into spaces, keeping every character offset.

    `str.lower` can change the length of non-ASCII text ("İ" becomes two code points); such
    characters are kept as they are so offsets stay valid for the original text.
    """
    chars = []
    for char in text:
        low = char.lower()
        if char in "\r\n\t\f\v":
            chars.append(" ")
        else:
            chars.append(low if len(low) == 1 else char)
    return "".join(chars)


def to_templates(
    prediction: DocPrediction, *, threshold: float = DEFAULT_RELEVANCE_THRESHOLD
) -> list[dict[str, Any]]:
    """Turn a prediction into GTT-style templates (incident_type + role -> entities).

    One template per relevant document: the most probable incident type, holding every role
    filler as a one-mention entity (lowercased, duplicates removed). A document whose best type
    probability is below `threshold` yields no template.
    """
    if not prediction.incident_types:
        return []
    best_type, best_prob = max(prediction.incident_types.items(), key=lambda item: item[1])
    if best_prob < threshold:
        return []
    template: dict[str, Any] = {"incident_type": best_type}
    for role in ROLES:
        seen: list[str] = []
        for span in prediction.roles:
            string = " ".join(span.text.lower().split())
            if span.role == role and string and string not in seen:
                seen.append(string)
        template[role] = [[string] for string in seen]
    return [template]


class LearnedModel:
    """The trained pipeline plus its tuned settings; load it once and reuse it."""

    def __init__(self, nlp: Language, settings: dict[str, Any]) -> None:
        self._nlp = nlp
        self.name: str = str(settings.get("name", LEARNED_EXTRACTOR))
        """Versioned name of the model, as LEARNED_EXTRACTOR."""
        self.lowercase: bool = bool(settings.get("lowercase", True))
        """Whether the model was trained on lowercased text (input is lowercased to match)."""
        self.threshold: float = float(settings.get("threshold", DEFAULT_RELEVANCE_THRESHOLD))
        """Relevance threshold tuned on the dev split, used by `to_templates`."""

    @classmethod
    def load(cls, path: Path | None = None) -> LearnedModel:
        """Load a model folder written by `train_muc4` (default: the committed model).

        Raises:
            ConfigError: the folder is missing or holds no usable model.
        """
        folder = MODEL_DIR if path is None else Path(path)
        if not (folder / "config.cfg").is_file():
            raise ConfigError(
                f"No learned model at {str(folder)!r}; run `threatwatch train muc4` "
                "or pass the folder of a trained model"
            )
        settings_path = folder / SETTINGS_FILE
        settings: dict[str, Any] = {}
        if settings_path.is_file():
            settings = json.loads(settings_path.read_text(encoding="utf-8"))
        try:
            nlp = spacy.load(folder)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Cannot load the learned model at {str(folder)!r}: {exc}") from exc
        return cls(nlp, settings)

    def predict(self, texts: Sequence[str], *, batch_size: int = 16) -> list[DocPrediction]:
        """Predict incident types and role fillers for each text, in order."""
        prepared = [to_lower_same_offsets(text) if self.lowercase else text for text in texts]
        predictions = []
        for text, doc in zip(texts, self._nlp.pipe(prepared, batch_size=batch_size), strict=True):
            types = {label: float(doc.cats.get(label, 0.0)) for label in INCIDENT_TYPES}
            score = max(types.values()) if types else 0.0
            roles = tuple(
                RoleSpan(
                    role=_role_of_label(ent.label_),
                    start=ent.start_char,
                    end=ent.end_char,
                    text=text[ent.start_char : ent.end_char],
                    score=score,
                )
                for ent in doc.ents
                if _role_of_label(ent.label_)
            )
            predictions.append(DocPrediction(incident_types=types, roles=roles))
        return predictions

    def to_templates(self, prediction: DocPrediction) -> list[dict[str, Any]]:
        """GTT-style templates of a prediction, with this model's tuned threshold."""
        return to_templates(prediction, threshold=self.threshold)


def _role_of_label(label: str) -> str:
    """Map an ner label (PERPIND) back to its role name (PerpInd); '' when unknown."""
    for role in ROLES:
        if role.upper() == label:
            return role
    return ""
