"""`threatwatch eval muc4` on predictions files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from threatwatch.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eval"


def make_muc4_dir(tmp_path: Path) -> Path:
    """Lay the fixture gold files out like the shared MUC-4 folder, as the test split."""
    muc4 = tmp_path / "muc4"
    (muc4 / "gtt" / "processed").mkdir(parents=True)
    (muc4 / "grit" / "processed").mkdir(parents=True)
    shutil.copy(FIXTURES / "gtt_gold.jsonl", muc4 / "gtt" / "processed" / "test.json")
    shutil.copy(FIXTURES / "grit_gold.jsonl", muc4 / "grit" / "processed" / "test.json")
    return muc4


def test_eval_muc4_predictions_json_has_stable_keys(tmp_path: Path) -> None:
    muc4 = make_muc4_dir(tmp_path)
    args = ["eval", "muc4", "--data", str(muc4), "--format", "json", "--metric", "gtt"]
    result = CliRunner().invoke(main, [*args, "--predictions", str(FIXTURES / "gtt_preds.json")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["metric"] == "gtt"
    assert report["micro"]["p"] == 60.0
    assert report["micro"]["r"] == round(100 * 6 / 9, 2)
    assert set(report["roles"]) == {
        "incident_type",
        "PerpInd",
        "PerpOrg",
        "Target",
        "Victim",
        "Weapon",
    }
    assert report["metrics"]["gtt"]["published"][0]["f1"] == 50.23


def test_eval_muc4_predictions_table_shows_both_metrics(tmp_path: Path) -> None:
    muc4 = make_muc4_dir(tmp_path)
    result = CliRunner().invoke(
        main,
        ["eval", "muc4", "--data", str(muc4), "--predictions", str(FIXTURES / "gtt_preds.json")],
    )
    assert result.exit_code == 0, result.output
    assert "GTT template metric" in result.output
    assert "CEAF-REE" in result.output
    assert "54.50" in result.output


def test_eval_muc4_rejects_extended_metric_on_predictions(tmp_path: Path) -> None:
    muc4 = make_muc4_dir(tmp_path)
    args = ["eval", "muc4", "--data", str(muc4), "--metric", "extended"]
    result = CliRunner().invoke(main, [*args, "--predictions", str(FIXTURES / "gtt_preds.json")])
    assert result.exit_code == 2
    assert "--metric extended" in result.output


def test_eval_muc4_predictions_reproduces_gtt(shared_dir: Path) -> None:
    muc4 = shared_dir / "data" / "muc4"
    preds = muc4 / "reference_predictions" / "gtt" / "preds_gtt.out"
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "muc4",
            "--data",
            str(muc4),
            "--predictions",
            str(preds),
            "--metric",
            "gtt",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    micro = json.loads(result.output)["micro"]
    assert (micro["p"], micro["r"], micro["f1"]) == (61.69, 42.36, 50.23)


def test_eval_muc4_help_is_present() -> None:
    result = CliRunner().invoke(main, ["eval", "muc4", "--help"])
    assert result.exit_code == 0
    assert "--predictions" in result.output
