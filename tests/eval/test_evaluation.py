"""Evaluating an extraction function end to end on a (fixture) MUC-4 split."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from threatwatch.cli import main
from threatwatch.eval.evaluation import evaluate_split, load_split_gold, write_errors
from threatwatch.model import AttributionStatus, Document, Extraction, IncidentType, Location

from .incidents import make_incident


class FakeExtractor:
    """Finds the fixture's two incidents by keyword and records what it was given."""

    def __init__(self) -> None:
        self.seen: list[Document] = []

    def __call__(self, documents: Sequence[Document]) -> Iterator[Extraction]:
        for doc in documents:
            self.seen.append(doc)
            incidents = []
            if "SHOT MAYOR" in doc.text:
                incidents.append(
                    make_incident(
                        perpetrators=("gunmen",),
                        victims=("Ana Vero",),
                        targets=("port lanto",),
                        attributions=(("Red Hand Front", AttributionStatus.CLAIMED),),
                        date="1990-03-11",
                        location=Location(place="Port Lanto", country="SV"),
                        document_ids=(doc.id,),
                    )
                )
            if "CAR BOMB" in doc.text:
                incidents.append(make_incident(IncidentType.BOMBING, weapons=("car bomb",)))
            yield Extraction(documents=(doc,), incidents=tuple(incidents))


def test_evaluate_split_scores_fake_extraction(muc4_fixture_dir: Path) -> None:
    messages, gold = load_split_gold(muc4_fixture_dir, "dev")
    extractor = FakeExtractor()
    evaluation = evaluate_split(messages, gold, extractor, split="dev")
    gtt, ceaf, extended = evaluation.report.metrics
    assert [m.name for m in evaluation.report.metrics] == ["gtt", "ceaf-ree", "extended"]
    # Templates: 2/2 types; PerpInd, PerpOrg, Victim, Weapon right, `port lanto` spurious.
    assert gtt.keys["Target"].p_den == 1 and gtt.keys["Target"].p_num == 0
    assert (gtt.micro.p_num, gtt.micro.p_den, gtt.micro.r_num, gtt.micro.r_den) == (6, 7, 6, 8)
    assert (ceaf.micro.p_num, ceaf.micro.p_den, ceaf.micro.r_den) == (4, 5, 6)
    assert extended.keys["date"].p_num == 1
    # The pipeline saw the raw text with its dateline date, never the keys.
    assert extractor.seen[0].published == date(1990, 3, 12)
    assert all("CLAIMED OR ADMITTED" not in d.text for d in extractor.seen)
    errors = {e["docid"]: e for e in evaluation.errors}
    pair = errors["TST1-MUC3-0001"]["gtt"]["pairs"][0]  # type: ignore[index]
    assert pair["Target"] == {"spurious": [["port lanto"]], "missed": []}


def test_evaluate_split_limit_restricts_gold(muc4_fixture_dir: Path, tmp_path: Path) -> None:
    messages, gold = load_split_gold(muc4_fixture_dir, "dev")
    evaluation = evaluate_split(messages[:1], gold, FakeExtractor(), split="dev", metrics=["gtt"])
    assert evaluation.report.documents == 1
    assert evaluation.report.metrics[0].micro.r_den == 4  # one gold template: type + 3 entities
    path = tmp_path / "errors.jsonl"
    write_errors(evaluation, path)
    (line,) = path.read_text().splitlines()
    assert json.loads(line)["docid"] == "TST1-MUC3-0001"


def test_eval_muc4_split_command_with_injected_extraction(
    muc4_fixture_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("threatwatch.cli.eval.load_extract_fn", lambda model: FakeExtractor())
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "muc4",
            "--data",
            str(muc4_fixture_dir),
            "--split",
            "dev",
            "--format",
            "json",
            "--errors",
            str(errors),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["metric"] == "gtt"
    assert report["micro"]["p"] == round(100 * 6 / 7, 2)
    assert set(report["metrics"]) == {"gtt", "ceaf-ree", "extended"}
    assert report["metrics"]["extended"]["roles"]["stage"]["r_den"] == 2
    assert len(errors.read_text().splitlines()) == 3


def test_eval_muc4_with_a_missing_spacy_model_fails_before_scoring() -> None:
    from threatwatch.cli.eval import load_extract_fn
    from threatwatch.errors import ConfigError
    from threatwatch.model import Document

    extract = load_extract_fn("no_such_spacy_model")
    with pytest.raises(ConfigError, match="no_such_spacy_model"):
        list(extract([Document(text="A bomb exploded.", source="t")]))
