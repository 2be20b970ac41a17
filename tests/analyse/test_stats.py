"""Tests for incident summaries: casualty ranges across sources, counts and the trend."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from threatwatch.analyse.stats import (
    CasualtyRange,
    make_casualty_ranges,
    make_summary,
    make_trend,
    sum_casualty_ranges,
)
from threatwatch.model import (
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DatePrecision,
    DateValue,
    Evidence,
    Incident,
    IncidentType,
    Location,
    Stage,
)

EVIDENCE = Evidence(document_id="doc-1", start=0, end=5, sentence="Fictional.", extractor="test.v1")


def claim(kind: str, low: int | None, high: int | None) -> CasualtyClaim:
    """Return one source's figure."""
    return CasualtyClaim(kind=kind, min=low, max=high, text="", evidence=EVIDENCE)


def attribution(actor_id: str, status: AttributionStatus) -> Attribution:
    """Return an attribution of a fictional actor named after its ID."""
    return Attribution(
        actor=actor_id.upper(),
        actor_id=actor_id,
        status=status,
        asserted_by="someone",
        evidence=EVIDENCE,
    )


def incident(
    id_: str,
    *,
    date: str | None = "2024-01-01",
    country: str | None = "XX",
    type_: IncidentType = IncidentType.BOMBING,
    stage: Stage = Stage.ACCOMPLISHED,
    casualties: tuple[CasualtyClaim, ...] = (),
    attributions: tuple[Attribution, ...] = (),
) -> Incident:
    """Return a fictional incident."""
    return Incident(
        id=id_,
        type=type_,
        stage=stage,
        date=DateValue(value=date, precision=DatePrecision.DAY) if date else DateValue.unresolved(),
        location=Location(country=country),
        description="Fictional.",
        casualties=casualties,
        attributions=attributions,
    )


def test_casualty_range_of_one_incident_spans_sources_without_adding_them() -> None:
    (killed,) = make_casualty_ranges([claim("killed", 133, 133), claim("killed", 145, 145)])
    assert (killed.kind, killed.min, killed.max) == ("killed", 133, 145)
    assert len(killed.claims) == 2


def test_casualty_range_is_open_when_any_source_gives_no_upper_bound() -> None:
    (killed,) = make_casualty_ranges([claim("killed", 170, None), claim("killed", 183, 183)])
    assert (killed.min, killed.max, killed.is_open) == (170, None, True)


def test_casualty_range_counts_a_missing_lower_bound_from_zero() -> None:
    (wounded,) = make_casualty_ranges([claim("wounded", None, 10), claim("wounded", 4, 4)])
    assert (wounded.min, wounded.max) == (0, 10)


def test_casualty_range_keeps_zero_as_a_figure() -> None:
    (killed,) = make_casualty_ranges([claim("killed", 0, 0)])
    assert (killed.min, killed.max) == (0, 0)


def test_casualty_ranges_skip_claims_without_figures_or_upside_down() -> None:
    ranges = make_casualty_ranges(
        [claim("killed", None, None), claim("killed", 9, 3), claim("wounded", 2, 2)]
    )
    assert [(item.kind, item.min, item.max) for item in ranges] == [("wounded", 2, 2)]


def test_casualty_ranges_keep_kinds_apart_in_display_order() -> None:
    ranges = make_casualty_ranges(
        [claim("casualties", 50, 50), claim("wounded", 20, 30), claim("killed", 5, 5)]
    )
    assert [item.kind for item in ranges] == ["killed", "wounded", "casualties"]


@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 10_000) | st.none()),
        min_size=1,
        max_size=8,
    )
)
def test_casualty_range_covers_every_claim(bounds: list[tuple[int, int | None]]) -> None:
    claims = [claim("killed", low, None if high is None else low + high) for low, high in bounds]
    (killed,) = make_casualty_ranges(claims)
    assert killed.min == min(low for low, _ in bounds)
    for item in claims:
        assert item.min is not None
        assert killed.min <= item.min
        if killed.max is not None:
            assert item.max is not None
            assert item.max <= killed.max
    assert killed.is_open == any(high is None for _, high in bounds)


def test_sum_of_ranges_adds_incidents_and_stays_open_when_one_is_open() -> None:
    closed = sum_casualty_ranges(
        [
            CasualtyRange(kind="killed", min=133, max=145),
            CasualtyRange(kind="killed", min=95, max=103),
        ]
    )
    assert [(item.min, item.max, item.incidents) for item in closed] == [(228, 248, 2)]
    opened = sum_casualty_ranges([*closed, CasualtyRange(kind="killed", min=170, max=None)])
    assert [(item.min, item.max, item.incidents) for item in opened] == [(398, None, 3)]


def test_summary_counts_only_the_subject_attributions_by_status() -> None:
    incidents = [
        incident(
            "a",
            attributions=(
                attribution("subject", AttributionStatus.CLAIMED),
                attribution("subject", AttributionStatus.SUSPECTED),
                attribution("other", AttributionStatus.ACCUSED),
            ),
        ),
        incident("b", attributions=(attribution("subject", AttributionStatus.SUSPECTED),)),
    ]
    summary = make_summary(incidents, actor_ids={"subject"})
    assert summary.by_status == (("suspected", 2), ("claimed", 1))
    # Two attributions of one actor to one incident count that incident once.
    assert summary.by_actor == (("SUBJECT", 2), ("OTHER", 1))
    assert make_summary(incidents).by_status == (("suspected", 2), ("accused", 1), ("claimed", 1))


def test_summary_counts_types_stages_countries_and_undated() -> None:
    summary = make_summary(
        [
            incident("a", country="AF", stage=Stage.FOILED, type_=IncidentType.PLOT),
            incident("b", country="AF"),
            incident("c", country=None, date=None),
        ]
    )
    assert summary.incidents == 3
    assert summary.by_type == (("bombing", 2), ("plot", 1))
    assert summary.by_stage == (("accomplished", 2), ("foiled", 1))
    assert summary.by_country == (("AF", 2), ("unknown", 1))
    assert summary.undated == 1
    assert summary.per_year == ((2024, 2),)


def test_summary_sums_casualties_across_incidents_not_sources() -> None:
    summary = make_summary(
        [
            incident("a", casualties=(claim("killed", 133, 133), claim("killed", 145, 145))),
            incident("b", casualties=(claim("killed", 95, 95), claim("killed", 103, 103))),
            incident("c"),
        ]
    )
    assert [(item.kind, item.min, item.max, item.incidents) for item in summary.casualties] == [
        ("killed", 228, 248, 2)
    ]


def test_trend_compares_the_latest_year_with_the_one_before() -> None:
    trend = make_trend([(2021, 1), (2023, 3), (2024, 2)], current_year=2026)
    assert trend is not None
    assert (trend.year, trend.count, trend.previous_year, trend.previous_count) == (
        2024,
        2,
        2023,
        3,
    )
    assert trend.direction == "down"
    assert not trend.partial


def test_trend_counts_a_missing_previous_year_as_zero_and_marks_the_current_year() -> None:
    trend = make_trend([(2021, 1), (2024, 4)], current_year=2024)
    assert trend is not None
    assert (trend.previous_year, trend.previous_count, trend.direction) == (2023, 0, "up")
    assert trend.partial


def test_trend_is_none_without_dated_incidents() -> None:
    assert make_trend([]) is None
    assert make_summary([incident("a", date=None)]).trend is None
