"""`threatwatch eval`: measure extraction quality on benchmarks (MUC-4)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from threatwatch.cli import main
from threatwatch.eval.ceaf import score_ceaf_ree
from threatwatch.eval.evaluation import (
    METRIC_NAMES,
    ExtractFn,
    evaluate_split,
    load_split_gold,
    write_errors,
)
from threatwatch.eval.gtt import KEYS, score_gtt
from threatwatch.eval.report import MetricReport, Report, make_metric_report, render_table
from threatwatch.eval.templates import (
    ROLES,
    load_grit_gold,
    load_gtt_gold,
    load_gtt_predictions,
    merge_roles,
)
from threatwatch.model import Document, Extraction
from threatwatch.pipeline import ExtractOptions, extract_documents
from threatwatch.settings import get_settings

METRICS = ("gtt", "ceaf-ree", "extended", "all")


@main.group("eval")
def eval_group() -> None:
    """Measure extraction quality on benchmark data."""


def _muc4_dir(data: Path | None) -> Path:
    folder = data or get_settings().shared / "data" / "muc4"
    if not folder.is_dir():
        raise click.UsageError(
            f"MUC-4 data not found at {str(folder)!r}; set THREATWATCH_SHARED or pass --data"
        )
    return folder


def score_predictions_file(
    predictions: Path, muc4: Path, split: str, metrics: tuple[str, ...]
) -> Report:
    """Score a GTT-style predictions file against the split's gold files."""
    preds = load_gtt_predictions(predictions)
    reports: list[MetricReport] = []
    gold = load_gtt_gold(muc4 / "gtt" / "processed" / f"{split}.json")
    if "gtt" in metrics:
        result = score_gtt(preds, gold)
        reports.append(make_metric_report("gtt", result.keys, KEYS))
    if "ceaf-ree" in metrics:
        grit = load_grit_gold(muc4 / "grit" / "processed" / f"{split}.json")
        ceaf = score_ceaf_ree({d: merge_roles(t) for d, t in preds.items()}, grit)
        reports.append(make_metric_report("ceaf-ree", ceaf.keys, ROLES))
    return Report(split=split, documents=len(gold), metrics=tuple(reports))


@eval_group.command("muc4")
@click.option("--split", type=click.Choice(["dev", "test"]), default="test", show_default=True)
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Score this GTT-style predictions file instead of running threatwatch.",
)
@click.option("--metric", type=click.Choice(METRICS), default="all", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--errors",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a per-document error analysis (JSON lines) to this file.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Only the first N documents."
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The MUC-4 folder (default: $THREATWATCH_SHARED/data/muc4).",
)
def muc4_cli(
    split: str,
    predictions: Path | None,
    metric: str,
    fmt: str,
    errors: Path | None,
    limit: int | None,
    data: Path | None,
) -> None:
    """Score extraction on MUC-4: threatwatch itself, or an external predictions file."""
    muc4 = _muc4_dir(data)
    if predictions is not None:
        if metric == "extended":
            raise click.UsageError(
                "--metric extended needs threatwatch's own run; drop --predictions"
            )
        metrics = ("gtt", "ceaf-ree") if metric == "all" else (metric,)
        report = score_predictions_file(predictions, muc4, split, metrics)
    else:
        report = _evaluate_threatwatch(muc4, split, metric, errors, limit)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(render_table(report))


def load_extract_fn(model: str) -> ExtractFn:
    """Return threatwatch's own extraction (the default pipeline) as an evaluation function.

    A document the pipeline skips yields no extraction, so it scores as an empty prediction.
    """
    options = ExtractOptions(model=model)

    def extract(documents: Sequence[Document]) -> Iterable[Extraction]:
        for result in extract_documents(documents, options):
            if isinstance(result, Extraction):
                yield result

    return extract


def _evaluate_threatwatch(
    muc4: Path, split: str, metric: str, errors: Path | None, limit: int | None
) -> Report:
    metrics = METRIC_NAMES if metric == "all" else (metric,)
    messages, gold = load_split_gold(muc4, split)
    if limit is not None:
        messages = messages[:limit]
    extract_fn = load_extract_fn(get_settings().spacy_model)
    evaluation = evaluate_split(messages, gold, extract_fn, split=split, metrics=metrics)
    if errors is not None:
        write_errors(evaluation, errors)
    return evaluation.report
