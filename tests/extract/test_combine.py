"""Combining rule incidents with the learned model's types and role fillers (no model loaded)."""

from __future__ import annotations

from dataclasses import replace

from threatwatch.extract.combine import best_type, combine
from threatwatch.extract.learned import LEARNED_EXTRACTOR, DocPrediction, RoleSpan
from threatwatch.model import (
    AttributionStatus,
    DateValue,
    Document,
    Evidence,
    Extraction,
    Incident,
    IncidentType,
    Location,
    Stage,
)

TEXT = (
    "Urban guerrillas detonated a car bomb at the defense ministry in Lima. "
    "The Shining Path was blamed. Minister Juan Perez was unhurt."
)
DOCUMENT = Document(text=TEXT, source="t", publisher="Fixture Wire")


def sentence_of(start: int, end: int) -> tuple[int, int, str]:
    left = TEXT.rfind(". ", 0, start)
    left = 0 if left < 0 else left + 2
    right = TEXT.find(". ", end)
    right = len(TEXT) if right < 0 else right + 1
    return left, right, TEXT[left:right]


def span(role: str, text: str) -> RoleSpan:
    start = TEXT.index(text)
    return RoleSpan(role=role, start=start, end=start + len(text), text=text, score=0.9)


PREDICTION = DocPrediction(
    incident_types={"bombing": 0.9, "attack": 0.2},
    roles=(
        span("PerpInd", "Urban guerrillas"),
        span("Weapon", "car bomb"),
        span("Target", "defense ministry"),
        span("PerpOrg", "Shining Path"),
        span("Victim", "Juan Perez"),
    ),
)


def canonical(text: str) -> str | None:
    return {"shining path": "Shining Path"}.get(text.lower())


def rule_incident(sentence_start: int = 0) -> Incident:
    trigger = TEXT.index("detonated", sentence_start)
    evidence = Evidence(
        document_id=DOCUMENT.id, start=trigger, end=trigger + 9,
        sentence=sentence_of(trigger, trigger)[2], extractor="threatwatch.events.v1",
    )  # fmt: skip
    return Incident(
        id="inc-1", type=IncidentType.BOMBING, stage=Stage.ACCOMPLISHED,
        date=DateValue.unresolved(), location=Location(place="Lima", country="PE"),
        description=evidence.sentence, evidence=(evidence,), document_ids=(DOCUMENT.id,),
    )  # fmt: skip


def test_best_type_needs_the_threshold() -> None:
    assert best_type(PREDICTION, 0.5) is IncidentType.BOMBING
    assert best_type(PREDICTION, 0.95) is None
    stoppage = DocPrediction(incident_types={"forced work stoppage": 0.9}, roles=())
    assert best_type(stoppage, 0.5) is None


def test_combine_adds_roles_to_the_rule_incident() -> None:
    extraction = Extraction(documents=(DOCUMENT,), incidents=(rule_incident(),))
    result = combine(extraction, PREDICTION, sentence_of, threshold=0.5, canonical=canonical)
    [incident] = result.incidents
    assert incident.location.place == "Lima"  # the rules' facts stay
    assert incident.perpetrators == ("Urban guerrillas",)
    assert incident.weapons == ("car bomb",)
    assert incident.victims == ("Juan Perez",)
    [attribution] = incident.attributions
    assert (attribution.actor, attribution.status) == ("Shining Path", AttributionStatus.REPORTED)
    assert attribution.evidence.extractor == LEARNED_EXTRACTOR
    assert attribution.evidence.sentence == "The Shining Path was blamed."


def test_combine_creates_an_incident_when_rules_found_none() -> None:
    extraction = Extraction(documents=(DOCUMENT,))
    result = combine(extraction, PREDICTION, sentence_of, threshold=0.5, canonical=canonical)
    [incident] = result.incidents
    assert incident.type is IncidentType.BOMBING
    assert incident.date.value is None
    assert incident.evidence[0].extractor == LEARNED_EXTRACTOR
    assert "car bomb" in incident.weapons


def test_combine_leaves_irrelevant_documents_alone() -> None:
    extraction = Extraction(documents=(DOCUMENT,), incidents=(rule_incident(),))
    unlikely = DocPrediction(incident_types={"bombing": 0.1}, roles=PREDICTION.roles)
    assert (
        combine(extraction, unlikely, sentence_of, threshold=0.5, canonical=canonical) == extraction
    )


def test_combine_drops_roles_that_fit_no_rule_incident() -> None:
    plot = replace(rule_incident(), type=IncidentType.PLOT, stage=Stage.FOILED)
    elsewhere = DocPrediction(incident_types={"attack": 0.9}, roles=(span("Victim", "Juan Perez"),))
    extraction = Extraction(documents=(DOCUMENT,), incidents=(plot,))
    assert (
        combine(extraction, elsewhere, sentence_of, threshold=0.5, canonical=canonical)
        == extraction
    )
