"""Extended MUC-4 score over the slots only the raw keys hold: date, place, stage, confidence,
casualties. No published system reports these; the matching rules are ours (docs/evaluation.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from threatwatch.eval.gtt import score_document
from threatwatch.eval.mapping import to_templates
from threatwatch.eval.muc4 import MONTHS, KeyTemplate
from threatwatch.eval.scores import Counts, add_keyed, sum_counts
from threatwatch.eval.templates import normalize_mention
from threatwatch.model import AttributionStatus, DatePrecision, Incident, Stage

SLOTS: tuple[str, ...] = (
    "date",
    "location.country",
    "location.place",
    "stage",
    "perp_confidence",
    "killed",
    "wounded",
)
"""The extended slots, in report order."""

COUNTRIES: Mapping[str, str] = {
    "ARGENTINA": "AR",
    "BOLIVIA": "BO",
    "BRAZIL": "BR",
    "CHILE": "CL",
    "COLOMBIA": "CO",
    "COSTA RICA": "CR",
    "CUBA": "CU",
    "ECUADOR": "EC",
    "EL SALVADOR": "SV",
    "GUATEMALA": "GT",
    "GUATAMALA": "GT",  # a misspelling in two keys
    "HONDURAS": "HN",
    "JAMAICA": "JM",
    "MEXICO": "MX",
    "NICARAGUA": "NI",
    "PANAMA": "PA",
    "PERU": "PE",
    "SPAIN": "ES",
    "UNITED STATES": "US",
    "VENEZUELA": "VE",
}
"""ISO 3166-1 alpha-2 code of each country named in the LOCATION slots of the keys."""

STAGE_TO_MUC: Mapping[Stage, str] = {
    Stage.ACCOMPLISHED: "ACCOMPLISHED",
    Stage.ATTEMPTED: "ATTEMPTED",
    Stage.FOILED: "ATTEMPTED",
    Stage.THREATENED: "THREATENED",
    Stage.PLANNED: "THREATENED",
}
"""MUC stage of execution of each of our stages (a foiled attack was attempted)."""

STATUS_TO_MUC: Mapping[AttributionStatus, frozenset[str]] = {
    AttributionStatus.CLAIMED: frozenset({"CLAIMED OR ADMITTED"}),
    AttributionStatus.SUSPECTED: frozenset(
        {"SUSPECTED OR ACCUSED", "SUSPECTED OR ACCUSED BY AUTHORITIES"}
    ),
    AttributionStatus.ACCUSED: frozenset(
        {"SUSPECTED OR ACCUSED", "SUSPECTED OR ACCUSED BY AUTHORITIES"}
    ),
    AttributionStatus.CONFIRMED: frozenset({"REPORTED AS FACT"}),
    AttributionStatus.REPORTED: frozenset({"REPORTED AS FACT"}),
    AttributionStatus.UNCONFIRMED: frozenset({"POSSIBLE"}),
}
"""MUC confidences each attribution status matches; `denied` matches none and is not scored."""

OPEN_START_DAYS = 30
"""A key date `- 29 DEC 89` (on or before) accepts the 30 days up to and including that day."""

_DATE = re.compile(r"(\d{1,2}) ([A-Z]{3}) (\d{2})")
Interval = tuple[float, float]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendedResult:
    """Totals per extended slot, their micro average, and each document's counts."""

    keys: Mapping[str, Counts]
    documents: Mapping[str, Mapping[str, Counts]]

    @property
    def micro(self) -> Counts:
        """Return the counts pooled over the extended slots."""
        return sum_counts(self.keys[s] for s in SLOTS)


def split_alternatives(value: str) -> list[str]:
    """Split a key value on `/` outside parentheses; drop `?` marks and wrapping parentheses."""
    parts, depth, current = [], 0, ""
    for char in value:
        depth += (char == "(") - (char == ")")
        if char == "/" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    out = []
    for part in parts:
        part = part.replace("?", " ").strip()
        while part.startswith("(") and _closing(part) == len(part) - 1:
            part = part[1:-1].strip()
        if part and part not in ("-", "*"):
            out.append(part)
    return out


def _closing(text: str) -> int:
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return i
    return -1


def _to_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(1900 + int(year), MONTHS[month], int(day))
    except (KeyError, ValueError):
        return None


def gold_dates(key: KeyTemplate) -> list[tuple[date, date]]:
    """Return the alternative date ranges of a key (`16 NOV 89`, `- 16 NOV 89`, `A - B`)."""
    ranges = []
    for alt in split_alternatives(" ".join(key.value(2))):
        found = [d for d in (_to_date(*m) for m in _DATE.findall(alt)) if d]
        if len(found) >= 2:
            ranges.append((min(found[0], found[1]), max(found[0], found[1])))
        elif found and alt.startswith("-"):
            ranges.append((found[0] - timedelta(days=OPEN_START_DAYS - 1), found[0]))
        elif found:
            ranges.append((found[0], found[0]))
    return ranges


def predicted_dates(incident: Incident) -> tuple[date, date] | None:
    """Return the days an incident's date covers: a day, a whole month or a whole year."""
    value = incident.date.value
    if not value or incident.date.precision is DatePrecision.UNRESOLVED:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return day, day
        if len(parts) == 2:
            start = date(parts[0], parts[1], 1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return start, end
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except ValueError:
        return None


def gold_locations(key: KeyTemplate) -> list[tuple[str | None, list[str]]]:
    """Return each alternative location as (ISO country, [place names below the country])."""
    out = []
    for alt in split_alternatives(" ".join(key.value(3))):
        parts = [p.strip() for p in alt.split(":")]
        country = COUNTRIES.get(parts[0].strip(" ()"))
        places = [re.sub(r"\s*\([^)]*\)\s*$", "", p).strip() for p in parts[1:]]
        out.append((country, [p for p in places if p and p != "-"]))
    return out


def normalize_place(text: str) -> str:
    """Return a place name without accents, case, punctuation or articles."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return normalize_mention(plain)


def gold_stages(key: KeyTemplate) -> set[str]:
    """Return the accepted stages of execution of a key."""
    return set(split_alternatives(" ".join(key.value(5))))


def gold_confidences(key: KeyTemplate) -> list[tuple[frozenset[str], set[str]]]:
    """Return each (normalised organisation alternatives, accepted confidences) of a key."""
    out = []
    for line in key.value(11):
        if ":" not in line:
            continue
        left, right = line.split(":", 1)
        confidences = set(split_alternatives(left))
        orgs = frozenset(normalize_mention(s) for s in re.findall(r'"([^"]*)"', right))
        if orgs and confidences:
            out.append((orgs, confidences))
    return out


def predicted_confidences(incident: Incident) -> list[tuple[str, frozenset[str]]]:
    """Return each distinct (normalised actor, MUC confidences) attributed in an incident."""
    out: list[tuple[str, frozenset[str]]] = []
    for attribution in incident.attributions:
        confidences = STATUS_TO_MUC.get(attribution.status)
        item = (normalize_mention(attribution.actor), confidences or frozenset())
        if confidences and item not in out:
            out.append(item)
    return out


def _parse_number(text: str) -> Interval | None:
    text = text.replace("?", " ").strip()
    if text == "PLURAL":
        return (2, math.inf)
    if m := re.fullmatch(r"~\s*(\d+)", text):
        n = int(m.group(1))
        return (math.floor(0.8 * n), math.ceil(1.2 * n))
    if m := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        return (int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d+)\s*-", text):
        return (int(m.group(1)), math.inf)
    if m := re.fullmatch(r"-\s*(\d+)", text):
        return (0, int(m.group(1)))
    if text.isdigit():
        return (int(text), int(text))
    return None


def _cross_refs(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Return (label, referenced strings) of `LABEL: "A" / "B"` lines."""
    out = []
    for line in lines:
        if ":" in line:
            label, right = line.split(":", 1)
            refs = " / ".join(sorted(normalize_mention(s) for s in re.findall(r'"([^"]*)"', right)))
            out.append((label.strip(), refs))
    return out


def gold_casualties(key: KeyTemplate, effect: str) -> Interval | None:
    """Return how many human targets suffered `DEATH` or `INJURY`, from slots 21 and 23.

    The count sums the NUMBER of every target whose first listed effect is `effect`; a target
    without a usable number counts as 1 or more. `NO DEATH`, `NO INJURY` and `NO INJURY OR
    DEATH` with no target suffering the effect give 0. None when the key says nothing.
    """
    numbers = {refs: label for label, refs in _cross_refs(key.value(21))}
    low, high, found, none_said = 0.0, 0.0, False, False
    negatives = {
        "DEATH": ("NO DEATH", "NO INJURY OR DEATH"),
        "INJURY": ("NO INJURY", "NO INJURY OR DEATH"),
    }
    for label, refs in _cross_refs(key.value(23)):
        alternatives = split_alternatives(label)
        first = alternatives[0] if alternatives else ""
        if first == effect:
            found = True
            interval = _parse_number(numbers.get(refs, "")) or (1, math.inf)
            low, high = low + interval[0], high + interval[1]
        elif first in negatives[effect]:
            none_said = True
    if found:
        return (low, high)
    return (0, 0) if none_said else None


def predicted_casualties(incident: Incident, kind: str) -> Interval | None:
    """Return the figure of the `kind` claim with the highest minimum, as an interval."""
    claims = [c for c in incident.casualties if c.kind == kind and c.min is not None]
    if not claims:
        return None
    best = max(claims, key=lambda c: c.min or 0)
    low = float(best.min or 0)
    return (low, float(best.max) if best.max is not None else math.inf)


def _overlaps(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _single(gold: object | None, pred: object | None, hit: bool) -> Counts:
    """Return the counts of a single-valued slot: one prediction, one gold value at most."""
    ok = int(gold is not None and pred is not None and hit)
    return Counts(p_num=ok, p_den=int(pred is not None), r_num=ok, r_den=int(gold is not None))


def _pred_places(incident: Incident) -> set[str]:
    return {normalize_place(n) for n in (incident.location.place, incident.location.admin1) if n}


def _gold_places(key: KeyTemplate) -> set[str]:
    return {normalize_place(p) for _, places in gold_locations(key) for p in places}


def _single_slots(incident: Incident | None, key: KeyTemplate | None) -> dict[str, Counts]:
    counts: dict[str, Counts] = {}
    g_dates = gold_dates(key) if key else []
    p_date = predicted_dates(incident) if incident else None
    date_hit = p_date is not None and any(lo <= p_date[0] and p_date[1] <= hi for lo, hi in g_dates)
    counts["date"] = _single(g_dates or None, p_date, date_hit)

    g_countries = {c for c, _ in gold_locations(key) if c} if key else set()
    p_country = (
        incident.location.country.upper() if incident and incident.location.country else None
    )
    counts["location.country"] = _single(g_countries or None, p_country, p_country in g_countries)
    g_places = _gold_places(key) if key else set()
    p_places = _pred_places(incident) if incident else set()
    counts["location.place"] = _single(
        g_places or None, p_places or None, bool(g_places & p_places)
    )

    g_stages = gold_stages(key) if key else set()
    p_stage = STAGE_TO_MUC[incident.stage] if incident else None
    counts["stage"] = _single(g_stages or None, p_stage, p_stage in g_stages)

    for slot, effect, kind in (("killed", "DEATH", "killed"), ("wounded", "INJURY", "wounded")):
        g_count = gold_casualties(key, effect) if key else None
        p_count = predicted_casualties(incident, kind) if incident else None
        hit = g_count is not None and p_count is not None and _overlaps(p_count, g_count)
        counts[slot] = _single(g_count, p_count, hit)
    return counts


def _confidence_counts(incident: Incident | None, key: KeyTemplate | None) -> Counts:
    preds = predicted_confidences(incident) if incident else []
    golds = gold_confidences(key) if key else []
    p_num = sum(1 for actor, conf in preds if any(actor in o and conf & c for o, c in golds))
    r_num = sum(1 for o, c in golds if any(actor in o and conf & c for actor, conf in preds))
    return Counts(p_num=p_num, p_den=len(preds), r_num=r_num, r_den=len(golds))


def _slot_counts(incident: Incident | None, key: KeyTemplate | None) -> dict[str, Counts]:
    counts = _single_slots(incident, key)
    counts["perp_confidence"] = _confidence_counts(incident, key)
    return {slot: counts[slot] for slot in SLOTS}


def score_document_extended(
    incidents: Sequence[Incident], keys: Sequence[KeyTemplate]
) -> dict[str, Counts]:
    """Return one document's extended counts; incidents align to key templates as in GTT."""
    preds = [t.normalized() for t in to_templates(incidents)]
    golds = [k.to_template().normalized() for k in keys]
    alignment = score_document(preds, golds)
    counts: dict[str, Counts] = {slot: Counts() for slot in SLOTS}
    aligned_keys: set[int] = set()
    for i, incident in enumerate(incidents):
        g = alignment.mapping[i] if alignment.matched[i] else None
        if g is not None:
            aligned_keys.add(g)
        counts = add_keyed(counts, _slot_counts(incident, keys[g] if g is not None else None))
    for g, key in enumerate(keys):
        if g not in aligned_keys:
            counts = add_keyed(counts, _slot_counts(None, key))
    return counts


def score_extended(
    predictions: Mapping[str, Sequence[Incident]], keys: Mapping[str, Sequence[KeyTemplate]]
) -> ExtendedResult:
    """Score the extended slots over the documents of `keys` (relevant key templates only)."""
    totals: dict[str, Counts] = {slot: Counts() for slot in SLOTS}
    documents: dict[str, dict[str, Counts]] = {}
    for docid, doc_keys in keys.items():
        doc = score_document_extended(list(predictions.get(docid, ())), list(doc_keys))
        documents[docid] = doc
        totals = add_keyed(totals, doc)
    return ExtendedResult(keys=totals, documents=documents)
