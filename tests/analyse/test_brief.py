"""Tests for the threat brief built from the hand-made sample in tests/fixtures/analyse."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from threatwatch.analyse import Brief, make_brief, make_country_brief
from threatwatch.errors import InputError
from threatwatch.model import (
    Actor,
    ActorKind,
    Attribution,
    AttributionStatus,
    DateValue,
    Document,
    Extraction,
    Incident,
    IncidentType,
    Location,
    Stage,
    Statement,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "analyse" / "sample.py"
Sample = tuple[Extraction, dict[str, Document]]
GENERATED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def load_fixture() -> ModuleType:
    """Import the sample fixture module by path (tests are not a package)."""
    spec = importlib.util.spec_from_file_location("analyse_sample_fixture", FIXTURE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample() -> Sample:
    """Return the sample extraction and its documents."""
    extraction, documents = load_fixture().load_sample()
    return extraction, documents


def actor_named(extraction: Extraction, name: str) -> Actor:
    """Return the sample actor called `name`."""
    return next(actor for actor in extraction.actors if actor.name == name)


def brief_on(
    sample: Sample,
    name: str,
    incidents: tuple[Incident, ...] | None = None,
) -> Brief:
    """Return the brief on the sample actor `name`."""
    extraction, documents = sample
    return make_brief(
        subject=actor_named(extraction, name),
        incidents=extraction.incidents if incidents is None else incidents,
        actors=extraction.actors,
        statements=extraction.statements,
        documents=documents,
        generated_at=GENERATED,
    )


def test_brief_keeps_incidents_attributed_to_the_subject_only(sample: Sample) -> None:
    extraction, _ = sample
    taliban = actor_named(extraction, "Taliban")
    elsewhere = Incident(
        id="inc-elsewhere",
        type=IncidentType.ATTACK,
        stage=Stage.ACCOMPLISHED,
        date=DateValue.unresolved(),
        location=Location(country="AF"),
        description="A fictional attack by someone else.",
        attributions=(
            Attribution(
                actor=taliban.name,
                actor_id=taliban.id,
                status=AttributionStatus.CLAIMED,
                asserted_by="Taliban",
                evidence=extraction.incidents[0].evidence[0],
            ),
        ),
    )
    brief = brief_on(sample, "ISIS-K", (*extraction.incidents, elsewhere))
    ids = {row.incident_id for row in brief.incidents}
    assert "inc-elsewhere" not in ids
    assert ids == {incident.id for incident in extraction.incidents}


def test_brief_on_a_parent_group_does_not_match_its_affiliate(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS")
    assert {row.incident_id for row in brief.incidents} == {"inc-crocus", "inc-kerman"}
    # The warning names ISIS-K only, so it is not about ISIS.
    assert all(section.schema != "Warning" for section in brief.sections)


def test_brief_rows_follow_the_timeline_with_undated_last(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS-K")
    assert [row.incident_id for row in brief.incidents] == [
        "inc-kabul",
        "inc-france",
        "inc-kerman",
        "inc-synagogue",
        "inc-crocus",
        "inc-kandahar",
    ]
    assert [row.date for row in brief.incidents][-1] == "date unknown (recent)"
    assert not brief.incidents[-1].dated
    assert brief.incidents[1].date == "2024"


def test_brief_cites_every_attribution_with_its_evidence_sentence(sample: Sample) -> None:
    extraction, _ = sample
    brief = brief_on(sample, "ISIS-K")
    by_id = {incident.id: incident for incident in extraction.incidents}
    for row in brief.incidents:
        cells = {(cell.actor, cell.status, cell.asserted_by): cell for cell in row.attributions}
        for attribution in by_id[row.incident_id].attributions:
            cell = cells[(attribution.actor, str(attribution.status), attribution.asserted_by)]
            cited = [brief.citations[number - 1] for number in cell.citations]
            assert (attribution.evidence.document_id, attribution.evidence.sentence) in {
                (citation.document_id, citation.sentence) for citation in cited
            }
            assert all(c.publisher and c.published and c.title for c in cited)


def test_brief_merges_one_attribution_reported_twice_into_one_cell(sample: Sample) -> None:
    extraction, _ = sample
    kabul = next(incident for incident in extraction.incidents if incident.id == "inc-kabul")
    again = replace(kabul.attributions[0], evidence=replace(kabul.evidence[0], start=1, end=9))
    twice = replace(kabul, attributions=(*kabul.attributions, again))
    brief = brief_on(sample, "ISIS-K", (twice,))
    (cell,) = brief.incidents[0].attributions
    assert (cell.actor, cell.status) == ("ISIS-K", "claimed")
    assert len(cell.citations) == 2
    assert {brief.citations[n - 1].sentence for n in cell.citations} == {
        kabul.attributions[0].evidence.sentence,
        kabul.evidence[0].sentence,
    }


def test_brief_keeps_disagreeing_attributions_and_marks_the_subject(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS-K")
    crocus = next(row for row in brief.incidents if row.incident_id == "inc-crocus")
    assert [
        (cell.actor, cell.status, cell.asserted_by, cell.is_subject) for cell in crocus.attributions
    ] == [
        ("ISIS", "claimed", "ISIS", False),
        ("Ukraine", "accused", "Russia", False),
        ("ISIS-K", "suspected", "US officials", True),
        ("ISIS-K", "unconfirmed", "Sample Wire (paraphrasing AP)", True),
    ]
    assert crocus.sources == 2
    assert crocus.place == "Crocus City Hall, Moscow Oblast, Russia"


def test_brief_shows_casualties_as_ranges_across_sources(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS-K")
    labels = {row.incident_id: [cell.label for cell in row.casualties] for row in brief.incidents}
    assert labels["inc-crocus"] == ["133\u2013145 killed", "at least 501 wounded"]
    assert labels["inc-kerman"] == ["95\u2013103 killed"]
    assert labels["inc-kabul"] == ["at least 170 killed"]
    crocus = next(row for row in brief.incidents if row.incident_id == "inc-crocus")
    cited = {brief.citations[n - 1].sentence for n in crocus.casualties[0].citations}
    assert cited == {
        "Officials said 133 people were killed.",
        "The death toll from the Crocus City Hall attack rose to 145.",
    }


def test_brief_profile_has_attributes_relations_and_other_actors(sample: Sample) -> None:
    profile = brief_on(sample, "ISIS-K").profile
    assert profile.aliases == ("ISIS-Khorasan", "ISKP")
    assert [(fact.label, fact.value) for fact in profile.attributes] == [
        ("Founded", "2015"),
        ("Base region", "Afghanistan-Pakistan border"),
    ]
    assert [(fact.label, fact.value) for fact in profile.relations] == [("Affiliate of", "ISIS")]
    assert [(fact.label, fact.value) for fact in profile.related] == [
        ("Taliban", "rival of ISIS-K")
    ]
    assert all(fact.citations for fact in (*profile.attributes, *profile.related))


def test_brief_shows_a_rivalry_once_when_both_sides_state_it(sample: Sample) -> None:
    extraction, documents = sample
    isis_k = actor_named(extraction, "ISIS-K")
    taliban = actor_named(extraction, "Taliban")
    both_ways = replace(
        isis_k,
        relations=(
            *isis_k.relations,
            replace(taliban.relations[0], target="Taliban"),
        ),
    )
    brief = make_brief(
        subject=both_ways,
        incidents=(),
        actors=extraction.actors,
        statements=(),
        documents=documents,
        generated_at=GENERATED,
    )
    assert ("Rival of", "Taliban") in [(f.label, f.value) for f in brief.profile.relations]
    assert brief.profile.related == ()


def test_brief_groups_statements_that_name_the_subject(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS-K")
    sections = {section.schema: section for section in brief.sections}
    assert list(sections) == ["Facility", "Warning", "ThreatLevelChange", "Statistic"]
    assert [group.entity_id for group in sections["Warning"].groups] == ["warn-1"]
    facility = sections["Facility"].groups[0]
    assert ("country", "Afghanistan (AF)") in [(fact.label, fact.value) for fact in facility.facts]
    statistic = sections["Statistic"].groups[0]
    assert ("value", "min: 191") in [(fact.label, fact.value) for fact in statistic.facts]


def test_brief_numbers_citations_once_per_sentence(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS-K")
    numbers = [citation.number for citation in brief.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    keys = [(citation.document_id, citation.sentence) for citation in brief.citations]
    assert len(keys) == len(set(keys))


def test_brief_key_points_state_counts_from_the_data(sample: Sample) -> None:
    brief = brief_on(sample, "ISIS-K")
    text = " ".join(brief.key_points)
    assert "6 incidents in these sources from 26 Aug 2021 to 22 Mar 2024" in text
    assert "1 with no known date" in text
    assert "Ukraine (accused, per Russia)" in text
    assert "4 incidents in 2024 against 0 in 2023" in text


def test_brief_is_sample_only_when_a_cited_publisher_says_so(sample: Sample) -> None:
    extraction, documents = sample
    assert brief_on(sample, "ISIS-K").is_sample
    relabelled = {key: replace(doc, publisher="Reuters") for key, doc in documents.items()}
    brief = make_brief(
        subject=actor_named(extraction, "ISIS-K"),
        incidents=extraction.incidents,
        actors=extraction.actors,
        statements=extraction.statements,
        documents=relabelled,
        generated_at=GENERATED,
    )
    assert not brief.is_sample


def test_brief_survives_a_missing_document(sample: Sample) -> None:
    extraction, _ = sample
    brief = make_brief(
        subject=actor_named(extraction, "ISIS-K"),
        incidents=extraction.incidents,
        actors=extraction.actors,
        statements=(),
        documents={},
        generated_at=GENERATED,
    )
    assert brief.citations
    assert all(citation.publisher is None for citation in brief.citations)


def test_brief_needs_an_aware_time(sample: Sample) -> None:
    extraction, documents = sample
    with pytest.raises(ValueError, match="timezone-aware"):
        make_brief(
            subject=actor_named(extraction, "ISIS-K"),
            incidents=(),
            actors=(),
            statements=(),
            documents=documents,
            generated_at=datetime(2026, 1, 1),
        )


def test_brief_on_an_actor_without_incidents_says_so(sample: Sample) -> None:
    extraction, documents = sample
    lone = Actor(id="actor-lone", name="Fictional Front", kind=ActorKind.ARMED_GROUP)
    brief = make_brief(
        subject=lone,
        incidents=extraction.incidents,
        actors=extraction.actors,
        statements=extraction.statements,
        documents=documents,
        generated_at=GENERATED,
    )
    assert brief.incidents == ()
    assert brief.key_points == ("No incidents in the sources.",)


@pytest.mark.parametrize("country", ["RU", "ru", "Russian Federation"])
def test_country_brief_keeps_incidents_located_there(sample: Sample, country: str) -> None:
    extraction, documents = sample
    brief = make_country_brief(
        country,
        incidents=extraction.incidents,
        actors=extraction.actors,
        statements=extraction.statements,
        documents=documents,
        generated_at=GENERATED,
    )
    assert brief.subject == "Russia"
    assert brief.subject_kind == "country"
    assert [row.incident_id for row in brief.incidents] == ["inc-synagogue", "inc-crocus"]
    assert any(point.startswith("Actors named: ISIS-K (2)") for point in brief.key_points)
    # The US warning targets RU, so it belongs to the Russia brief.
    warnings = [s for s in brief.sections if s.schema == "Warning"]
    assert [group.entity_id for group in warnings[0].groups] == ["warn-1"]


def test_country_brief_rejects_an_unknown_country(sample: Sample) -> None:
    extraction, documents = sample
    with pytest.raises(InputError, match="'Atlantis'"):
        make_country_brief(
            "Atlantis",
            incidents=extraction.incidents,
            actors=extraction.actors,
            statements=extraction.statements,
            documents=documents,
            generated_at=GENERATED,
        )


def test_brief_renders_any_statement_schema_generically(sample: Sample) -> None:
    extraction, documents = sample
    evidence = extraction.statements[0].evidence
    statements = [
        Statement(
            entity_id="x-1", schema="SafeHouse", prop="kind", value="safe_house", evidence=evidence
        ),
        Statement(
            entity_id="x-1",
            schema="SafeHouse",
            prop="details",
            value='{"rooms": 3, "owner": null, "tags": ["a", "b"]}',
            evidence=evidence,
        ),
        Statement(
            entity_id="x-1",
            schema="SafeHouse",
            prop="details",
            value="{not json",
            evidence=evidence,
        ),
    ]
    brief = make_brief(
        subject=actor_named(extraction, "ISIS-K"),
        incidents=(),
        actors=(),
        statements=statements,
        documents=documents,
        generated_at=GENERATED,
    )
    (section,) = brief.sections
    assert (section.schema, section.title) == ("SafeHouse", "Safe House")
    (group,) = section.groups
    assert group.title == "safe house"
    assert [(fact.label, fact.value) for fact in group.facts] == [
        ("kind", "safe house"),
        ("details", "rooms: 3; tags: a, b"),
        ("details", "{not json"),
    ]
    assert all(fact.citations == group.facts[0].citations for fact in group.facts)
