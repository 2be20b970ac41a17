"""`threatwatch ingest` and `threatwatch extract`: reports in, sourced facts out."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from threatwatch.cli import main
from threatwatch.errors import InputError
from threatwatch.ingest import count_inputs, parse_published
from threatwatch.model import Extraction, Issue
from threatwatch.pipeline import ExtractOptions, RunSummary, extract_paths, run_ingest
from threatwatch.settings import get_settings
from threatwatch.store import Store

SCHEMA_VERSION = "1.1"
"""Version of the `extract --format json` contract (schema/extract.schema.json). 1.1 adds the
incident type `forced_work_stoppage`."""


def parse_date_option(value: str | None, name: str) -> date | None:
    """Return the date an option names, or raise InputError with what to type instead."""
    if value is None:
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise InputError(
            f"{name} {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-03-26", {name: value}
        )
    return parsed


def make_options(workers: int, model: str | None, rules_only: bool = False) -> ExtractOptions:
    """Return extraction options from the CLI flags and the settings."""
    settings = get_settings()
    return ExtractOptions(
        model=model or settings.spacy_model,
        gazetteer=settings.gazetteer,
        workers=workers,
        learned=not rules_only,
    )


def echo_issues(issues: tuple[Issue, ...] | list[Issue]) -> None:
    """Print each skipped record as one line on stderr."""
    for issue in issues:
        click.echo(f"skipped [{issue.stage}:{issue.error}] {issue.message}", err=True)


_COMMON = [
    click.option("--publisher", default=None, help="Publisher for inputs that name none."),
    click.option(
        "--published", default=None, help="Publication date (YYYY-MM-DD) for inputs without one."
    ),
    click.option(
        "--workers",
        type=click.IntRange(1, 16),
        default=1,
        show_default=True,
        help="Extraction processes; 2 uses both cores of a small machine.",
    ),
    click.option(
        "--model", default=None, help="spaCy pipeline (default: THREATWATCH_SPACY_MODEL)."
    ),
    click.option("--strict", is_flag=True, help="Exit 1 when any input was skipped."),
    click.option(
        "--rules-only",
        is_flag=True,
        help="Skip the learned MUC-4 role model (faster, fewer roles).",
    ),
]


def common_options(func: Any) -> Any:
    """Attach the options shared by `ingest` and `extract`."""
    for option in reversed(_COMMON):
        func = option(func)
    return func


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option("--database-url", default=None, help="Database (default: THREATWATCH_DATABASE_URL).")
def ingest_cli(
    paths: tuple[str, ...],
    publisher: str | None,
    published: str | None,
    workers: int,
    model: str | None,
    strict: bool,
    rules_only: bool,
    database_url: str | None,
) -> None:
    """Read reports (files, folders or - for stdin), extract facts and store them.

    Formats: .txt .md .html .pdf .json .jsonl and RSS/Atom files. Documents already stored are
    skipped, so a rerun after a crash resumes where it stopped.
    """
    when = parse_date_option(published, "--published")
    url = database_url or get_settings().database_url
    total = count_inputs(list(paths))
    console = Console(stderr=True)
    with Store(url) as store:
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        with progress:
            task = progress.add_task("ingest", total=total or None)
            summary = run_ingest(
                list(paths),
                store,
                publisher=publisher,
                published=when,
                options=make_options(workers, model, rules_only),
                seen_at=datetime.now(UTC),
                progress=lambda n: progress.advance(task, n),
            )
    echo_issues(summary.issues)
    click.echo(format_summary(summary), err=True)
    if strict and summary.issues:
        raise click.ClickException(f"{len(summary.issues)} input(s) skipped or repaired (--strict)")


def format_summary(summary: RunSummary) -> str:
    """Return the end-of-run summary line."""
    return (
        f"documents read: {summary.documents_read}, stored: {summary.documents_stored}, "
        f"already stored: {summary.documents_known}, skipped: {len(summary.errors)}, "
        f"warnings: {len(summary.issues) - len(summary.errors)} | in the database: "
        f"{summary.incidents} incidents, {summary.actors} actors, {summary.statements} statements"
    )


@main.command("extract")
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True,
    help="json: one object for all inputs; jsonl: one object per document.",
)  # fmt: skip
def extract_cli(
    paths: tuple[str, ...],
    publisher: str | None,
    published: str | None,
    workers: int,
    model: str | None,
    strict: bool,
    rules_only: bool,
    fmt: str,
) -> None:
    """Print what the pipeline extracts from reports, without a database.

    The JSON follows schema/extract.schema.json: documents, incidents, actors, statements.
    """
    when = parse_date_option(published, "--published")
    extractions, issues = extract_paths(
        list(paths),
        publisher=publisher,
        published=when,
        options=make_options(workers, model, rules_only),
    )
    echo_issues(issues)
    if fmt == "jsonl":
        for extraction in extractions:
            click.echo(json.dumps(to_contract([extraction]), ensure_ascii=False))
    else:
        json.dump(to_contract(extractions), sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
    if strict and issues:
        raise click.ClickException(f"{len(issues)} input(s) skipped or repaired (--strict)")


def to_contract(extractions: list[Extraction]) -> dict[str, Any]:
    """Return the `extract --format json` object for some extractions (the public contract)."""
    actors: dict[str, dict[str, Any]] = {}
    for extraction in extractions:
        for actor in extraction.actors:
            row = actors.get(actor.id)
            if row is None:
                actors[actor.id] = actor.to_dict()
                continue
            row["aliases"] = sorted(set(row["aliases"]) | set(actor.aliases))
            row["attributes"] += [a.to_dict() for a in actor.attributes]
            row["relations"] += [r.to_dict() for r in actor.relations]
            row["mentions"] += len(actor.mentions)
    return {
        "schema_version": SCHEMA_VERSION,
        "documents": [
            {
                "id": d.id,
                "source": d.source,
                "title": d.title,
                "publisher": d.publisher,
                "url": d.url,
                "published": d.published.isoformat() if d.published else None,
                "language": d.language,
            }
            for e in extractions
            for d in e.documents
        ],
        "incidents": [i.to_dict() for e in extractions for i in e.incidents],
        "actors": list(actors.values()),
        "statements": [s.to_dict() for e in extractions for s in e.statements],
    }
