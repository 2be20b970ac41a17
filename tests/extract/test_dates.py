"""Date phrases resolve against the publication date and are never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from threatwatch.extract.dates import parse_published, resolve_date
from threatwatch.model import DatePrecision

PUBLISHED = date(2024, 3, 26)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("last year", "2023", DatePrecision.YEAR),
        ("three years ago", "2021", DatePrecision.YEAR),
        ("2015", "2015", DatePrecision.YEAR),
        ("March 2024", "2024-03", DatePrecision.MONTH),
        ("22 March 2024", "2024-03-22", DatePrecision.DAY),
        ("March 22", "2024-03-22", DatePrecision.DAY),
        ("on Friday", "2024-03-22", DatePrecision.DAY),
        ("Tuesday", "2024-03-26", DatePrecision.DAY),
        ("yesterday", "2024-03-25", DatePrecision.DAY),
        ("3 JAN 90", "1990-01-03", DatePrecision.DAY),
        ("December 30", "2023-12-30", DatePrecision.DAY),
    ],
)
def test_resolve_date_against_publication(text: str, value: str, precision: DatePrecision) -> None:
    result = resolve_date(text, PUBLISHED)
    assert result is not None
    assert (result.value, result.precision) == (value, precision)
    assert result.text == text


@pytest.mark.parametrize("text", ["recently", "the past few years", "decades", "soon", ""])
def test_resolve_date_vague_phrases_give_nothing(text: str) -> None:
    assert resolve_date(text, PUBLISHED) is None


def test_resolve_date_relative_without_publication_is_unresolved() -> None:
    result = resolve_date("last year", None)
    assert result is not None
    assert result.value is None
    assert result.precision is DatePrecision.UNRESOLVED


def test_parse_published_reads_iso_and_rejects_garbage() -> None:
    assert parse_published("2024-03-26") == date(2024, 3, 26)
    assert parse_published("2024-03-26T10:00:00Z") == date(2024, 3, 26)
    assert parse_published("the day after") is None
