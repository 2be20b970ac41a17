"""CI guard: threatwatch's MUC-4 dev-split GTT micro F1 must not drop more than 1 point below
the figure recorded in BENCHMARKS.md (the line `dev GTT micro F1: <number>`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from threatwatch.cli.eval import load_extract_fn
from threatwatch.eval.evaluation import evaluate_split, load_split_gold
from threatwatch.extract import DEFAULT_MODEL

REPO = Path(__file__).resolve().parent.parent.parent
RECORDED = re.compile(r"^dev GTT micro F1: (\d+(?:\.\d+)?)\s*$", re.MULTILINE)
TOLERANCE = 1.0


def read_recorded_f1(text: str) -> float | None:
    """Return the recorded dev GTT micro F1 of a BENCHMARKS.md text, or None when absent."""
    match = RECORDED.search(text)
    return float(match.group(1)) if match else None


def test_read_recorded_f1_parses_the_stable_line() -> None:
    assert read_recorded_f1("# Benchmarks\n\ndev GTT micro F1: 41.07\n") == 41.07
    assert read_recorded_f1("dev GTT micro F1: not yet measured\n") is None


@pytest.mark.model
@pytest.mark.shared
def test_muc4_dev_gtt_micro_f1_does_not_regress(shared_dir: Path) -> None:
    benchmarks = REPO / "BENCHMARKS.md"
    recorded = read_recorded_f1(benchmarks.read_text()) if benchmarks.exists() else None
    if recorded is None:
        pytest.skip("BENCHMARKS.md records no `dev GTT micro F1: <number>` line yet")
    messages, gold = load_split_gold(shared_dir / "data" / "muc4", "dev")
    extract = load_extract_fn(DEFAULT_MODEL)
    evaluation = evaluate_split(messages, gold, extract, split="dev", metrics=["gtt"])
    f1 = 100 * evaluation.report.metrics[0].micro.f1
    assert f1 >= recorded - TOLERANCE, (
        f"dev GTT micro F1 fell to {f1:.2f}, more than {TOLERANCE} below the recorded {recorded:.2f}"
    )
