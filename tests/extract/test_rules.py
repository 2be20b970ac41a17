"""The v1 rules on short hand-written sentences, with the real model (behaviour, not parses)."""

from __future__ import annotations

from datetime import date

import pytest

from threatwatch.extract import Extractor
from threatwatch.model import AttributionStatus, Document, Extraction, IncidentType, Stage

pytestmark = pytest.mark.model


def read(extractor: Extractor, text: str, published: date | None = date(2031, 5, 14)) -> Extraction:
    document = Document(text=text, source="test", publisher="Fixture Wire", published=published)
    return extractor.extract_one(document)


def test_rules_claim_date_place_and_casualties(extractor: Extractor) -> None:
    result = read(
        extractor,
        "A bomb exploded at a market in Quetta on Tuesday, killing at least 12 people and "
        "wounding more than 30. Tehrik-i-Taliban Pakistan claimed responsibility for the attack.",
    )
    assert len(result.incidents) == 1
    incident = result.incidents[0]
    assert incident.type is IncidentType.BOMBING
    assert (incident.location.place, incident.location.country) == ("Quetta", "PK")
    assert (incident.date.value, incident.date.precision) == ("2031-05-13", "day")
    ranges = {(c.kind, c.min, c.max) for c in incident.casualties}
    assert ranges == {("killed", 12, None), ("wounded", 31, None)}
    claim = incident.attributions[0]
    assert (claim.actor, claim.status, claim.asserted_by) == (
        "Tehrik-i-Taliban Pakistan",
        AttributionStatus.CLAIMED,
        "Tehrik-i-Taliban Pakistan",
    )


def test_rules_denial_and_accusation_are_both_kept(extractor: Extractor) -> None:
    result = read(
        extractor,
        "Gunmen attacked a hotel in Kabul on Monday. Kabul accused Pakistan of backing the "
        "attack. Pakistan denied any involvement in the attack.",
    )
    assert len(result.incidents) == 1
    statuses = {(a.actor, a.status, a.asserted_by) for a in result.incidents[0].attributions}
    assert ("Pakistan", AttributionStatus.ACCUSED, "Afghanistan") in statuses
    assert ("Pakistan", AttributionStatus.DENIED, "Pakistan") in statuses


def test_rules_foiled_plot_with_target(extractor: Extractor) -> None:
    result = read(extractor, "French police foiled a plot to attack a stadium in Lyon.")
    assert len(result.incidents) == 1
    plot = result.incidents[0]
    assert (plot.type, plot.stage) == (IncidentType.PLOT, Stage.FOILED)
    assert plot.location.place == "Lyon"
    assert "stadium" in plot.targets


@pytest.mark.parametrize(
    "text",
    [
        "Militant groups have carried out attacks across the region for years.",
        "Officials warned of a threat of attacks on airports.",
        "ISIS-K has attacked Taliban officials many times.",
    ],
)
def test_rules_generic_or_warned_attacks_are_not_incidents(extractor: Extractor, text: str) -> None:
    assert read(extractor, text).incidents == ()


def test_rules_undated_incident_stays_unresolved(extractor: Extractor) -> None:
    result = read(extractor, "A suicide bomber attacked a checkpoint in Kandahar.", published=None)
    assert len(result.incidents) == 1
    assert result.incidents[0].date.value is None
    assert result.incidents[0].date.precision == "unresolved"


def test_rules_suspects_with_nationality(extractor: Extractor) -> None:
    result = read(
        extractor,
        "Gunmen attacked a concert hall in Moscow. Police arrested three suspects, who were "
        "identified as nationals of Uzbekistan.",
    )
    suspects = result.incidents[0].suspects
    assert [(s.count, s.nationality) for s in suspects] == [(3, "UZ")]


def test_rules_reports_of_one_event_in_one_document_merge(extractor: Extractor) -> None:
    result = read(
        extractor,
        "Twin Blasts Hit Quetta Market\n"
        "Two explosions struck a market in Quetta on Tuesday. The bombings killed 15 people. "
        "Police said the attack was the deadliest since 2019.",
    )
    assert len(result.incidents) == 1
    assert result.incidents[0].date.value == "2031-05-13"


def test_rules_long_document_is_read_up_to_the_limit_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    short = Extractor(learned=False, max_chars=60)
    text = "A bomb exploded at a market in Quetta. " + "Nothing else happened that day. " * 5
    with caplog.at_level("WARNING"):
        result = short.extract_one(Document(text=text, source="long.txt"))
    assert len(result.incidents) == 1
    assert "only the first 60 characters" in caplog.text and "long.txt" in caplog.text
