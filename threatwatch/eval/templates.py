"""MUC-4 templates: the incident type and five role-filler entities, and the files that hold them."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threatwatch.errors import InputError

ROLES: tuple[str, ...] = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
"""The five MUC-4 roles, in the order every published table uses."""

Entity = tuple[str, ...]
"""One role filler: its coreferent mention strings (alternatives)."""

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)
# Numeric document IDs of the GTT release: the first digit names the test set.
_NUMERIC_PREFIX = {"1": "TST1-MUC3", "2": "TST2-MUC4", "3": "TST3-MUC4", "4": "TST4-MUC4"}


def normalize_mention(text: str) -> str:
    """Return a mention as every published MUC-4 scorer compares it.

    Lowercase, delete ASCII punctuation, replace the words a/an/the by a space, collapse spaces.
    """
    text = text.lower().translate(_PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    """One incident: its MUC type (`attack`, `bombing / attack`...) and the entities of each role."""

    incident_type: str
    roles: Mapping[str, tuple[Entity, ...]] = field(default_factory=dict)

    def entities(self, role: str) -> tuple[Entity, ...]:
        """Return the entities of `role` (empty when the role is absent)."""
        return self.roles.get(role, ())

    def normalized(self) -> Template:
        """Return a copy with normalised mentions and without entities left empty."""
        roles: dict[str, tuple[Entity, ...]] = {}
        for role in ROLES:
            kept = []
            for entity in self.entities(role):
                mentions = tuple(normalize_mention(m) for m in entity)
                if mentions:
                    kept.append(mentions)
            roles[role] = tuple(kept)
        return Template(incident_type=self.incident_type, roles=roles)

    def to_dict(self) -> dict[str, object]:
        """Return the GTT JSON form: type and, per role, lists of mention lists."""
        out: dict[str, object] = {"incident_type": self.incident_type}
        for role in ROLES:
            out[role] = [list(entity) for entity in self.entities(role)]
        return out


def to_muc_docid(docid: str) -> str:
    """Return the MUC message ID (`TST3-MUC4-0001`) of a GTT numeric ID (`30001`) or of itself."""
    if docid.isdigit() and len(docid) == 5 and docid[0] in _NUMERIC_PREFIX:
        return f"{_NUMERIC_PREFIX[docid[0]]}-{docid[1:]}"
    return docid


def from_gtt_dict(raw: Mapping[str, Any], *, offsets: bool) -> Template:
    """Return a template from its GTT JSON form.

    Args:
        raw: `{"incident_type": ..., "PerpInd": [[mention, ...], ...], ...}`.
        offsets: True when each mention is `[string, offset]` (gold files), False when a string.
    """
    incident_type = raw.get("incident_type")
    # As in GTT's scorer, a missing or non-string type is read as `attack`.
    if not isinstance(incident_type, str):
        incident_type = "attack"
    roles: dict[str, tuple[Entity, ...]] = {}
    for role in ROLES:
        entities = []
        for entity in raw.get(role) or ():
            mentions = tuple(str(m[0]) if offsets else str(m) for m in entity)
            if mentions:
                entities.append(mentions)
        roles[role] = tuple(entities)
    return Template(incident_type=incident_type, roles=roles)


def _iter_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError(
                            f"{str(path)!r} line {number} is not JSON ({exc}); "
                            "expected one document per line"
                        ) from exc
    except OSError as exc:
        raise InputError(f"Cannot read {str(path)!r} ({exc}); check the path") from exc


def load_gtt_gold(path: Path) -> dict[str, list[Template]]:
    """Return the gold templates of a GTT split file, deduplicated as GTT's scorer does."""
    golds: dict[str, list[Template]] = {}
    for record in _iter_json_lines(path):
        templates: list[Template] = []
        for raw in record.get("templates", ()):
            template = from_gtt_dict(raw, offsets=True)
            # Dedup on the raw strings, before normalisation, keeping the type.
            if template not in templates:
                templates.append(template)
        golds[str(record["docid"])] = templates
    return golds


def load_grit_gold(path: Path) -> dict[str, dict[str, tuple[Entity, ...]]]:
    """Return the per-document merged role fillers of a GRIT split file."""
    golds: dict[str, dict[str, tuple[Entity, ...]]] = {}
    for record in _iter_json_lines(path):
        extracts = record.get("extracts", {})
        golds[str(record["docid"])] = {
            role: tuple(
                tuple(str(m[0]) for m in entity) for entity in extracts.get(role, ()) if entity
            )
            for role in ROLES
        }
    return golds


def load_gtt_predictions(path: Path) -> dict[str, list[Template]]:
    """Return the predicted templates of a file shaped like GTT's `preds_gtt.out`.

    The file is one JSON object keyed by document ID (numeric `30001` or `TST3-MUC4-0001`); each
    value holds `pred_templates`, or is itself the list of templates.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"Cannot read predictions {str(path)!r} ({exc}); expected one JSON object keyed by docid"
        ) from exc
    if not isinstance(data, dict):
        raise InputError(
            f"Predictions {str(path)!r} hold a {type(data).__name__}; expected an object keyed by docid"
        )
    preds: dict[str, list[Template]] = {}
    for docid, value in data.items():
        raw_templates = value.get("pred_templates", []) if isinstance(value, dict) else value
        if not isinstance(raw_templates, list):
            raise InputError(
                f"Predictions for {docid!r} in {str(path)!r} are not a list of templates",
                {docid: "expected pred_templates: [...]"},
            )
        preds[to_muc_docid(str(docid))] = [from_gtt_dict(t, offsets=False) for t in raw_templates]
    return preds


def merge_roles(templates: Sequence[Template]) -> dict[str, tuple[Entity, ...]]:
    """Return the entities of all templates merged per role, as GRIT built its gold.

    An entity whose mentions are a subset or a superset of an entity already kept is dropped;
    the first one seen wins.
    """
    merged: dict[str, tuple[Entity, ...]] = {}
    for role in ROLES:
        kept: list[Entity] = []
        for template in templates:
            for entity in template.entities(role):
                mentions = set(entity)
                if not any(mentions <= set(k) or mentions >= set(k) for k in kept):
                    kept.append(entity)
        merged[role] = tuple(kept)
    return merged
