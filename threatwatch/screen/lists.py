"""List files as ListEntry: the UN consolidated XML, OFAC's SDN CSV set and FtM JSON lines.

A file that cannot be read at all raises InputError; a row that fails is skipped, counted and
described in `LoadedList.problems`, and every other row is kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from threatwatch.errors import InputError
from threatwatch.logs import get_logger
from threatwatch.model.screening import ListEntry, ListName, NameKind
from threatwatch.normalize import clean_text, detect_scripts

log = get_logger(__name__)

UN_LIST = "un_sc"
OFAC_LIST = "us_ofac_sdn"
THREATWATCH_LIST = "threatwatch"
"""Entries built from threatwatch's own actors are screened as this list."""

MAX_PROBLEMS = 50
"""Only the first problems of a file are kept as text; all of them are counted."""

OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
_OFAC_EMPTY = "-0-"
# Remarks carry weak aliases as a.k.a. 'X' (sometimes typographic quotes).
_WEAK_ALIAS = re.compile("[af]\\.k\\.a\\.,? [\x27\u2018]([^\x27\u2019]+)[\x27\u2019]")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedList:
    """The entries read from one list file (or OFAC file set) and what had to be skipped."""

    list: str
    source: str
    entries: tuple[ListEntry, ...]
    skipped: int = 0
    """Rows that could not be used (bad rows, aliases whose entity is missing)."""
    problems: tuple[str, ...] = ()
    generated: str | None = None
    """The date the list publisher gives the file, when it gives one."""


class _Problems:
    """Counts skipped rows and keeps the first few descriptions."""

    def __init__(self) -> None:
        self.count = 0
        self.notes: list[str] = []

    def add(self, note: str) -> None:
        self.count += 1
        if len(self.notes) < MAX_PROBLEMS:
            self.notes.append(note)
        log.debug("skipped list row: %s", note)


def _clean(value: str | None) -> str | None:
    """Return the cleaned text, or None for an empty or OFAC `-0-` value."""
    if value is None:
        return None
    text = clean_text(value)
    if not text or text == _OFAC_EMPTY:
        return None
    return text


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _dedupe_names(names: Iterable[ListName]) -> tuple[ListName, ...]:
    seen: set[str] = set()
    out: list[ListName] = []
    for name in names:
        key = name.value.casefold()
        if name.value and key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)


# --- UN consolidated list ---------------------------------------------------------------------


def _text(node: etree._Element, tag: str) -> str | None:
    child = node.find(tag)
    return _clean(child.text) if child is not None else None


def _values(node: etree._Element, path: str) -> list[str]:
    return [v for v in (_clean(e.text) for e in node.iterfind(path)) if v]


def _un_birth_dates(node: etree._Element) -> list[str]:
    dates: list[str] = []
    for dob in node.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        date = _text(dob, "DATE")
        year = _text(dob, "YEAR")
        if date:
            dates.append(date[:10])
        elif year:
            dates.append(year)
        first, last = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
        if (
            first
            and last
            and first.isdigit()
            and last.isdigit()
            and 0 <= int(last) - int(first) < 10
        ):
            dates.extend(str(y) for y in range(int(first), int(last) + 1))
    return dates


def _un_birth_places(node: etree._Element) -> list[str]:
    places = []
    for pob in node.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [_text(pob, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        place = ", ".join(p for p in parts if p)
        if place:
            places.append(place)
    return places


def _un_entry(node: etree._Element, *, person: bool) -> ListEntry:
    ref = _text(node, "REFERENCE_NUMBER")
    if person:
        parts = [_text(node, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        primary = " ".join(p for p in parts if p)
    else:
        primary = _text(node, "FIRST_NAME") or ""
    if not ref or not primary:
        raise ValueError(f"missing reference or name (DATAID {_text(node, 'DATAID')!r})")
    names = [ListName(value=primary, kind=NameKind.PRIMARY)]
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in node.iterfind(alias_tag):
        quality = (_text(alias, "QUALITY") or "").lower()
        kind = {"low": NameKind.LOW_QUALITY, "f.k.a.": NameKind.FKA}.get(quality, NameKind.AKA)
        for value in (_text(alias, "ALIAS_NAME") or "").split(";"):
            if value.strip():
                names.append(ListName(value=value.strip(), kind=kind))
    original = _text(node, "NAME_ORIGINAL_SCRIPT")
    if original:
        for value in original.split(";"):
            if value.strip():
                names.append(ListName(value=value.strip(), kind=NameKind.ORIGINAL_SCRIPT))
    return ListEntry(
        list=UN_LIST,
        ref=ref,
        schema="Person" if person else "Organization",
        names=_dedupe_names(names),
        programmes=_dedupe(_values(node, "UN_LIST_TYPE")),
        birth_dates=_dedupe(_un_birth_dates(node)) if person else (),
        birth_places=_dedupe(_un_birth_places(node)) if person else (),
        nationalities=_dedupe(_values(node, "NATIONALITY/VALUE")),
        listed_on=_text(node, "LISTED_ON"),
    )


def load_un_xml(path: Path) -> LoadedList:
    """Read the UN Security Council consolidated list XML.

    Raises:
        InputError: the file is not well-formed XML or not a consolidated list.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise InputError(
            f"Cannot read UN list {str(path)!r}: {exc}; check that it is the UN consolidated XML",
            {str(path): str(exc)},
        ) from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise InputError(
            f"{str(path)!r} is XML but its root is {root.tag!r}, not CONSOLIDATED_LIST; "
            "pass the UN consolidated list XML",
            {str(path): "unexpected root element"},
        )
    problems = _Problems()
    entries: list[ListEntry] = []
    for tag, person in (("INDIVIDUALS/INDIVIDUAL", True), ("ENTITIES/ENTITY", False)):
        for number, node in enumerate(root.iterfind(tag), 1):
            try:
                entries.append(_un_entry(node, person=person))
            except ValueError as exc:
                problems.add(f"{tag.split('/')[1]} #{number}: {exc}")
    return LoadedList(
        list=UN_LIST,
        source=str(path),
        entries=tuple(entries),
        skipped=problems.count,
        problems=tuple(problems.notes),
        generated=(root.get("dateGenerated") or "")[:10] or None,
    )


# --- OFAC SDN CSV set -------------------------------------------------------------------------


def _read_ofac_rows(path: Path, width: int, problems: _Problems) -> Iterator[list[str | None]]:
    """Yield the rows of one OFAC CSV file with `-0-` as None; skip rows of the wrong width."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {str(path)!r}: {exc}", {str(path): str(exc)}) from exc
    if b"\x00" in raw[:4096]:
        raise InputError(
            f"{str(path)!r} is a binary file, not an OFAC CSV file; pass the SDN CSV set",
            {str(path): "binary content"},
        )
    # OFAC ends each file with a DOS end-of-file byte (0x1A) that csv would read as a row.
    text = raw.rstrip(b"\x1a\r\n ").decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        for number, row in enumerate(reader, 1):
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != width:
                problems.add(f"{path.name} line {number}: {len(row)} columns, expected {width}")
                continue
            yield [_clean(c) for c in row]
    except csv.Error as exc:
        raise InputError(
            f"{str(path)!r} is not valid CSV: {exc}; pass OFAC's legacy SDN CSV files",
            {str(path): str(exc)},
        ) from exc


def _ofac_dates(remarks: str) -> list[str]:
    dates = []
    pattern = r"DOB (?:circa )?(?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{4})(?: to (\d{4}))?"
    for day, month, year, until in re.findall(pattern, remarks):
        if month and month.lower() in _MONTHS:
            iso = f"{year}-{_MONTHS[month.lower()]:02d}"
            dates.append(f"{iso}-{int(day):02d}" if day else iso)
        else:
            dates.append(year)
        if until and 0 <= int(until) - int(year) < 10:
            dates.extend(str(y) for y in range(int(year) + 1, int(until) + 1))
    return dates


def _ofac_field(remarks: str, label: str) -> list[str]:
    return [m.strip() for m in re.findall(rf"(?:^|; ?|alt\. ){label} ([^;]+)", remarks)]


_OFAC_SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
"""OFAC's SDN_Type; an empty type is an entity, which is never a person: an organisation."""


def load_ofac_csv(sdn_path: Path) -> LoadedList:
    """Read OFAC's legacy SDN CSV set: sdn.csv plus alt.csv and sdn_comments.csv beside it.

    Aliases whose entity is missing from sdn.csv are dropped and counted.

    Raises:
        InputError: sdn.csv is missing, binary or not CSV.
    """
    folder = sdn_path.parent
    problems = _Problems()
    rows: dict[str, list[str | None]] = {}
    for row in _read_ofac_rows(sdn_path, 12, problems):
        ent_num = row[0]
        if not ent_num or not ent_num.isdigit() or not row[1]:
            problems.add(f"sdn.csv entry {ent_num!r}: no ent_num or no name")
            continue
        rows[ent_num] = row
    if not rows:
        raise InputError(
            f"{str(sdn_path)!r} holds no SDN rows; pass OFAC's sdn.csv (12 columns, no header)",
            {str(sdn_path): "no rows"},
        )
    comments = folder / "sdn_comments.csv"
    if comments.is_file():
        for ent_num, more in _read_ofac_rows(comments, 2, problems):
            if ent_num in rows and more:
                rows[ent_num][11] = (rows[ent_num][11] or "") + more
    aliases: dict[str, list[ListName]] = {}
    alt = folder / "alt.csv"
    if alt.is_file():
        for ent_num, _num, kind, value, _remarks in _read_ofac_rows(alt, 5, problems):
            if not ent_num or not value:
                problems.add(f"alt.csv alias of {ent_num!r}: empty")
                continue
            if ent_num not in rows:
                problems.add(f"alt.csv alias {value!r}: entity {ent_num} is not in sdn.csv")
                continue
            name_kind = NameKind.FKA if (kind or "").lower() == "fka" else NameKind.AKA
            aliases.setdefault(ent_num, []).append(ListName(value=value, kind=name_kind))
    entries = []
    for ent_num, row in rows.items():
        name, sdn_type, program, remarks = row[1] or "", row[2], row[3], row[11] or ""
        names = [ListName(value=name, kind=NameKind.PRIMARY), *aliases.get(ent_num, [])]
        for value in re.findall(_WEAK_ALIAS, remarks):
            names.append(ListName(value=value, kind=NameKind.LOW_QUALITY))
        programmes = [p.strip("[] ") for p in (program or "").split("] [")]
        entries.append(
            ListEntry(
                list=OFAC_LIST,
                ref=ent_num,
                schema=_OFAC_SCHEMAS.get((sdn_type or "").lower(), "Organization"),
                names=_dedupe_names(names),
                programmes=_dedupe(programmes),
                birth_dates=_dedupe(_ofac_dates(remarks)),
                birth_places=_dedupe(_ofac_field(remarks, "POB")),
                nationalities=_dedupe(
                    _ofac_field(remarks, "nationality") + _ofac_field(remarks, "citizen")
                ),
            )
        )
    return LoadedList(
        list=OFAC_LIST,
        source=str(sdn_path),
        entries=tuple(entries),
        skipped=problems.count,
        problems=tuple(problems.notes),
    )


# --- FollowTheMoney JSON lines ----------------------------------------------------------------

FTM_SCHEMAS = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
)


def _ftm_entry(data: dict[str, object]) -> ListEntry | None:
    schema = data.get("schema")
    props = data.get("properties")
    if not isinstance(schema, str) or not isinstance(props, dict):
        raise ValueError("no schema or properties")
    if schema not in FTM_SCHEMAS:
        return None

    def prop(name: str) -> list[str]:
        values = props.get(name) or []
        return (
            [v for v in (_clean(str(x)) for x in values) if v] if isinstance(values, list) else []
        )

    caption = _clean(str(data.get("caption") or "")) or next(iter(prop("name")), None)
    if not caption or not data.get("id"):
        raise ValueError("no id or name")
    names = [ListName(value=caption, kind=NameKind.PRIMARY)]
    for prop_name, kind in (
        ("name", NameKind.AKA),
        ("alias", NameKind.AKA),
        ("previousName", NameKind.FKA),
        ("weakAlias", NameKind.LOW_QUALITY),
    ):
        for value in prop(prop_name):
            latin = detect_scripts(value) <= {"latin"}
            names.append(ListName(value=value, kind=kind if latin else NameKind.ORIGINAL_SCRIPT))
    datasets = data.get("datasets")
    dataset = datasets[0] if isinstance(datasets, list) and datasets else "ftm"
    return ListEntry(
        list=f"ftm:{dataset}",
        ref=str(data["id"]),
        schema=schema,
        names=_dedupe_names(names),
        programmes=_dedupe(prop("programId") + prop("program")),
        birth_dates=_dedupe(prop("birthDate")),
        birth_places=_dedupe(prop("birthPlace")),
        nationalities=_dedupe(prop("nationality") + prop("citizenship")),
    )


def load_ftm_json(path: Path) -> LoadedList:
    """Read FollowTheMoney entities, one JSON object per line; non-name schemas are ignored.

    Raises:
        InputError: the file cannot be read or no line of it is an FtM entity.
    """
    problems = _Problems()
    entries: list[ListEntry] = []
    seen = 0
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                seen += 1
                try:
                    data = json.loads(line)
                    if not isinstance(data, dict):
                        raise ValueError("not a JSON object")
                    entry = _ftm_entry(data)
                except ValueError as exc:
                    problems.add(f"{path.name} line {number}: {exc}")
                    continue
                if entry is not None:
                    entries.append(entry)
    except OSError as exc:
        raise InputError(f"Cannot read {str(path)!r}: {exc}", {str(path): str(exc)}) from exc
    if seen and problems.count == seen:
        raise InputError(
            f"{str(path)!r} has no FtM entity on any line (first problem: {problems.notes[0]}); "
            "pass FollowTheMoney JSON lines",
            {str(path): problems.notes[0]},
        )
    return LoadedList(
        list=entries[0].list if entries else "ftm",
        source=str(path),
        entries=tuple(entries),
        skipped=problems.count,
        problems=tuple(problems.notes),
    )


# --- dispatch ---------------------------------------------------------------------------------


def load_list_file(path: Path) -> LoadedList:
    """Read one list file, choosing the reader by its name: *.xml, sdn.csv, *.json or *.jsonl.

    Raises:
        InputError: the file is of no known list format or cannot be read.
    """
    name = path.name.lower()
    if not path.is_file():
        raise InputError(f"No list file at {str(path)!r}; check the path", {str(path): "missing"})
    if name.endswith(".xml"):
        return load_un_xml(path)
    if name == "sdn.csv":
        return load_ofac_csv(path)
    if name in OFAC_FILES:
        raise InputError(
            f"{str(path)!r} is part of OFAC's CSV set; pass sdn.csv or the folder holding it",
            {str(path): "not sdn.csv"},
        )
    if name.endswith((".json", ".jsonl", ".ftm")):
        return load_ftm_json(path)
    raise InputError(
        f"Unknown list format {str(path)!r}; pass a UN *.xml, OFAC sdn.csv or FtM *.json file",
        {str(path): "unknown format"},
    )


def iter_list_files(path: Path) -> Iterator[Path]:
    """Yield the list files in `path` (a file, or a folder searched recursively) in name order."""
    if not path.is_dir():
        yield path
        return
    for child in sorted(path.rglob("*")):
        name = child.name.lower()
        if not child.is_file() or name == "manifest.json" or name.startswith("."):
            continue
        if name.endswith((".xml", ".json", ".jsonl")) or name == "sdn.csv":
            yield child


def load_lists(paths: Sequence[Path]) -> list[LoadedList]:
    """Read every list file found under `paths`.

    Raises:
        InputError: a path holds no list file, or a list file cannot be read.
    """
    loaded: list[LoadedList] = []
    for path in paths:
        files = list(iter_list_files(path))
        if not files:
            raise InputError(
                f"No list file under {str(path)!r}; expected *.xml, sdn.csv or *.json",
                {str(path): "no list files"},
            )
        loaded.extend(load_list_file(f) for f in files)
    return loaded


def make_actor_entries(actors: Iterable[tuple[str, Sequence[str], str]]) -> list[ListEntry]:
    """Return list entries for threatwatch's own actors, given as (name, aliases, ref) triples."""
    entries = []
    for name, aliases, ref in actors:
        names = [ListName(value=name, kind=NameKind.PRIMARY)]
        names += [ListName(value=a, kind=NameKind.AKA) for a in aliases]
        entries.append(
            ListEntry(
                list=THREATWATCH_LIST, ref=ref, schema="LegalEntity", names=_dedupe_names(names)
            )
        )
    return entries
