"""Resolve date expressions against a document's publication date; never guess a missing date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from threatwatch.model import DatePrecision, DateValue

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a": 1, "an": 1,
}  # fmt: skip
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Vague spans that name no point in time: they resolve to nothing rather than to a guess.
_VAGUE = re.compile(
    r"\b(recent(ly)?|decades?|past (few )?(years|months|weeks)|years|months|weeks|days|"
    r"a year after|just a year|future|soon|now|currently|ongoing)\b"
)
_AGO = re.compile(r"^(?P<n>\d+|\w+)\s+(?P<unit>year|month|week|day)s?\s+ago$")
_YEAR = re.compile(r"^(?:in\s+)?(?P<y>(19|20)\d{2})$")
_DAY_MONTH_YEAR = re.compile(
    r"^(?:on\s+)?(?:\w+day,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>[a-z]{3,9})\.?,?\s*(?P<y>\d{2,4})?$"
)
_MONTH_DAY_YEAR = re.compile(
    r"^(?:on\s+)?(?:\w+day,?\s+)?(?P<m>[a-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y>\d{4})?$"
)
_MONTH_YEAR = re.compile(r"^(?:in\s+)?(?P<m>[a-z]{3,9})\.?,?\s+(?:of\s+)?(?P<y>\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_MONTH_NAMES = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
# Date phrases in running text that `resolve_date` reads: today, yesterday, a weekday, a day and
# month (with or without a year). Years alone and vague phrases are left out on purpose.
_PHRASE = re.compile(
    r"\b(?P<before>since|until|till|by|before|after|from)?\s*"
    r"(?P<phrase>today|yesterday"
    r"|(?:on\s+|last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}\.?(?:,?\s*\d{{4}})?"
    rf"|{_MONTH_NAMES}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?)\b",
    re.IGNORECASE,
)


def _month(word: str) -> int | None:
    return _MONTHS.get(word[:3].lower())


def _year(text: str | None, published: date | None) -> int | None:
    if text is None:
        return published.year if published else None
    value = int(text)
    if value < 100:  # two-digit years in datelines: 89 -> 1989, 24 -> 2024
        value += 1900 if value >= 50 else 2000
    return value


def _day(year: int | None, month: int | None, day: int, published: date | None) -> date | None:
    if year is None or month is None:
        return None
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    # "March 22" read in a January report means last year's March.
    if published is not None and value > published + timedelta(days=1):
        try:
            value = date(year - 1, month, day)
        except ValueError:
            return None
    return value


def resolve_date(text: str, published: date | None) -> DateValue | None:
    """Return the date a phrase names, resolved against `published`, or None if it names none.

    Relative phrases ("last year", "on Friday", "three years ago") need `published`; without it
    they come back unresolved. Vague phrases ("recently", "the past few years") return None.
    """
    raw = text.strip()
    phrase = re.sub(r"\s+", " ", raw.lower().strip(" .,")).removeprefix("the ")
    if not phrase:
        return None
    if _VAGUE.search(phrase) and not _AGO.match(phrase) and not re.search(r"\d{4}", phrase):
        return None
    if match := _ISO.match(phrase):
        parsed = _day(int(match["y"]), int(match["m"]), int(match["d"]), None)
        return (
            DateValue(value=parsed.isoformat(), precision=DatePrecision.DAY, text=raw)
            if parsed
            else None
        )
    if match := _YEAR.match(phrase):
        return DateValue(value=match["y"], precision=DatePrecision.YEAR, text=raw)
    if match := _MONTH_YEAR.match(phrase):
        month = _month(match["m"])
        if month:
            return DateValue(
                value=f"{match['y']}-{month:02d}", precision=DatePrecision.MONTH, text=raw
            )
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if match := pattern.match(phrase):
            month = _month(match["m"])
            parsed = _day(_year(match["y"], published), month, int(match["d"]), published)
            if parsed:
                return DateValue(value=parsed.isoformat(), precision=DatePrecision.DAY, text=raw)
    return _resolve_relative(phrase, raw, published)


def find_date(text: str, published: date | None) -> DateValue | None:
    """Return the first date phrase of `text` that resolves to a day, or None.

    For sentences the parser could not read (text in capitals): it looks for today, yesterday,
    weekdays and day-month dates, skips those that bound a period ("since 2 February"), and
    resolves them as `resolve_date` does. Nothing is guessed: no phrase, no date.
    """
    for match in _PHRASE.finditer(text):
        if match["before"]:
            continue
        value = resolve_date(match["phrase"], published)
        if value is not None and value.value is not None:
            return value
    return None


def _resolve_relative(phrase: str, raw: str, published: date | None) -> DateValue | None:
    relative = (
        phrase in {"today", "yesterday", "this year", "last year", "last month", "this month"}
        or phrase.removeprefix("on ").removeprefix("last ") in _WEEKDAYS
        or _AGO.match(phrase) is not None
    )
    if not relative:
        return None
    if published is None:
        return DateValue.unresolved(raw)
    if phrase == "today":
        return DateValue(value=published.isoformat(), precision=DatePrecision.DAY, text=raw)
    if phrase == "yesterday":
        value = published - timedelta(days=1)
        return DateValue(value=value.isoformat(), precision=DatePrecision.DAY, text=raw)
    if phrase in {"this year", "last year"}:
        year = published.year - (phrase == "last year")
        return DateValue(value=str(year), precision=DatePrecision.YEAR, text=raw)
    if phrase in {"this month", "last month"}:
        first = published.replace(day=1)
        value = first - timedelta(days=1) if phrase == "last month" else first
        return DateValue(
            value=f"{value.year}-{value.month:02d}", precision=DatePrecision.MONTH, text=raw
        )
    weekday = phrase.removeprefix("on ").removeprefix("last ")
    if weekday in _WEEKDAYS:
        # The most recent such weekday up to publication: a report published on a Friday that
        # says "on Friday" means that day.
        back = (published.weekday() - _WEEKDAYS.index(weekday)) % 7
        value = published - timedelta(days=back)
        return DateValue(value=value.isoformat(), precision=DatePrecision.DAY, text=raw)
    match = _AGO.match(phrase)
    assert match is not None
    count = int(match["n"]) if match["n"].isdigit() else _NUMBER_WORDS.get(match["n"])
    if count is None:
        return DateValue.unresolved(raw)
    if match["unit"] == "year":
        return DateValue(value=str(published.year - count), precision=DatePrecision.YEAR, text=raw)
    if match["unit"] == "month":
        months = published.year * 12 + published.month - 1 - count
        return DateValue(
            value=f"{months // 12}-{months % 12 + 1:02d}", precision=DatePrecision.MONTH, text=raw
        )
    days = count * (7 if match["unit"] == "week" else 1)
    value = published - timedelta(days=days)
    return DateValue(value=value.isoformat(), precision=DatePrecision.DAY, text=raw)


def parse_published(text: str) -> date | None:
    """Parse a metadata date (ISO or common news formats); None when it cannot be read."""
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    value = resolve_date(text, None)
    if value is not None and value.precision is DatePrecision.DAY and value.value:
        return date.fromisoformat(value.value)
    return None
