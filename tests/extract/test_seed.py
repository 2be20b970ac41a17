"""The acceptance test of the extraction pipeline: the seed article, with the real model.

Each test pins one numbered item of the acceptance list of the end-to-end issue.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from threatwatch.cli.documents import to_contract
from threatwatch.extract import Extractor
from threatwatch.model import (
    Actor,
    Attribution,
    AttributionStatus,
    Document,
    Extraction,
    Incident,
    IncidentType,
    RelationKind,
    Stage,
)

pytestmark = pytest.mark.model

SEED = "seed/000_a2b620eb0d018626.txt"


@pytest.fixture(scope="module")
def seed(shared_dir: Path, extractor: Extractor) -> Extraction:
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    document = Document(text=text, source=SEED, published=date(2024, 3, 26))
    return extractor.extract_one(document)


def _statuses(incident: Incident, actor: str) -> set[AttributionStatus]:
    return {a.status for a in incident.attributions if a.actor == actor}


def _find(attributions: tuple[Attribution, ...], actor: str, status: str) -> Attribution:
    return next(a for a in attributions if a.actor == actor and a.status == status)


def _concert_attack(seed: Extraction) -> Incident:
    matches = [i for i in seed.incidents if "concert hall" in i.targets]
    assert len(matches) == 1, [i.targets for i in seed.incidents]
    return matches[0]


def test_seed_1_concert_hall_attack_and_its_attributions(seed: Extraction) -> None:
    attack = _concert_attack(seed)
    assert attack.type is IncidentType.ATTACK
    assert attack.stage is Stage.ACCOMPLISHED
    assert (attack.location.place, attack.location.country) == ("Moscow", "RU")
    assert AttributionStatus.CLAIMED in _statuses(attack, "ISIS")
    assert {AttributionStatus.SUSPECTED, AttributionStatus.UNCONFIRMED} <= _statuses(
        attack, "ISIS-K"
    )
    accused = _find(attack.attributions, "Ukraine", "accused")
    assert accused.asserted_by in {"Russia", "Moscow"}
    assert (
        "not been established"
        in _find(attack.attributions, "ISIS-K", "unconfirmed").evidence.sentence
    )
    assert _find(attack.attributions, "ISIS", "claimed").asserted_by == "ISIS"


def test_seed_2_four_tajik_suspects(seed: Extraction) -> None:
    suspects = _concert_attack(seed).suspects
    assert [(s.count, s.nationality) for s in suspects] == [(4, "TJ")]


def test_seed_3_foiled_synagogue_plot(seed: Extraction) -> None:
    plots = [i for i in seed.incidents if "synagogue" in i.targets]
    assert len(plots) == 1
    plot = plots[0]
    assert (plot.type, plot.stage, plot.location.country) == (IncidentType.PLOT, Stage.FOILED, "RU")
    attribution = next(a for a in plot.attributions if a.actor == "ISIS-K")
    assert attribution.asserted_by == "Russian officials"


def test_seed_4_kandahar_suicide_attack(seed: Extraction) -> None:
    attacks = [i for i in seed.incidents if i.location.admin1 == "AF-KAN"]
    assert len(attacks) == 1
    attack = attacks[0]
    assert attack.type is IncidentType.SUICIDE_ATTACK
    assert attack.location.country == "AF"
    assert _statuses(attack, "ISIS-K")
    assert any("Taliban" in target for target in attack.targets)


def test_seed_5_two_foiled_attacks_in_france_and_threat_level(seed: Extraction) -> None:
    french = [i for i in seed.incidents if i.location.country == "FR"]
    assert len(french) == 2
    assert all(i.stage is Stage.FOILED and _statuses(i, "ISIS-K") for i in french)
    assert len({i.id for i in french}) == 2
    levels = [s for s in seed.statements if s.schema == "ThreatLevelChange"]
    props = {s.prop: s.value for s in levels}
    assert (props["country"], props["direction"]) == ("FR", "raised")


def test_seed_6_un_statistic_for_2023(seed: Extraction) -> None:
    groups: dict[str, dict[str, str]] = {}
    for statement in seed.statements:
        if statement.schema == "Statistic":
            groups.setdefault(statement.entity_id, {})[statement.prop] = statement.value
    by_metric = {g["metric"]: g for g in groups.values()}
    bombings = by_metric["suicide_attacks_claimed"]
    assert (bombings["min"], bombings["period"], bombings["subject"]) == ("191", "2023", "ISIS-K")
    assert bombings["reporter"] == "United Nations"
    casualties = by_metric["casualties"]
    assert (casualties["min"], casualties["period"]) == ("1301", "2023")
    assert "max" not in casualties


def _actor(seed: Extraction, name: str) -> Actor:
    return next(a for a in seed.actors if a.name == name)


def test_seed_7_isis_k_profile_and_taliban_rivalry(seed: Extraction) -> None:
    isis_k = _actor(seed, "ISIS-K")
    assert "ISIS-Khorasan" in isis_k.aliases
    assert not [a for a in seed.actors if a.name in {"ISIS-Khorasan", "ISKP"}]
    relations = {(r.kind, r.target) for r in isis_k.relations}
    assert (RelationKind.AFFILIATE_OF, "ISIS") in relations
    assert (RelationKind.RIVAL_OF, "Taliban") in relations
    attributes = {a.name: a.value for a in isis_k.attributes}
    assert attributes["founded"] == "2015"
    assert "Afghanistan-Pakistan border" in attributes["base_region"]
    taliban = _actor(seed, "Taliban")
    assert (RelationKind.RIVAL_OF, "ISIS-K") in {(r.kind, r.target) for r in taliban.relations}
    camps = {}
    for statement in seed.statements:
        if statement.schema == "Facility":
            camps[statement.prop] = statement.value
    assert camps["kind"] == "training_camp"
    assert camps["operator"] == "ISIS-K"
    assert camps["country"] == "AF"
    assert all(word in camps["region"] for word in ("northern", "northeastern", "eastern"))


def test_seed_8_nothing_invented_and_every_attribution_sourced(seed: Extraction) -> None:
    countries = {i.location.country for i in seed.incidents}
    assert not countries & {"US", "IQ"}
    assert len(seed.incidents) == 5
    text = seed.documents[0].text
    for incident in seed.incidents:
        for attribution in incident.attributions:
            evidence = attribution.evidence
            assert evidence.sentence and evidence.sentence in text
            assert text[evidence.start : evidence.end] in evidence.sentence


def test_seed_output_validates_against_the_contract(seed: Extraction) -> None:
    schema = json.loads((Path(__file__).parents[2] / "schema/extract.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(to_contract([seed]))
