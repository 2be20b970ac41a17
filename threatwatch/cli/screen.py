"""`threatwatch screen` and `threatwatch lists load|update|show`: screening from the shell."""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import json
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import click
import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from threatwatch.cli import main
from threatwatch.errors import InputError, SourceError
from threatwatch.ingest.lists_download import OFFICIAL_LIST_URLS, download_files
from threatwatch.logs import get_logger
from threatwatch.model.screening import ScreeningHit, ScreeningQuery
from threatwatch.screen.index import ScreeningIndex
from threatwatch.screen.lists import iter_list_files, load_lists
from threatwatch.screen.match import (
    ALGORITHM,
    ALGORITHM_V4,
    ALGORITHM_V5,
    ALGORITHM_V6,
    ALGORITHM_V7,
    WORDS_ALGORITHMS,
    screen,
)
from threatwatch.screen.snapshots import (
    latest_snapshots,
    list_snapshots,
    store_files,
    store_snapshot,
)
from threatwatch.settings import get_settings

log = get_logger(__name__)
_err = Console(stderr=True)


def _build_index(lists: Sequence[Path], algorithm: str = ALGORITHM) -> ScreeningIndex:
    """Load the given list files, or the newest stored snapshots, into an index.

    The names are prepared as `algorithm` expects (v7 reads their words, v4 to v6 do not).
    """
    paths = list(lists) or [s.path for s in latest_snapshots(get_settings().lists_path)]
    index = ScreeningIndex(legal_forms=True, words=algorithm in WORDS_ALGORITHMS)
    for loaded in load_lists(paths):
        index.add(loaded.entries)
        if loaded.skipped:
            _err.print(
                f"[yellow]{loaded.source}: skipped {loaded.skipped} rows "
                f"(first: {loaded.problems[0] if loaded.problems else '?'})[/]"
            )
    return index


def _print_hits(hits: list[ScreeningHit], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No hits.")
        return
    table = Table("score", "list", "ref", "matched name", "entry", "why")
    for hit in hits:
        why = next((f.detail for f in hit.explanation if f.name == "name"), "")
        table.add_row(f"{hit.score:.2f}", hit.list, hit.ref, hit.name, hit.caption, why)
    Console().print(table)


def _iter_rows(handle: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(handle)
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise InputError(
            f"Batch file needs a 'name' column; it has {reader.fieldnames!r}",
            {"file": "no name column"},
        )
    for number, row in enumerate(reader, 2):
        yield number, {(k or "").strip().lower(): (v or "") for k, v in row.items()}


_OUT_FIELDS = ["line", "query", "status", "list", "ref", "name", "score", "explanation", "error"]


_WORKER_INDEX: ScreeningIndex | None = None
"""The index a forked batch worker screens against (inherited from the parent, not copied)."""


def _screen_rows(
    rows: list[tuple[int, dict[str, str]]],
    threshold: float | None,
    limit: int,
    algorithm: str = ALGORITHM,
) -> list[tuple[str, list[dict[str, object]]]]:
    """Screen a chunk of batch rows; return each row's status and its output rows."""
    index = _WORKER_INDEX
    assert index is not None
    out: list[tuple[str, list[dict[str, object]]]] = []
    for number, row in rows:
        query = ScreeningQuery(
            name=row.get("name", ""),
            birth_date=row.get("dob") or row.get("birth_date") or None,
            nationality=row.get("nationality") or None,
            schema=_SCHEMAS.get(row.get("schema", "").strip().lower()),
        )
        base: dict[str, object] = {"line": number, "query": query.name[:200]}
        try:
            hits = screen(query, index, threshold=threshold, limit=limit, algorithm=algorithm)
        except InputError as exc:
            out.append(("error", [{**base, "status": "error", "error": str(exc)}]))
            continue
        if not hits:
            out.append(("no_hit", [{**base, "status": "no_hit"}]))
            continue
        written = []
        for hit in hits:
            data = hit.to_dict()
            written.append(
                {
                    **base,
                    "status": "hit",
                    "list": hit.list,
                    "ref": hit.ref,
                    "name": hit.name,
                    "score": f"{hit.score:.4f}",
                    "explanation": json.dumps(data["explanation"], ensure_ascii=False),
                }
            )
        out.append(("hit", written))
    return out


def _iter_chunks(
    rows: Iterator[tuple[int, dict[str, str]]], size: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _screen_file(
    source: Path,
    out: IO[str],
    index: ScreeningIndex,
    threshold: float | None,
    limit: int,
    workers: int = 1,
    algorithm: str = ALGORITHM,
) -> tuple[int, int, int]:
    """Screen each row of a CSV file; bad rows are written as errors and the rest go on.

    With `workers` > 1 (and where processes can fork), chunks of rows are screened in forked
    worker processes that share the parent's index; output keeps the input order.
    """
    global _WORKER_INDEX
    with source.open(encoding="utf-8", errors="replace", newline="") as handle:
        total = max(sum(1 for _ in handle) - 1, 0)
    writer = csv.DictWriter(out, fieldnames=_OUT_FIELDS)
    writer.writeheader()
    counts = {"hit": 0, "no_hit": 0, "error": 0}
    progress = Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )
    _WORKER_INDEX = index
    index.compiled()  # build once here, so that forked workers share it
    forking = workers > 1 and total > _CHUNK and "fork" in multiprocessing.get_all_start_methods()
    with (
        source.open(encoding="utf-8", errors="replace", newline="") as handle,
        progress,
        contextlib.ExitStack() as stack,
    ):
        task = progress.add_task("screen", total=total)
        chunks = _iter_chunks(_iter_rows(handle), _CHUNK)
        screen_chunk = functools.partial(
            _screen_rows, threshold=threshold, limit=limit, algorithm=algorithm
        )
        if forking:
            gc.freeze()  # keep the collector from touching (and copying) the shared index
            stack.callback(gc.unfreeze)
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            results: Iterator[list[tuple[str, list[dict[str, object]]]]] = pool.imap(
                screen_chunk, chunks
            )
        else:
            results = map(screen_chunk, chunks)
        for result in results:
            for status, written in result:
                counts[status] += 1
                writer.writerows(written)
            progress.advance(task, len(result))
    return counts["hit"], counts["no_hit"], counts["error"]


_CHUNK = 200
"""Rows per batch chunk handed to a worker."""

_ALGORITHMS = (ALGORITHM_V7, ALGORITHM_V6, ALGORITHM_V5, ALGORITHM_V4)
"""What `--algorithm` offers: the versions built for the CLI's index (legal forms folded)."""

_SCHEMAS = {
    "person": "Person",
    "organization": "Organization",
    "organisation": "Organization",
    "company": "Company",
    "vessel": "Vessel",
    "airplane": "Airplane",
}
"""What `--schema` (or a batch file's `schema` column) may say, and the FtM schema it means."""


@main.command("screen")
@click.argument("name", required=False)
@click.option("--dob", help="Birth date of the person (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--nationality", help="Nationality; only adjusts the score of a name match.")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Score at which a match is a hit. Default: THREATWATCH_SCREEN_THRESHOLD, else the "
    "algorithm's own (0.815 for v7, v6 and v5, 0.81 for v4).",
)
@click.option(
    "--lists",
    "lists",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="List files or folders to screen against instead of the stored snapshots.",
)
@click.option(
    "--schema",
    type=click.Choice(sorted(_SCHEMAS), case_sensitive=False),
    help="What the name is: a person is never matched to a company, vessel or aircraft, "
    "nor the other way round. Unset: any entry may match.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--limit", type=click.IntRange(1, 100), default=10, help="Most hits per name.")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV file with a 'name' column (and optional dob, nationality, schema) to screen in batch.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Batch output CSV.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: min(2, os.cpu_count() or 1),
    show_default="2 or the number of CPUs if fewer",
    help="Processes screening a --file batch.",
)
@click.option(
    "--algorithm",
    type=click.Choice(_ALGORITHMS),
    default=ALGORITHM,
    show_default=True,
    help="Matching algorithm; earlier versions stay to reproduce earlier results. Each "
    "has its own default threshold (docs/screening.md).",
)
def screen_cli(
    name: str | None,
    dob: str | None,
    nationality: str | None,
    threshold: float | None,
    lists: tuple[Path, ...],
    schema: str | None,
    fmt: str,
    limit: int,
    file: Path | None,
    out: Path | None,
    workers: int,
    algorithm: str,
) -> None:
    """Screen a name (or a CSV of names) against sanctions lists by name and identifiers."""
    if (name is None) == (file is None):
        raise click.UsageError("Give either a NAME or --file CSV, not both or neither.")
    cutoff = threshold if threshold is not None else get_settings().screen_threshold
    index = _build_index(lists, algorithm)
    if file is not None:
        if out is None:
            hits, clean, errors = _screen_file(
                file, sys.stdout, index, cutoff, limit, workers, algorithm
            )
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                hits, clean, errors = _screen_file(
                    file, handle, index, cutoff, limit, workers, algorithm
                )
        _err.print(f"{hits} names with hits, {clean} without, {errors} rows with errors")
        return
    assert name is not None
    query = ScreeningQuery(
        name=name,
        birth_date=dob,
        nationality=nationality,
        schema=_SCHEMAS.get((schema or "").lower()),
    )
    _print_hits(screen(query, index, threshold=cutoff, limit=limit, algorithm=algorithm), fmt)


@main.group("lists")
def lists_cli() -> None:
    """Store, update and show the sanctions list snapshots used by `threatwatch screen`."""


def _today() -> datetime:
    return datetime.now(UTC)


@lists_cli.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def lists_load_cli(paths: tuple[Path, ...]) -> None:
    """Validate list files (UN XML, OFAC sdn.csv, FtM JSON) and store them as dated snapshots."""
    root = get_settings().lists_path
    for path in paths:
        for file in iter_list_files(path):
            snap = store_snapshot(root, file, _today().date())
            click.echo(f"{snap.list}\t{snap.taken_on}\t{snap.entries} entries\t{snap.path}")


def _parse_urls(pairs: tuple[str, ...]) -> dict[str, dict[str, str]]:
    urls = {name: dict(files) for name, files in OFFICIAL_LIST_URLS.items()}
    for pair in pairs:
        file, sep, url = pair.partition("=")
        owner = next((k for k, files in urls.items() if file in files), None)
        if not sep or owner is None:
            known = sorted(f for files in urls.values() for f in files)
            raise click.BadParameter(f"{pair!r}: expected FILE=URL with FILE one of {known}")
        urls[owner][file] = url
    return urls


@lists_cli.command("update")
@click.option(
    "--url", "urls", multiple=True, help="Override a download: FILE=URL (e.g. sdn.csv=...)."
)
@click.option(
    "--only", type=click.Choice(sorted(OFFICIAL_LIST_URLS)), multiple=True, help="Lists to update."
)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
def lists_update_cli(urls: tuple[str, ...], only: tuple[str, ...], timeout: float) -> None:
    """Download the current lists from their official URLs, validate and store dated snapshots."""
    root = get_settings().lists_path
    failed = []
    with httpx.Client(timeout=timeout) as client:
        for name, files in _parse_urls(urls).items():
            if only and name not in only:
                continue
            try:
                snap = store_files(root, download_files(client, files), _today().date())
            except (SourceError, InputError) as exc:
                failed.append(name)
                _err.print(f"[red]{name}: {exc}[/]")
                continue
            click.echo(f"{snap.list}\t{snap.taken_on}\t{snap.entries} entries\t{snap.path}")
    if failed:
        raise SourceError(f"Lists not updated: {', '.join(failed)}; older snapshots are kept")


@lists_cli.command("show")
def lists_show_cli() -> None:
    """Show the stored snapshots, oldest first (screening uses the newest of each list)."""
    snapshots = list_snapshots(get_settings().lists_path)
    if not snapshots:
        click.echo("No snapshots; run `threatwatch lists load PATH` or `threatwatch lists update`.")
    for snap in snapshots:
        generated = f"\tgenerated {snap.generated}" if snap.generated else ""
        click.echo(f"{snap.taken_on}\t{snap.list}\t{snap.entries} entries{generated}\t{snap.path}")
