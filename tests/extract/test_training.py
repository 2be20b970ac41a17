"""Tests of the MUC-4 training loop and the quick GTT scorer, on tiny fictional fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threatwatch.errors import InputError
from threatwatch.extract.learned import INCIDENT_TYPES, SETTINGS_FILE, LearnedModel
from threatwatch.extract.training import GoldDoc, load_gtt_split, score_gtt, train_muc4

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "learned"


def _gold(templates: list[dict[str, object]]) -> GoldDoc:
    return GoldDoc(docid="D1", text="", templates=tuple(templates))


GOLD_BOMBING = {
    "incident_type": "bombing",
    "PerpInd": [[["urban guerrillas", 0]]],
    "PerpOrg": [[["zeta front", 10], ["the zeta front", 40]]],
    "Target": [],
    "Victim": [],
    "Weapon": [[["car bomb", 20]]],
}


def test_score_gtt_perfect_prediction_scores_one() -> None:
    pred = {
        "D1": [
            {
                "incident_type": "bombing",
                "PerpInd": [["urban guerrillas"]],
                "PerpOrg": [["zeta front"]],
                "Weapon": [["car bomb"]],
            }
        ]
    }
    scores = score_gtt(pred, [_gold([GOLD_BOMBING])])
    assert scores["micro"].p == 1.0
    assert scores["micro"].r == 1.0
    # incident type + 3 entities
    assert scores["micro"].r_den == 4


def test_score_gtt_wrong_type_earns_nothing() -> None:
    pred = {"D1": [{"incident_type": "kidnapping", "Weapon": [["car bomb"]]}]}
    scores = score_gtt(pred, [_gold([GOLD_BOMBING])])
    assert scores["micro"].p_num == 0
    assert scores["micro"].p_den == 2
    assert scores["micro"].r_den == 4


def test_score_gtt_attack_matches_multi_label_gold_and_normalises_articles() -> None:
    gold = dict(GOLD_BOMBING, incident_type="bombing / attack")
    pred = {"D1": [{"incident_type": "attack", "PerpOrg": [["The Zeta Front."]]}]}
    scores = score_gtt(pred, [_gold([gold])])
    assert scores["incident_type"].p_num == 1
    assert scores["PerpOrg"].p_num == 1
    assert scores["PerpOrg"].r_num == 1


def test_score_gtt_irrelevant_doc_with_prediction_costs_precision() -> None:
    pred = {"D1": [{"incident_type": "attack", "Victim": [["someone"]]}]}
    scores = score_gtt(pred, [_gold([])])
    assert scores["micro"].p_den == 2
    assert scores["micro"].r_den == 0


def test_load_gtt_split_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"train\.json"):
        load_gtt_split(tmp_path / "train.json")


def test_train_muc4_tiny_fixture_saves_a_model_that_predicts(tmp_path: Path) -> None:
    out = tmp_path / "model"
    report = train_muc4(
        tmp_path,
        out,
        split_dir=FIXTURES,
        max_epochs=25,
        patience=25,
        batch_size=2,
        dropout=0.0,
        max_minutes=1.0,
    )
    assert report.n_train == 7
    assert report.best_epoch >= 1
    assert report.dev["micro"].r_den == 5  # dev fixture: 1 template + 4 entities
    settings = json.loads((out / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings["threshold"] == report.threshold

    model = LearnedModel.load(out)
    text = (
        "Urban guerrillas of the Zeta Front detonated a car bomb outside the ministry of fisheries."
    )
    [prediction] = model.predict([text])
    assert set(prediction.incident_types) == set(INCIDENT_TYPES)
    for span in prediction.roles:
        assert text[span.start : span.end] == span.text
    # A training sentence, nearly verbatim: after 25 epochs the model must have learnt it.
    found = {(span.role, span.text.lower()) for span in prediction.roles}
    assert ("Weapon", "car bomb") in found
    assert max(prediction.incident_types, key=prediction.incident_types.__getitem__) == "bombing"
