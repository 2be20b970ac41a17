"""The learned MUC-4 model: incident types per document and role-filler spans.

A spaCy pipeline (tok2vec + ner + textcat_multilabel) trained by `training.py` on the MUC-4
train split. Only plain dataclasses leave this module; spaCy objects stay inside `extract`.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from threatwatch.errors import ConfigError
from threatwatch.extract.registry import decode_entities_at_width_one

LEARNED_EXTRACTOR = "threatwatch.muc4_roles.v2"
"""Versioned name of the learned model; recorded as the extractor of what it finds. v2 has v1's
weights and splits a type cued in many sentences into two incidents (`SPLIT_FROM`)."""

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

TYPE_CUES: dict[str, re.Pattern[str]] = {
    "attack": re.compile(r"attack|murder|assassin|massacre|ambush"),
    "bombing": re.compile(r"bomb|dynamit|explosi|explod|blew up|blown up|blast|detonat"),
    "kidnapping": re.compile(r"kidnap|abduct|hostage|captiv|seized"),
    "arson": re.compile(r"arson|set fire|set on fire|burned|torch|incendiar|on fire"),
    "robbery": re.compile(r"\brob|stole|stolen|hold-?up|loot|\btheft|steal"),
    "forced work stoppage": re.compile(r"armed strike|stoppage|\bstrike\b|paralyz"),
}
"""Words that cue each MUC-4 type in lowercased text. A type cued in a sentence that holds a role
filler gets its own template (see `group_templates`); chosen on the dev split (docs/extraction.md)."""

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+|\n[ \t]*\n| {4,}")
"""End of a sentence: stop punctuation and spaces, a blank line, or a paragraph break as
`model_text` writes it (four spaces); wrapped lines are kept."""


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
class Sentence:
    """A sentence of the predicted text and the incident types its words cue."""

    start: int
    end: int
    cues: frozenset[str] = frozenset()
    """Keys of TYPE_CUES found in the sentence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocPrediction:
    """What the learned model says about one document."""

    incident_types: dict[str, float]
    """Probability of each of INCIDENT_TYPES being present in the document."""
    roles: tuple[RoleSpan, ...]
    """Role fillers in text order (all of them, whatever the incident-type probabilities)."""
    sentences: tuple[Sentence, ...] = ()
    """The text's sentences in order (empty: the text counts as one sentence without cues)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnedTemplate:
    """One incident the learned model sees in a document: a MUC-4 type and its role fillers."""

    incident_type: str
    roles: tuple[RoleSpan, ...]


_SPACES = re.compile(r"\s+")


_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .'\-]{0,40}(?:\s*\([A-Z .'\-]{1,30}\))?"  # place: TEL AVIV (ISRAEL)
    r"(?:,\s*[^()\n]{1,25}?(?:\s*\([^()\n]{1,60}\))?"  # date (18 AUG 89), source (AFP)
    r"|\s*\([^()\n]{1,60}\))"  # or the source alone: KABUL (AP)
    r"\s*(?:--|\u2014|\u2013|-)\s*"  # dash
    r"(?:\[[^\]]{1,200}\]\s*)*"  # tags: [REPORT] [ARTURO GUDINO] [TEXT]
)
"""A wire-copy dateline at the start of a text: PLACE, DATE (SOURCE) -- [TAGS]; the training
text (GTT's preprocessing) starts after it."""


def model_text(text: str, *, lowercase: bool = True) -> tuple[str, list[int]]:
    """Return `text` as the model was trained on it, and the origin of each of its characters.

    The training text (GTT's preprocessing of MUC-4) is lowercase, with parentheses for
    brackets, one space between words and four between paragraphs. Here a line break with the
    spaces around it becomes one space, a blank line with the spaces around it four, spaces
    within a line stay, and leading and trailing space is dropped. A wire-copy dateline at the
    start (`_DATELINE`: "SAN SALVADOR, 3 JAN 90 (AFP) -- [TEXT]") is left out, as the training
    text starts after it; the rules still read it. `origin[i]` is the offset in `text` of
    character `i`; a span [a, b) of the result comes from [origin[a], origin[b - 1] + 1) of
    `text`.
    """
    source = to_lower_same_offsets(text) if lowercase else text
    pieces: list[str] = []
    origin: list[int] = []
    dateline = _DATELINE.match(text)
    position = dateline.end() if dateline else 0
    for match in _SPACES.finditer(text, position):
        pieces.append(source[position : match.start()])
        origin.extend(range(position, match.start()))
        if origin and match.end() < len(text):
            run = match.group()
            breaks = run.count("\n")
            gap = run if not breaks else "    " if breaks >= 2 else " "
            pieces.append(gap)
            origin.extend([match.start()] * len(gap))
        position = match.end()
    pieces.append(source[position:])
    origin.extend(range(position, len(text)))
    return "".join(pieces), origin


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split lowercased text into sentences and note the type cues of each.

    A cheap splitter (stop punctuation or a blank line), independent of spaCy, so the model
    alone and the full pipeline group role fillers the same way.
    """
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append((start, match.end()))
        start = match.end()
    if start < len(text):
        sentences.append((start, len(text)))
    return tuple(
        Sentence(
            start=a,
            end=b,
            cues=frozenset(t for t, cue in TYPE_CUES.items() if cue.search(text, a, b)),
        )
        for a, b in sentences
    )


SPLIT_FROM = 3
"""A type cued beside fillers in at least this many sentences is read as two incidents of that
type (`group_templates`); chosen on the dev split after the committed model was trained."""


def group_templates(
    prediction: DocPrediction,
    *,
    threshold: float = DEFAULT_RELEVANCE_THRESHOLD,
    split_from: int | None = SPLIT_FROM,
) -> list[LearnedTemplate]:
    """Return the incidents of a prediction: one per incident type cued beside a role filler,
    two for a type cued in many sentences.

    The document is relevant when its best type probability reaches `threshold`; that type is
    its main incident. Every other type whose cue words share a sentence with a role filler adds
    an incident (a report of a bombing and a kidnapping yields both). The main type is dropped
    when it is a generic "attack" without an attack word beside the fillers while other types
    are cued there. Each incident takes the fillers of the sentences that cue its type; fillers
    in sentences cueing none of the kept types go to the main incident. With one type, every
    filler goes to it.

    A report that cues one type beside fillers in `split_from` sentences or more usually tells
    of several such incidents (two bombings, a kidnapping and a later one). That incident is
    split in two at the widest gap between those sentences (the later gap on a tie): each part
    takes the fillers on its side. `split_from=None` keeps one incident per type.
    """
    if not prediction.incident_types:
        return []
    best, probability = max(prediction.incident_types.items(), key=lambda item: item[1])
    if probability < threshold:
        return []
    starts = [sentence.start for sentence in prediction.sentences]

    def sentence_index(position: int) -> int:
        return max(bisect.bisect_right(starts, position) - 1, 0)

    groups = _group_by_type(prediction, best, sentence_index)
    if split_from is None or not prediction.sentences:
        return groups
    return [
        part for group in groups for part in _split(group, prediction, sentence_index, split_from)
    ]


def _split(
    group: LearnedTemplate,
    prediction: DocPrediction,
    sentence_index: Callable[[int], int],
    split_from: int,
) -> list[LearnedTemplate]:
    """Split an incident in two at the widest gap between the sentences that cue its type."""
    kind = group.incident_type
    cued = sorted(
        {
            sentence_index(span.start)
            for span in group.roles
            if kind in prediction.sentences[sentence_index(span.start)].cues
        }
    )
    if len(cued) < split_from:
        return [group]
    _, cut = max((later - earlier, later) for earlier, later in itertools.pairwise(cued))
    first = tuple(span for span in group.roles if sentence_index(span.start) < cut)
    second = tuple(span for span in group.roles if sentence_index(span.start) >= cut)
    return [replace(group, roles=first), replace(group, roles=second)]


def _group_by_type(
    prediction: DocPrediction, best: str, sentence_index: Callable[[int], int]
) -> list[LearnedTemplate]:
    """The incidents of a relevant prediction, one per type (see `group_templates`)."""
    role_sentences = {sentence_index(span.start) for span in prediction.roles}
    cued: dict[str, set[int]] = (
        {
            kind: {i for i in role_sentences if kind in prediction.sentences[i].cues}
            for kind in INCIDENT_TYPES
        }
        if prediction.sentences
        else {kind: set() for kind in INCIDENT_TYPES}
    )
    kinds = {best} | {kind for kind in INCIDENT_TYPES if kind != "attack" and cued[kind]}
    if best == "attack" and len(kinds) > 1 and not cued["attack"]:
        kinds.discard("attack")
    if len(kinds) == 1:
        return [LearnedTemplate(incident_type=kinds.pop(), roles=prediction.roles)]
    main = best if best in kinds else min(kinds)
    claimed = set().union(*(cued[kind] for kind in kinds))
    ordered = [main, *sorted(kinds - {main})]
    return [
        LearnedTemplate(
            incident_type=kind,
            roles=tuple(
                span
                for span in prediction.roles
                if sentence_index(span.start) in cued[kind]
                or (kind == main and sentence_index(span.start) not in claimed)
            ),
        )
        for kind in ordered
    ]


_MODEL_CHARACTERS = str.maketrans("[]\r\n\t\f\v", "()     ")


def to_lower_same_offsets(text: str) -> str:
    """Lowercase `text` for the model, keeping every character offset.

    Newlines become spaces and brackets parentheses, as in the training text.
    `str.lower` can change the length of non-ASCII text ("İ" becomes two code points); such
    characters are kept as they are so offsets stay valid for the original text.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # some character lowercases to several: go one by one
        lowered = "".join(low if len(low := char.lower()) == 1 else char for char in text)
    return lowered.translate(_MODEL_CHARACTERS)


def to_templates(
    prediction: DocPrediction,
    *,
    threshold: float = DEFAULT_RELEVANCE_THRESHOLD,
    grouped: bool = True,
    split_from: int | None = SPLIT_FROM,
) -> list[dict[str, Any]]:
    """Turn a prediction into GTT-style templates (incident_type + role -> entities).

    One template per incident of `group_templates` (`split_from` is passed on), holding its
    role fillers as one-mention entities (lowercased, duplicates removed). A document whose best
    type probability is below `threshold` yields no template. With `grouped=False`, a relevant
    document yields one template of its most probable type holding every filler.
    """
    if not grouped:
        prediction = replace(prediction, sentences=())
    templates = []
    for group in group_templates(prediction, threshold=threshold, split_from=split_from):
        template: dict[str, Any] = {"incident_type": group.incident_type}
        for role in ROLES:
            seen: list[str] = []
            for span in group.roles:
                string = " ".join(span.text.lower().split())
                if span.role == role and string and string not in seen:
                    seen.append(string)
            template[role] = [[string] for string in seen]
        templates.append(template)
    return templates


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
        decode_entities_at_width_one(nlp)  # same role fillers, faster (extract/entities.py)
        return cls(nlp, settings)

    def predict(
        self, texts: Sequence[str], *, batch_size: int = 16, all_roles: bool = False
    ) -> list[DocPrediction]:
        """Predict incident types and role fillers for each text, in order.

        The model reads each text as it was trained (`model_text`); every offset returned
        refers to the text given here. The document classifier runs first. It reads n-grams, not
        the tagger's vectors, so role fillers are looked for only in documents whose best type
        probability reaches the model's threshold. Below it no template is made, so nothing is
        lost. `all_roles` looks in every document (threshold tuning needs that).
        """
        prepared = [model_text(text, lowercase=self.lowercase) for text in texts]
        predictions = []
        docs = self._classify_then_tag(
            [self._nlp.make_doc(seen) for seen, _ in prepared], batch_size, all_roles
        )
        for text, (seen, origin), doc in zip(texts, prepared, docs, strict=True):
            types = {label: float(doc.cats.get(label, 0.0)) for label in INCIDENT_TYPES}
            score = max(types.values()) if types else 0.0
            roles = []
            for ent in doc.ents:
                role = _role_of_label(ent.label_)
                if role:
                    start, end = origin[ent.start_char], origin[ent.end_char - 1] + 1
                    roles.append(
                        RoleSpan(role=role, start=start, end=end, text=text[start:end], score=score)
                    )
            sentences = tuple(
                Sentence(start=origin[s.start], end=origin[s.end - 1] + 1, cues=s.cues)
                for s in split_sentences(seen)
                if s.end > s.start
            )
            predictions.append(
                DocPrediction(incident_types=types, roles=tuple(roles), sentences=sentences)
            )
        return predictions

    def _classify_then_tag(self, docs: list[Doc], batch_size: int, all_roles: bool) -> list[Doc]:
        """Run the classifier on every doc, the other components on the relevant ones."""
        classifier = "textcat_multilabel"
        if classifier not in self._nlp.pipe_names:
            return list(self._nlp.pipe(docs, batch_size=batch_size))
        docs = list(self._nlp.get_pipe(classifier).pipe(docs, batch_size=batch_size))  # type: ignore[attr-defined]
        chosen = [
            number
            for number, doc in enumerate(docs)
            if all_roles
            or max((doc.cats.get(t, 0.0) for t in INCIDENT_TYPES), default=0.0) >= self.threshold
        ]
        tagged = [docs[number] for number in chosen]
        for name, component in self._nlp.pipeline:
            if name == classifier:
                continue
            pipe = getattr(component, "pipe", None)
            tagged = (
                list(pipe(tagged, batch_size=batch_size)) if pipe else list(map(component, tagged))
            )
        for number, doc in zip(chosen, tagged, strict=True):
            docs[number] = doc
        return docs

    def to_templates(self, prediction: DocPrediction) -> list[dict[str, Any]]:
        """GTT-style templates of a prediction, with this model's tuned threshold."""
        return to_templates(prediction, threshold=self.threshold)


def _role_of_label(label: str) -> str:
    """Map an ner label (PERPIND) back to its role name (PerpInd); '' when unknown."""
    for role in ROLES:
        if role.upper() == label:
            return role
    return ""
