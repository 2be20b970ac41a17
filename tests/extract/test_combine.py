"""Combining rule incidents with the learned model's types and role fillers (no model loaded)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from threatwatch.extract.combine import SentenceOf, combine, is_wire_capitals
from threatwatch.extract.learned import (
    LEARNED_EXTRACTOR,
    DocPrediction,
    RoleSpan,
    split_sentences,
    to_lower_same_offsets,
)
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


def sentences_of(text: str) -> SentenceOf:
    """A sentence finder for a fixture text whose sentences end with ". "."""

    def find(start: int, end: int) -> tuple[int, int, str]:
        left = text.rfind(". ", 0, start)
        left = 0 if left < 0 else left + 2
        right = text.find(". ", end)
        right = len(text) if right < 0 else right + 1
        return left, right, text[left:right]

    return find


sentence_of = sentences_of(TEXT)


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


def test_a_forced_work_stoppage_becomes_an_incident_of_its_own_type() -> None:
    text = "The rebels ordered an armed strike. Buses stopped in Lima."
    stoppage = DocPrediction(
        incident_types={"forced work stoppage": 0.9},
        roles=(RoleSpan(role="PerpInd", start=4, end=10, text="rebels", score=0.9),),
        sentences=split_sentences(to_lower_same_offsets(text)),
    )
    document = Document(text=text, source="t")
    result = combine(
        Extraction(documents=(document,)),
        stoppage,
        sentences_of(text),
        threshold=0.5,
        canonical=canonical,
    )
    [incident] = result.incidents
    assert (incident.type, incident.perpetrators) == (
        IncidentType.FORCED_WORK_STOPPAGE,
        ("rebels",),
    )


def test_combine_adds_roles_to_the_rule_incident() -> None:
    ruled = replace(rule_incident(), targets=("the defense ministry in Lima",))
    extraction = Extraction(documents=(DOCUMENT,), incidents=(ruled,))
    result = combine(extraction, PREDICTION, sentence_of, threshold=0.5, canonical=canonical)
    [incident] = result.incidents
    assert incident.location.place == "Lima"  # the rules' facts stay
    assert incident.targets == ("the defense ministry in Lima",)  # the rules' fillers stay...
    assert incident.perpetrators == ("Urban guerrillas",)  # ...and the model fills empty roles
    assert incident.weapons == ("car bomb",)
    assert incident.victims == ("Juan Perez",)
    [attribution] = incident.attributions
    assert (attribution.actor, attribution.status) == ("Shining Path", AttributionStatus.REPORTED)
    assert attribution.evidence.extractor == LEARNED_EXTRACTOR
    assert attribution.evidence.sentence == "The Shining Path was blamed."


def test_in_wire_capitals_the_model_fillers_replace_the_rules() -> None:
    wire = Document(text=TEXT.upper(), source="t", publisher="Fixture Wire")
    ruled = replace(
        rule_incident(),
        targets=("THE DEFENSE MINISTRY IN LIMA",),
        weapons=("GUNS",),
        document_ids=(wire.id,),
    )
    upper = DocPrediction(
        incident_types=PREDICTION.incident_types,
        roles=tuple(
            replace(s, text=s.text.upper()) for s in PREDICTION.roles if s.role != "Weapon"
        ),
    )
    extraction = Extraction(documents=(wire,), incidents=(ruled,))
    [incident] = combine(
        extraction, upper, sentence_of, threshold=0.5, canonical=canonical
    ).incidents
    assert incident.targets == ("DEFENSE MINISTRY",)
    assert incident.weapons == ()  # the model found none: the rules' guess goes too
    assert incident.location.place == "Lima"


def test_wire_capitals_needs_most_letters_in_capitals() -> None:
    assert is_wire_capitals("GUERRILLAS ATTACKED THE FARM IN SAN SALVADOR (ACAN-EFE)")
    assert not is_wire_capitals("ISIS-K claimed the attack on the Crocus City Hall near Moscow.")
    assert not is_wire_capitals("UN FSB")  # too few letters to say


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


def test_in_wire_capitals_the_model_decides_that_a_document_is_irrelevant() -> None:
    wire = Document(text=TEXT.upper(), source="t")
    ruled = replace(rule_incident(), document_ids=(wire.id,))
    extraction = Extraction(documents=(wire,), incidents=(ruled,))
    unlikely = DocPrediction(incident_types={"bombing": 0.1}, roles=())
    assert combine(extraction, unlikely, sentence_of, threshold=0.5, canonical=canonical) == (
        replace(extraction, incidents=())
    )
    # Without a classifier's answer (no types), nothing is decided: the rules' incident stays.
    silent = DocPrediction(incident_types={}, roles=())
    assert combine(extraction, silent, sentence_of, threshold=0.5, canonical=canonical) == (
        extraction
    )


def test_in_wire_capitals_a_type_without_fillers_is_added_on_its_cue_sentence() -> None:
    wire = Document(text=STORY.upper(), source="s")
    bombing = replace(story_incident("exploded", IncidentType.BOMBING), document_ids=(wire.id,))
    bare = replace(story_prediction(), roles=())  # types and cue words, no filler
    result = combine(
        Extraction(documents=(wire,), incidents=(bombing,)),
        bare,
        story_sentence_of,
        threshold=0.5,
        canonical=canonical,
    )
    kept, added = result.incidents
    assert kept == bombing  # the bombing hosts the model's bombing: nothing changes
    assert (added.type, added.victims) == (IncidentType.KIDNAPPING, ())
    [evidence] = added.evidence
    assert evidence.sentence == "REBELS KIDNAPPED THE MAYOR OF TOLU."
    assert evidence.extractor == LEARNED_EXTRACTOR
    # In mixed-case prose a type without fillers adds nothing.
    prose = Extraction(
        documents=(STORY_DOCUMENT,), incidents=(story_incident("exploded", IncidentType.BOMBING),)
    )
    assert combine(prose, bare, story_sentence_of, threshold=0.5, canonical=canonical) == prose


def test_roles_that_fit_no_rule_incident_make_their_own_in_wire_capitals() -> None:
    arson = replace(rule_incident(), type=IncidentType.ARSON)
    elsewhere = DocPrediction(incident_types={"attack": 0.9}, roles=(span("Victim", "Juan Perez"),))
    wire = Document(text=TEXT.upper(), source="t")
    extraction = Extraction(documents=(wire,), incidents=(arson,))
    result = combine(extraction, elsewhere, sentence_of, threshold=0.5, canonical=canonical)
    kept, added = result.incidents
    assert kept == arson  # another type family, no shared sentence: left as it was
    assert (added.type, added.victims) == (IncidentType.ATTACK, ("Juan Perez",))
    # In mixed-case prose the rules decide which events there are.
    prose = Extraction(documents=(DOCUMENT,), incidents=(arson,))
    assert combine(prose, elsewhere, sentence_of, threshold=0.5, canonical=canonical) == prose


def test_a_plot_hosts_the_attack_it_threatened() -> None:
    plot = replace(rule_incident(), type=IncidentType.PLOT, stage=Stage.FOILED)
    suspects = DocPrediction(incident_types={"attack": 0.9}, roles=(span("PerpInd", "Juan Perez"),))
    extraction = Extraction(documents=(DOCUMENT,), incidents=(plot,))
    result = combine(extraction, suspects, sentence_of, threshold=0.5, canonical=canonical)
    [incident] = result.incidents
    assert (incident.type, incident.stage) == (IncidentType.PLOT, Stage.FOILED)
    assert incident.perpetrators == ("Juan Perez",)


STORY = (
    "Rebels kidnapped the mayor of Tolu. "
    "Hours later a car bomb exploded at the town hall. "
    "Police blamed the Omega Brigade."
)
STORY_DOCUMENT = Document(text=STORY, source="s")


story_sentence_of = sentences_of(STORY)


def story_incident(trigger: str, kind: IncidentType) -> Incident:
    start = STORY.index(trigger)
    evidence = Evidence(
        document_id=STORY_DOCUMENT.id, start=start, end=start + len(trigger),
        sentence=story_sentence_of(start, start)[2], extractor="threatwatch.events.v1",
    )  # fmt: skip
    return Incident(
        id=f"inc-{trigger}", type=kind, stage=Stage.ACCOMPLISHED,
        date=DateValue.unresolved(), location=Location(), description=evidence.sentence,
        evidence=(evidence,), document_ids=(STORY_DOCUMENT.id,),
    )  # fmt: skip


def story_prediction() -> DocPrediction:
    def role(name: str, text: str) -> RoleSpan:
        start = STORY.index(text)
        return RoleSpan(role=name, start=start, end=start + len(text), text=text, score=0.9)

    return DocPrediction(
        incident_types={"kidnapping": 0.7, "bombing": 0.2, "attack": 0.1},
        roles=(
            role("Victim", "mayor"),
            role("Weapon", "car bomb"),
            role("Target", "town hall"),
            role("PerpOrg", "Omega Brigade"),
        ),
        sentences=split_sentences(to_lower_same_offsets(STORY)),
    )


def test_each_learned_incident_finds_its_own_rule_incident() -> None:
    # The rules read the kidnapping as a generic attack: sharing its sentence with the
    # model's kidnapping, it takes the more specific type and the kidnapping's fillers.
    attack = story_incident("kidnapped", IncidentType.ATTACK)
    bombing = story_incident("exploded", IncidentType.BOMBING)
    extraction = Extraction(documents=(STORY_DOCUMENT,), incidents=(attack, bombing))
    result = combine(
        extraction, story_prediction(), story_sentence_of, threshold=0.5, canonical=canonical
    )
    first, second = result.incidents
    assert (first.type, first.victims, first.weapons) == (IncidentType.KIDNAPPING, ("mayor",), ())
    assert [a.actor for a in first.attributions] == ["Omega Brigade"]
    assert (second.type, second.weapons, second.targets) == (
        IncidentType.BOMBING,
        ("car bomb",),
        ("town hall",),
    )
    assert second.victims == ()


def test_learned_incidents_in_wire_capitals_take_a_date_from_their_sentences() -> None:
    text = "REBELS KIDNAPPED THE MAYOR OF TOLU YESTERDAY. SINCE 2 MAY THE ARMY PATROLS THE TOWN."
    wire = Document(text=text, source="w", published=date(1990, 5, 20))
    start = text.index("MAYOR")
    victim = RoleSpan(role="Victim", start=start, end=start + 5, text="MAYOR", score=0.9)
    patrol = text.index("ARMY")
    perp = RoleSpan(role="PerpInd", start=patrol, end=patrol + 4, text="ARMY", score=0.9)
    finder = sentences_of(text)
    dated = DocPrediction(incident_types={"kidnapping": 0.9}, roles=(victim,))
    [incident] = combine(
        Extraction(documents=(wire,)), dated, finder, threshold=0.5, canonical=canonical
    ).incidents
    assert (incident.date.value, incident.date.text) == ("1990-05-19", "YESTERDAY")
    # A date that bounds a period is no incident date: nothing is guessed.
    undated = DocPrediction(incident_types={"attack": 0.9}, roles=(perp,))
    [other] = combine(
        Extraction(documents=(wire,)), undated, finder, threshold=0.5, canonical=canonical
    ).incidents
    assert other.date.value is None


def test_a_learned_type_the_rules_missed_is_added_in_wire_capitals() -> None:
    bombing = story_incident("exploded", IncidentType.BOMBING)
    wire = Document(text=STORY.upper(), source="s")
    extraction = Extraction(documents=(wire,), incidents=(bombing,))
    result = combine(
        extraction, story_prediction(), story_sentence_of, threshold=0.5, canonical=canonical
    )
    assert [i.type for i in result.incidents] == [IncidentType.BOMBING, IncidentType.KIDNAPPING]
    assert result.incidents[1].victims == ("mayor",)
    assert result.incidents[1].evidence[0].extractor == LEARNED_EXTRACTOR
