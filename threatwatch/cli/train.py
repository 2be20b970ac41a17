"""`threatwatch train ...`: train the learned extraction models from the shared data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

import click

from threatwatch.cli import main
from threatwatch.extract.learned import MODEL_DIR, LearnedModel
from threatwatch.extract.training import load_gtt_split, predict_split, train_muc4
from threatwatch.settings import get_settings


@main.group("train")
def train_group() -> None:
    """Train the learned extraction models."""


@train_group.command("muc4")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Shared data folder holding data/muc4 (default: THREATWATCH_SHARED).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=MODEL_DIR,
    help="Folder to write the model to (default: the committed model in the package).",
)
@click.option(
    "--max-minutes", type=float, default=60.0, show_default=True, help="Training time budget."
)
@click.option("--max-epochs", type=int, default=40, show_default=True, help="Most training epochs.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
def train_muc4_cli(
    shared: Path | None, out: Path, max_minutes: float, max_epochs: int, seed: int
) -> None:
    """Train the MUC-4 role and incident-type model on train, select on dev, score on test."""
    report = train_muc4(
        shared or get_settings().shared,
        out,
        seed=seed,
        max_minutes=max_minutes,
        max_epochs=max_epochs,
        progress=lambda line: click.echo(line, err=True),
    )
    click.echo(
        f"model written to {report.out} (epoch {report.best_epoch} of {report.epochs}, "
        f"{report.minutes:.1f} min, threshold {report.threshold})"
    )
    for name, scores in (("dev", report.dev), ("test", report.test)):
        if scores:
            micro = scores["micro"]
            click.echo(
                f"{name} GTT micro P/R/F1 {100 * micro.p:.2f} / {100 * micro.r:.2f} / {100 * micro.f1:.2f}"
            )


@train_group.command("muc4-predict")
@click.option(
    "--split", type=click.Choice(["train", "dev", "test"]), default="dev", show_default=True
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Shared data folder holding data/muc4 (default: THREATWATCH_SHARED).",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model folder (default: the committed model).",
)
@click.option(
    "--out", type=click.File("w"), default="-", help="Predictions file (default: stdout)."
)
def muc4_predict_cli(split: str, shared: Path | None, model_dir: Path | None, out: TextIO) -> None:
    """Write the learned model's templates for a MUC-4 split, for `threatwatch eval muc4`."""
    folder = (shared or get_settings().shared) / "data" / "muc4" / "gtt" / "processed"
    docs = load_gtt_split(folder / f"{split}.json")
    predictions = predict_split(LearnedModel.load(model_dir), docs)
    out.write(json.dumps(predictions) + "\n")
