"""Cross-document incident resolution on hand-built incidents."""

from __future__ import annotations

from dataclasses import replace

from threatwatch.model import (
    Attribution,
    AttributionStatus,
    DatePrecision,
    DateValue,
    Evidence,
    Incident,
    IncidentType,
    Location,
    Stage,
)
from threatwatch.resolve import cluster_incidents, is_same_incident

EV = Evidence(document_id="doc-1", start=0, end=5, sentence="Words.", extractor="test.v1")


def make(
    key: str,
    *,
    kind: IncidentType = IncidentType.ATTACK,
    day: str | None = "2024-03-22",
    place: str | None = "Moscow",
    country: str | None = "RU",
    stage: Stage = Stage.ACCOMPLISHED,
    actor: str | None = None,
) -> Incident:
    date = DateValue(value=day, precision=DatePrecision.DAY) if day else DateValue.unresolved()
    attributions = ()
    if actor:
        attributions = (
            Attribution(
                actor=actor, actor_id=f"actor-{actor}", status=AttributionStatus.CLAIMED,
                asserted_by=actor, evidence=EV,
            ),
        )  # fmt: skip
    return Incident(
        id=key,
        type=kind,
        stage=stage,
        date=date,
        location=Location(place=place, country=country),
        description="x",
        attributions=attributions,
    )


def test_same_event_from_two_days_of_reporting_merges() -> None:
    first = make("a", kind=IncidentType.ARMED_ASSAULT)
    second = make("b", day="2024-03-23")
    assert is_same_incident(first, second)
    assert cluster_incidents([first, second]) == {"a": "a", "b": "a"}


def test_different_city_type_or_date_stays_apart() -> None:
    base = make("a")
    assert not is_same_incident(base, make("b", place="Kazan"))
    assert not is_same_incident(base, make("c", day="2024-03-25"))
    assert not is_same_incident(base, make("d", kind=IncidentType.KIDNAPPING))
    bombing = make("g", kind=IncidentType.BOMBING)
    assert is_same_incident(bombing, make("h", kind=IncidentType.SUICIDE_ATTACK))
    assert not is_same_incident(bombing, make("i", kind=IncidentType.KIDNAPPING))
    assert not is_same_incident(base, make("e", country="UA", place=None))
    assert not is_same_incident(base, make("f", kind=IncidentType.PLOT, stage=Stage.FOILED))


def test_undated_report_joins_only_in_the_same_city() -> None:
    dated = make("a", actor="ISIS")
    assert is_same_incident(dated, make("b", day=None))
    assert not is_same_incident(dated, make("c", day=None, place=None))


def test_nearby_places_count_as_one() -> None:
    moscow = make("a")
    moscow = replace(
        moscow, location=Location(place="Moscow", country="RU", latitude=55.75, longitude=37.62)
    )
    krasnogorsk = replace(
        make("b", place="Krasnogorsk"),
        location=Location(place="Krasnogorsk", country="RU", latitude=55.82, longitude=37.33),
    )
    kazan = replace(
        make("c", place="Kazan"),
        location=Location(place="Kazan", country="RU", latitude=55.79, longitude=49.12),
    )
    assert is_same_incident(moscow, krasnogorsk)
    assert not is_same_incident(moscow, kazan)


def test_clusters_are_transitive_and_ignore_unplaced_incidents() -> None:
    items = [
        make("a", day="2024-03-22"),
        make("b", day="2024-03-23"),
        make("c", day="2024-03-24"),
        make("d", country=None, place=None),
    ]
    mapping = cluster_incidents(items)
    assert mapping["a"] == mapping["b"] == mapping["c"] == "a"
    assert mapping["d"] == "d"
