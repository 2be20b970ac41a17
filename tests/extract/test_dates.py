"""Date phrases resolve against the publication date and are never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from threatwatch.extract.dates import find_date, parse_published, resolve_date
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


def test_find_date_reads_the_first_phrase_that_names_a_day() -> None:
    published = date(1990, 2, 4)  # a Sunday
    found = find_date("GUERRILLAS KIDNAPPED THE MAYOR ON 2 FEBRUARY AND FLED TODAY.", published)
    assert found is not None
    assert (found.value, found.text) == ("1990-02-02", "2 FEBRUARY")
    yesterday = find_date("A BOMB EXPLODED YESTERDAY IN LIMA.", published)
    assert yesterday is not None and yesterday.value == "1990-02-03"
    friday = find_date("Rebels attacked the post on Friday night.", published)
    assert friday is not None and friday.value == "1990-02-02"


def test_find_date_skips_period_bounds_and_never_guesses() -> None:
    published = date(1990, 2, 4)
    assert find_date("SINCE 2 FEBRUARY THE ARMY HAS PATROLLED THE AREA.", published) is None
    assert find_date("THE MAYOR SAID THE TOWN WAS CALM.", published) is None  # "may" in "mayor"
    assert find_date("IT HAPPENED IN 1989.", published) is None  # a year alone is no day
    assert find_date("THE ATTACK TOOK PLACE TODAY.", None) is None  # nothing to resolve against
