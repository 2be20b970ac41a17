"""The raw MUC-3/4 distribution: message texts with their datelines, and the 25-slot answer keys.

Only the texts (dateline included) reach the extraction pipeline; the keys stay on the scoring side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from threatwatch.errors import InputError
from threatwatch.eval.templates import ROLES, Entity, Template
from threatwatch.model import Document

SPLIT_FILES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "dev": (("tst1/tst1-muc3", "tst1/key-tst1.v7"), ("tst2/tst2-muc4", "tst2/key-tst2.v4")),
    "test": (("tst3/tst3-muc4", "tst3/key-tst3.v2"), ("tst4/tst4-muc4", "tst4/key-tst4.v2")),
}
"""Text and key files of each evaluation split, relative to `raw_muc34/TASK/CORPORA`."""

SLOT_LABELS: tuple[str, ...] = (
    "MESSAGE: ID",
    "MESSAGE: TEMPLATE",
    "INCIDENT: DATE",
    "INCIDENT: LOCATION",
    "INCIDENT: TYPE",
    "INCIDENT: STAGE OF EXECUTION",
    "INCIDENT: INSTRUMENT ID",
    "INCIDENT: INSTRUMENT TYPE",
    "PERP: INCIDENT CATEGORY",
    "PERP: INDIVIDUAL ID",
    "PERP: ORGANIZATION ID",
    "PERP: ORGANIZATION CONFIDENCE",
    "PHYS TGT: ID",
    "PHYS TGT: TYPE",
    "PHYS TGT: NUMBER",
    "PHYS TGT: FOREIGN NATION",
    "PHYS TGT: EFFECT OF INCIDENT",
    "PHYS TGT: TOTAL NUMBER",
    "HUM TGT: NAME",
    "HUM TGT: DESCRIPTION",
    "HUM TGT: TYPE",
    "HUM TGT: NUMBER",
    "HUM TGT: FOREIGN NATION",
    "HUM TGT: EFFECT OF INCIDENT",
    "HUM TGT: TOTAL NUMBER",
)
"""The 25 numbered slots of a MUC-4 key template."""

# Slot numbers of the five GTT roles (README 3.1: Victim is HUM TGT: NAME only).
ROLE_SLOTS: Mapping[str, int] = {
    "PerpInd": 9,
    "PerpOrg": 10,
    "Target": 12,
    "Victim": 18,
    "Weapon": 6,
}

MONTHS: Mapping[str, int] = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}

_DOCID = re.compile(r"^((?:TST\d|DEV)-MUC\d-\d{4})\b")
_DATELINE = re.compile(
    r"^\s*(?P<place>[^,\n]+?)\s*,\s*(?P<date>NO DATE|\d{1,2}\s+[A-Z]{3}(?:\s+\d{2})?)\s*"
    r"(?:\((?P<source>[^)]*)\))?\s*--"
)
_PLACE_COUNTRY = re.compile(r"^(?P<city>.*?)\s*\((?P<country>[^)]*)\)\s*$")
_SLOT_LINE = re.compile(r"^(\d{1,2})\.\s+(.*)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Dateline:
    """The dateline of a MUC message: `SAN SALVADOR, 3 JAN 90 (RADIO ...) --`."""

    text: str
    place: str | None
    country: str | None
    """The country in parentheses after the city, given only outside the 9 countries of interest."""
    published: date | None
    source: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RawMessage:
    """One MUC message: its ID and its text as in the raw file (dateline line included)."""

    docid: str
    text: str
    dateline: Dateline | None

    def to_document(self) -> Document:
        """Return the message as a Document, dated by its dateline."""
        return Document(
            text=self.text,
            source=f"muc4:{self.docid}",
            title=self.docid,
            publisher=self.dateline.source if self.dateline else None,
            published=self.dateline.published if self.dateline else None,
            language="en",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyTemplate:
    """One template of a raw answer key: each slot's value lines, as written."""

    docid: str
    slots: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def value(self, slot: int) -> tuple[str, ...]:
        """Return the value lines of a slot; empty for `-`, `*` or absent."""
        lines = self.slots.get(slot, ())
        if len(lines) == 1 and lines[0].strip() in ("-", "*", ""):
            return ()
        return lines

    @property
    def is_relevant(self) -> bool:
        """Return whether this is an incident template (not `*`, the irrelevant-message marker)."""
        return self.slots.get(1, ("*",))[0].strip() != "*"

    @property
    def incident_type(self) -> str:
        """Return the type as GTT writes it: lowercase, alternatives joined by ` / `."""
        raw = " ".join(self.value(4)).replace("?", " ")
        return " / ".join(" ".join(part.split()).lower() for part in raw.split("/"))

    def to_template(self) -> Template:
        """Return the type and five role fillers as a GTT template (strings not checked in text)."""
        roles = {role: tuple(parse_entities(self.value(slot))) for role, slot in ROLE_SLOTS.items()}
        return Template(incident_type=self.incident_type, roles={r: roles[r] for r in ROLES})


def parse_entities(lines: tuple[str, ...]) -> Iterator[Entity]:
    """Yield one entity per slot line: the quoted alternatives left of any cross-reference."""
    for line in lines:
        # `"DESCRIPTION": "NAME"` is a cross-reference; the filler is the left side.
        left = line.split('": "', 1)[0] + ('"' if '": "' in line else "")
        strings = tuple(s.lower() for s in re.findall(r'"([^"]*)"', left) if s.strip())
        if strings:
            yield strings


def parse_dateline(line: str) -> Dateline | None:
    """Return the dateline at the start of a message body, or None when there is none.

    A two-digit year is read as 19YY; a date without a year or `NO DATE` gives no `published`.
    """
    match = _DATELINE.match(line)
    if not match:
        return None
    place: str | None = " ".join(match["place"].split())
    country = None
    if place and (pc := _PLACE_COUNTRY.match(place)):
        place, country = pc["city"] or None, pc["country"].strip() or None
    if place in ("CLANDESTINE", "NO CITY"):
        place = None
    published = None
    parts = match["date"].split()
    if len(parts) == 3 and parts[1] in MONTHS:
        try:
            published = date(1900 + int(parts[2]), MONTHS[parts[1]], int(parts[0]))
        except ValueError:
            published = None
    return Dateline(
        text=match.group(0).rstrip("-").strip(),
        place=place,
        country=country,
        published=published,
        source=" ".join(match["source"].split()) if match["source"] else None,
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="latin-1")
    except OSError as exc:
        raise InputError(f"Cannot read {str(path)!r} ({exc}); check THREATWATCH_SHARED") from exc


def iter_messages(path: Path) -> Iterator[RawMessage]:
    """Yield the messages of a raw MUC text file, in file order."""
    docid: str | None = None
    body: list[str] = []

    def flush() -> RawMessage | None:
        if docid is None:
            return None
        text = "\n".join(body).strip("\n").rstrip()
        return RawMessage(docid=docid, text=text, dateline=parse_dateline(text))

    for line in _read(path).splitlines():
        match = _DOCID.match(line)
        if match:
            if (message := flush()) is not None:
                yield message
            docid, body = match.group(1), []
        elif docid is not None:
            body.append(line)
    if (message := flush()) is not None:
        yield message


def iter_key_templates(path: Path) -> Iterator[KeyTemplate]:
    """Yield the templates of a raw 25-slot key file; `;` lines are comments."""
    slots: dict[int, list[str]] = {}
    current: int | None = None

    def flush() -> KeyTemplate | None:
        if 0 not in slots:
            return None
        docid = slots[0][0].split()[0]
        return KeyTemplate(docid=docid, slots={k: tuple(v) for k, v in slots.items()})

    for line in _read(path).splitlines():
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        match = _SLOT_LINE.match(line)
        if match and int(match.group(1)) < len(SLOT_LABELS):
            number, rest = int(match.group(1)), match.group(2)
            label = SLOT_LABELS[number]
            value = rest[len(label) :].strip() if rest.startswith(label) else rest.strip()
            if number == 0:
                if (template := flush()) is not None:
                    yield template
                slots = {}
            slots[number] = [value]
            current = number
        elif current is not None and line[:1].isspace():
            slots[current].append(line.strip())
    if (template := flush()) is not None:
        yield template


def corpora_dir(muc4: Path) -> Path:
    """Return the folder of the raw corpus files inside the shared MUC-4 folder."""
    return muc4 / "raw_muc34" / "TASK" / "CORPORA"


def load_split(muc4: Path, split: str) -> tuple[list[RawMessage], dict[str, list[KeyTemplate]]]:
    """Return the messages of a split and their relevant key templates, keyed by docid.

    Raises:
        InputError: the split is unknown.
    """
    if split not in SPLIT_FILES:
        raise InputError(f"Unknown MUC-4 split {split!r}; use one of {sorted(SPLIT_FILES)}")
    messages: list[RawMessage] = []
    keys: dict[str, list[KeyTemplate]] = {}
    for text_file, key_file in SPLIT_FILES[split]:
        batch = list(iter_messages(corpora_dir(muc4) / text_file))
        messages.extend(batch)
        for message in batch:
            keys.setdefault(message.docid, [])
        for template in iter_key_templates(corpora_dir(muc4) / key_file):
            if template.is_relevant:
                keys.setdefault(template.docid, []).append(template)
    return messages, keys
