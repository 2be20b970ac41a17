"""Counted phrases keep their qualifiers as open or closed bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threatwatch.extract.quantities import parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("more than 1,300", (1301, None)),
        ("over 190", (191, None)),
        ("at least 133", (133, None)),
        ("nearly 100", (None, 99)),
        ("up to 50", (None, 50)),
        ("four", (4, 4)),
        ("twenty-one", (21, 21)),
        ("137 to 145", (137, 145)),
        ("dozens", (24, None)),
        ("about 170", (170, 170)),
    ],
)
def test_parse_quantity_bounds(text: str, bounds: tuple[int | None, int | None]) -> None:
    assert parse_quantity(text) == bounds


@pytest.mark.parametrize("text", ["many", "the attack", "145 to 137", ""])
def test_parse_quantity_rejects_non_counts(text: str) -> None:
    assert parse_quantity(text) is None


@given(st.integers(min_value=0, max_value=10**7))
def test_parse_number_round_trips_digits(value: int) -> None:
    assert parse_number(f"{value:,}") == value
    assert parse_number(str(value)) == value
