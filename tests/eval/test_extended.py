"""The extended slot score: date, location, stage, perpetrator confidence, casualties."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from threatwatch.eval.extended import (
    gold_casualties,
    gold_confidences,
    gold_dates,
    gold_locations,
    score_document_extended,
    score_extended,
    split_alternatives,
)
from threatwatch.eval.muc4 import KeyTemplate, load_split
from threatwatch.eval.scores import Counts
from threatwatch.model import AttributionStatus, DatePrecision, IncidentType, Location, Stage

from .incidents import make_incident


def key(**slots: tuple[str, ...]) -> KeyTemplate:
    values = {0: ("TST9-MUC4-0001",), 1: ("1",), 4: ("ATTACK",)}
    values.update({int(k[1:]): v for k, v in slots.items()})
    return KeyTemplate(docid="TST9-MUC4-0001", slots=values)


def test_split_alternatives_respects_parentheses() -> None:
    value = "(EL SALVADOR: SAN SALVADOR (CITY)) / (EL SALVADOR) / ?"
    assert split_alternatives(value) == ["EL SALVADOR: SAN SALVADOR (CITY)", "EL SALVADOR"]


def test_gold_dates_reads_single_open_and_range_forms() -> None:
    k = key(s2=("(08 MAR 90) / (07 MAR 90 - 08 MAR 90) / (- 12 MAR 90)",))
    assert gold_dates(k) == [
        (date(1990, 3, 8), date(1990, 3, 8)),
        (date(1990, 3, 7), date(1990, 3, 8)),
        (date(1990, 2, 11), date(1990, 3, 12)),
    ]


def test_gold_locations_reads_country_and_places() -> None:
    k = key(s3=("PERU: LIMA (CITY): SAN ISIDRO (NEIGHBORHOOD)",))
    assert gold_locations(k) == [("PE", ["LIMA", "SAN ISIDRO"])]


def test_gold_confidences_reads_alternative_confidences() -> None:
    k = key(s11=('REPORTED AS FACT / CLAIMED OR ADMITTED: "FMLN" / "THE FRONT"',))
    assert gold_confidences(k) == [
        (frozenset({"fmln", "front"}), {"REPORTED AS FACT", "CLAIMED OR ADMITTED"})
    ]


def test_gold_casualties_sums_targets_by_effect() -> None:
    k = key(
        s21=('6: "JESUITS"', '2: "MAIDS"', 'PLURAL: "GUARDS"'),
        s23=('DEATH: "JESUITS"', 'DEATH: "MAIDS"', 'INJURY: "GUARDS"'),
    )
    assert gold_casualties(k, "DEATH") == (8, 8)
    assert gold_casualties(k, "INJURY") == (2, math.inf)
    assert gold_casualties(key(s23=('NO INJURY OR DEATH: "-"',)), "DEATH") == (0, 0)
    assert gold_casualties(key(), "DEATH") is None


@pytest.mark.parametrize(
    ("value", "precision", "hit"),
    [
        ("1990-03-08", DatePrecision.DAY, 1),
        ("1990-03-09", DatePrecision.DAY, 0),
        ("1990-03", DatePrecision.MONTH, 0),
    ],
)
def test_date_slot_needs_prediction_inside_gold_range(
    value: str, precision: DatePrecision, hit: int
) -> None:
    k = key(s2=("07 MAR 90 - 08 MAR 90",))
    counts = score_document_extended([make_incident(date=value, precision=precision)], [k])
    assert counts["date"] == Counts(p_num=hit, p_den=1, r_num=hit, r_den=1)


def test_location_stage_and_confidence_slots() -> None:
    k = key(
        s3=("COLOMBIA: BOGOTA (CITY)",),
        s5=("ATTEMPTED",),
        s11=('SUSPECTED OR ACCUSED BY AUTHORITIES: "BLUE COLUMN"', 'POSSIBLE: "RED CELL"'),
    )
    incident = make_incident(
        location=Location(place="Bogotá", country="CO"),
        stage=Stage.FOILED,
        attributions=(
            ("Blue Column", AttributionStatus.ACCUSED),
            ("Red Cell", AttributionStatus.CLAIMED),
            ("Grey Band", AttributionStatus.DENIED),
        ),
    )
    counts = score_document_extended([incident], [k])
    assert counts["location.country"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    assert counts["location.place"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    assert counts["stage"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    # Red Cell has the wrong confidence; the denied attribution is not scored.
    assert counts["perp_confidence"] == Counts(p_num=1, p_den=2, r_num=1, r_den=2)


def test_casualty_slots_match_overlapping_figures() -> None:
    k = key(s21=('6: "JESUITS"',), s23=('DEATH: "JESUITS"',))
    right = make_incident(casualties=(("killed", 5, 7), ("wounded", 3, 3)))
    counts = score_document_extended([right], [k])
    assert counts["killed"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    assert counts["wounded"] == Counts(p_num=0, p_den=1, r_num=0, r_den=0)
    wrong = make_incident(casualties=(("killed", 2, 2),))
    assert score_document_extended([wrong], [k])["killed"] == Counts(p_den=1, r_den=1)


def test_unaligned_incident_of_wrong_type_earns_nothing() -> None:
    k = key(s5=("ACCOMPLISHED",))
    counts = score_document_extended([make_incident(IncidentType.KIDNAPPING)], [k])
    assert counts["stage"] == Counts(p_num=0, p_den=1, r_num=0, r_den=1)


def test_score_extended_on_fixture_keys(muc4_fixture_dir: Path) -> None:
    _, keys = load_split(muc4_fixture_dir, "dev")
    incident = make_incident(
        perpetrators=("gunmen",),
        victims=("Ana Vero",),
        date="1990-03-11",
        location=Location(place="Port Lanto", country="SV"),
        attributions=(("Red Hand Front", AttributionStatus.CLAIMED),),
        casualties=(("killed", 1, 1),),
    )
    result = score_extended({"TST1-MUC3-0001": [incident]}, keys)
    assert result.keys["date"] == Counts(p_num=1, p_den=1, r_num=1, r_den=2)
    assert result.keys["location.place"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    assert result.keys["perp_confidence"] == Counts(p_num=1, p_den=1, r_num=1, r_den=2)
    # TST2-MUC4-0001 says nobody was killed; nothing was predicted for it.
    assert result.keys["killed"] == Counts(p_num=1, p_den=1, r_num=1, r_den=2)
    assert result.keys["wounded"] == Counts(p_num=0, p_den=0, r_num=0, r_den=2)
