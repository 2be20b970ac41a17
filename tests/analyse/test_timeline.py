"""Tests for the incident timeline: order, date precision and counts per period."""

from __future__ import annotations

from threatwatch.analyse.timeline import make_timeline, to_date_key, to_date_label
from threatwatch.model import (
    DatePrecision,
    DateValue,
    Incident,
    IncidentType,
    Location,
    Stage,
)


def make_incident(id_: str, value: str | None, precision: DatePrecision) -> Incident:
    """Return a bare incident dated `value` at `precision`."""
    return Incident(
        id=id_,
        type=IncidentType.ATTACK,
        stage=Stage.ACCOMPLISHED,
        date=DateValue(value=value, precision=precision),
        location=Location(country="XX"),
        description="A fictional attack.",
    )


DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


def test_timeline_orders_by_date_whatever_the_input_order() -> None:
    incidents = [
        make_incident("c", "2024-03-22", DAY),
        make_incident("a", "2021-08-26", DAY),
        make_incident("b", "2024-01-03", DAY),
    ]
    forward = make_timeline(incidents)
    backward = make_timeline(list(reversed(incidents)))
    assert [incident.id for incident in forward.dated] == ["a", "b", "c"]
    assert forward.dated == backward.dated


def test_timeline_puts_a_coarse_date_at_the_start_of_its_span() -> None:
    timeline = make_timeline(
        [
            make_incident("day", "2024-03-02", DAY),
            make_incident("month", "2024-03", MONTH),
            make_incident("year", "2024", YEAR),
            make_incident("before", "2023-12-31", DAY),
        ]
    )
    assert [incident.id for incident in timeline.dated] == ["before", "year", "month", "day"]


def test_timeline_lists_unresolved_dates_apart_and_never_counts_them() -> None:
    timeline = make_timeline(
        [
            make_incident("known", "2024-03-22", DAY),
            make_incident("unknown", None, DatePrecision.UNRESOLVED),
        ]
    )
    assert [incident.id for incident in timeline.undated] == ["unknown"]
    assert timeline.per_year == ((2024, 1),)
    assert timeline.per_month == (("2024-03", 1),)


def test_timeline_treats_a_malformed_date_as_unresolved() -> None:
    timeline = make_timeline(
        [
            make_incident("wrong-precision", "2024-03", DAY),
            make_incident("no-such-day", "2023-02-30", DAY),
            make_incident("no-such-month", "2023-13", MONTH),
            make_incident("fine", "2023-02-28", DAY),
        ]
    )
    assert [incident.id for incident in timeline.dated] == ["fine"]
    assert {incident.id for incident in timeline.undated} == {
        "wrong-precision",
        "no-such-day",
        "no-such-month",
    }


def test_timeline_counts_fill_empty_months_and_skip_year_only_dates() -> None:
    timeline = make_timeline(
        [
            make_incident("a", "2023-11-05", DAY),
            make_incident("b", "2024-02", MONTH),
            make_incident("c", "2024-02-10", DAY),
            make_incident("d", "2022", YEAR),
        ]
    )
    assert timeline.per_month == (
        ("2023-11", 1),
        ("2023-12", 0),
        ("2024-01", 0),
        ("2024-02", 2),
    )
    assert timeline.per_year == ((2022, 1), (2023, 1), (2024, 2))
    assert timeline.year_only == 1


def test_timeline_of_nothing_is_empty() -> None:
    timeline = make_timeline([])
    assert timeline.dated == timeline.undated == timeline.per_month == timeline.per_year == ()


def test_date_label_keeps_the_precision() -> None:
    assert to_date_label(DateValue(value="2024-03-02", precision=DAY)) == "2 Mar 2024"
    assert to_date_label(DateValue(value="2024-03", precision=MONTH)) == "Mar 2024"
    assert to_date_label(DateValue(value="2024", precision=YEAR)) == "2024"
    assert to_date_label(DateValue.unresolved("recently")) == "date unknown (recently)"
    assert to_date_label(DateValue.unresolved()) == "date unknown"


def test_date_key_is_none_for_unresolved_even_with_a_value() -> None:
    date = DateValue(value="2024-03-02", precision=DatePrecision.UNRESOLVED)
    assert to_date_key(date) is None
