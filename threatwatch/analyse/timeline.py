"""Timeline: incidents in date order at the precision the sources give, and counts per period.

A date known only to the year or month is never narrowed down; it sorts at the start of its span
and counts only towards periods it fully determines. An unresolved date is listed apart.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from threatwatch.logs import get_logger, kv
from threatwatch.model import DatePrecision, DateValue, Incident

log = get_logger(__name__)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PATTERNS = {
    DatePrecision.YEAR: re.compile(r"^(\d{4})$"),
    DatePrecision.MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    DatePrecision.DAY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DateKey:
    """A checked date: `year`, and `month`/`day` only when the precision gives them."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Return a key that puts a coarse date at the start of its span."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def month_key(self) -> str | None:
        """Return `YYYY-MM`, or None for a date known only to the year."""
        return None if self.month is None else f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """Incidents split into dated (in order) and undated, with counts per month and per year."""

    dated: tuple[Incident, ...]
    """Incidents whose date is known at least to the year, earliest first."""
    undated: tuple[Incident, ...]
    """Incidents whose date is unresolved (or malformed): listed, never placed on the axis."""
    per_month: tuple[tuple[str, int], ...]
    """`(YYYY-MM, count)` for every month from the first to the last dated month, zeros included;
    incidents known only to the year are left out."""
    per_year: tuple[tuple[int, int], ...]
    """`(year, count)` for every year from the first to the last, zeros included."""
    year_only: int
    """How many dated incidents are known only to the year (absent from `per_month`)."""


def to_date_key(date: DateValue) -> DateKey | None:
    """Return the checked parts of `date`, or None when it is unresolved or does not match its
    precision (a malformed value is logged and treated as unresolved, never repaired)."""
    if date.precision == DatePrecision.UNRESOLVED or date.value is None:
        return None
    pattern = _PATTERNS.get(date.precision)
    match = pattern.match(date.value) if pattern else None
    if match is None:
        log.warning("date does not match its precision; treated as unresolved %s", _kv_date(date))
        return None
    parts = [int(group) for group in match.groups()]
    key = DateKey(
        year=parts[0],
        month=parts[1] if len(parts) > 1 else None,
        day=parts[2] if len(parts) > 2 else None,
    )
    try:
        to_span(key)
    except ValueError:
        log.warning("date out of range; treated as unresolved %s", _kv_date(date))
        return None
    return key


def to_span(key: DateKey) -> tuple[datetime.date, datetime.date]:
    """Return the first day of the span a date covers and the first day after it.

    Raises:
        ValueError: the date does not exist (month 13, 30 February).
    """
    if key.month is None:
        return datetime.date(key.year, 1, 1), datetime.date(key.year + 1, 1, 1)
    if key.day is None:
        start = datetime.date(key.year, key.month, 1)
        year, month = (key.year + 1, 1) if key.month == 12 else (key.year, key.month + 1)
        return start, datetime.date(year, month, 1)
    start = datetime.date(key.year, key.month, key.day)
    return start, start + datetime.timedelta(days=1)


def to_date_label(date: DateValue) -> str:
    """Return a reader's label at the date's own precision: `22 Mar 2024`, `Mar 2024`, `2023`.

    An unresolved date reads `date unknown`, followed by the source's words when there are any.
    """
    key = to_date_key(date)
    if key is None:
        return f"date unknown ({date.text})" if date.text else "date unknown"
    if key.month is None:
        return f"{key.year}"
    month = _MONTHS[key.month - 1]
    if key.day is None:
        return f"{month} {key.year}"
    return f"{key.day} {month} {key.year}"


def make_timeline(incidents: Iterable[Incident]) -> Timeline:
    """Order `incidents` by date and count them per month and per year."""
    keyed: list[tuple[DateKey, Incident]] = []
    undated: list[Incident] = []
    for incident in incidents:
        key = to_date_key(incident.date)
        if key is None:
            undated.append(incident)
        else:
            keyed.append((key, incident))
    # The incident ID breaks ties so that the order does not depend on the input order.
    keyed.sort(key=lambda pair: (pair[0].sort_key, pair[1].id))
    undated.sort(key=lambda incident: incident.id)
    months = Counter(key.month_key for key, _ in keyed if key.month_key is not None)
    years = Counter(key.year for key, _ in keyed)
    return Timeline(
        dated=tuple(incident for _, incident in keyed),
        undated=tuple(undated),
        per_month=_fill_months(months),
        per_year=_fill_years(years),
        year_only=sum(1 for key, _ in keyed if key.month is None),
    )


def _fill_months(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Return counts for every month between the first and the last key, zeros included."""
    if not counts:
        return ()
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:])
    filled: list[tuple[str, int]] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        filled.append((key, counts.get(key, 0)))
        if key == last:
            return tuple(filled)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _fill_years(counts: Counter[int]) -> tuple[tuple[int, int], ...]:
    """Return counts for every year between the first and the last, zeros included."""
    if not counts:
        return ()
    return tuple((year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1))


def _kv_date(date: DateValue) -> str:
    return kv(value=date.value, precision=str(date.precision), text=date.text)
