"""The main job: ingest -> extract -> store -> resolve, one document at a time, with a summary.

Each document is extracted and written on its own: a document that fails becomes an `Issue`
and the run goes on; a crash mid-batch leaves every earlier document committed, and a rerun
skips the documents already stored.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from threatwatch.errors import ThreatwatchError
from threatwatch.extract import DEFAULT_MODEL, Extractor
from threatwatch.ingest import iter_documents
from threatwatch.logs import get_logger, kv
from threatwatch.model import Document, Extraction, Issue
from threatwatch.resolve import cluster_incidents
from threatwatch.store import Store

log = get_logger(__name__)

ProgressCallback = Callable[[int], None]
"""Called with the number of documents just finished."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    """What one run did: counts and every record it skipped, with the reason."""

    documents_read: int = 0
    documents_stored: int = 0
    documents_known: int = 0
    """Documents already in the store, skipped without extraction (re-ingest is idempotent)."""
    incidents: int = 0
    actors: int = 0
    statements: int = 0
    issues: tuple[Issue, ...] = ()

    @property
    def errors(self) -> tuple[Issue, ...]:
        """Issues that cost a document (not warnings about a field)."""
        return tuple(i for i in self.issues if i.error not in WARNING_CODES)


WARNING_CODES = frozenset({"unknown_fields", "bad_date", "bad_feed"})
"""Issue codes from ingest that keep the document (a field was dropped or repaired)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtractOptions:
    """How documents are extracted: the spaCy model, the gazetteer file, and worker processes."""

    model: str = DEFAULT_MODEL
    gazetteer: Path | None = None
    workers: int = 1
    batch_size: int = 16
    learned: bool = True
    """Run the learned MUC-4 role model beside the rules (the default pipeline does)."""


@dataclass(slots=True)
class _Counter:
    read: int = 0
    stored: int = 0
    known: int = 0
    issues: list[Issue] = field(default_factory=list)


# -- extraction, in this process or in worker processes ---------------------------------------

_WORKER: Extractor | None = None


def _make_extractor(options: ExtractOptions) -> Extractor:
    return Extractor(options.model, gazetteer_path=options.gazetteer, learned=options.learned)


def _init_worker(options: ExtractOptions) -> None:
    global _WORKER
    _WORKER = _make_extractor(options)


def _extract_batch(documents: list[Document]) -> list[Extraction | Issue]:
    assert _WORKER is not None, "worker was not initialised"
    return _extract_with(_WORKER, documents)


def _extract_with(extractor: Extractor, documents: list[Document]) -> list[Extraction | Issue]:
    """Extract a batch; a document that fails becomes an Issue and the others go on."""
    try:
        return list(extractor.extract(documents))
    except Exception:
        log.debug("batch failed; retrying one document at a time")
    results: list[Extraction | Issue] = []
    for document in documents:
        try:
            results.append(extractor.extract_one(document))
        except Exception as exc:  # per-document boundary (STYLE.md 5)
            log.exception("extraction failed %s", kv(document=document.id, source=document.source))
            results.append(
                Issue(
                    stage="extract",
                    source=document.source,
                    error=type(exc).__name__,
                    message=f"{document.source}: extraction failed ({exc}); the document was skipped",
                )
            )
    return results


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_documents(
    documents: Iterable[Document], options: ExtractOptions | None = None
) -> Iterator[Extraction | Issue]:
    """Yield an Extraction (or an Issue) per document, in input order.

    With `options.workers > 1`, batches are extracted in that many processes, each loading the
    pipeline once.
    """
    options = options or ExtractOptions()
    batches = _batches(documents, options.batch_size)
    if options.workers <= 1:
        extractor = _make_extractor(options)
        for batch in batches:
            yield from _extract_with(extractor, batch)
        return
    with ProcessPoolExecutor(
        max_workers=options.workers,
        initializer=_init_worker,
        initargs=(options,),
    ) as pool:
        # Keep a bounded window of batches in flight so memory stays flat on large corpora.
        window: deque[Future[list[Extraction | Issue]]] = deque()
        pending = iter(batches)
        for batch in islice(pending, options.workers * 2):
            window.append(pool.submit(_extract_batch, batch))
        while window:
            yield from window.popleft().result()
            for batch in islice(pending, 1):
                window.append(pool.submit(_extract_batch, batch))


# -- the main job -----------------------------------------------------------------------------


def run_ingest(
    paths: Sequence[str],
    store: Store,
    *,
    publisher: str | None = None,
    published: date | None = None,
    options: ExtractOptions | None = None,
    seen_at: datetime,
    progress: ProgressCallback | None = None,
) -> RunSummary:
    """Read `paths`, extract every new document, store it, then re-resolve incidents.

    Args:
        paths: files, folders or `-` (see `threatwatch.ingest.iter_documents`).
        store: where documents and facts are written, one transaction per document.
        publisher: publisher for inputs that name none.
        published: publication date for inputs that carry none.
        options: extraction settings.
        seen_at: aware time of this run.
        progress: called with 1 after each input document is handled.
    """
    count = _Counter()

    def new_documents() -> Iterator[Document]:
        for item in iter_documents(paths, publisher=publisher, published=published):
            if isinstance(item, Issue):
                count.issues.append(item)
                if item.error not in WARNING_CODES and progress:
                    progress(1)
                continue
            count.read += 1
            if store.has_document(item.id):
                count.known += 1
                if progress:
                    progress(1)
                continue
            yield item

    for result in extract_documents(new_documents(), options):
        if isinstance(result, Issue):
            count.issues.append(result)
        else:
            try:
                store.write_extraction(result, seen_at=seen_at)
                count.stored += 1
            except ThreatwatchError as exc:
                source = result.documents[0].source if result.documents else "?"
                count.issues.append(
                    Issue(stage="store", source=source, error=type(exc).__name__, message=str(exc))
                )
        if progress:
            progress(1)
    if count.stored:
        resolve_store(store)
    totals = store.view().counts()
    return RunSummary(
        documents_read=count.read,
        documents_stored=count.stored,
        documents_known=count.known,
        incidents=totals.get("incidents", 0),
        actors=totals.get("actors", 0),
        statements=totals.get("statements", 0),
        issues=tuple(count.issues),
    )


def resolve_store(store: Store) -> int:
    """Cluster every stored incident across documents; return the number of clusters."""
    incidents = store.view().iter_incidents(merged=False)
    mapping = cluster_incidents(incidents)
    store.set_canonical(mapping)
    return len(set(mapping.values()))


def extract_paths(
    paths: Sequence[str],
    *,
    publisher: str | None = None,
    published: date | None = None,
    options: ExtractOptions | None = None,
) -> tuple[list[Extraction], list[Issue]]:
    """Read and extract `paths` without a database (for `threatwatch extract`)."""
    issues: list[Issue] = []

    def documents() -> Iterator[Document]:
        for item in iter_documents(paths, publisher=publisher, published=published):
            if isinstance(item, Issue):
                issues.append(item)
            else:
                yield item

    extractions: list[Extraction] = []
    for result in extract_documents(documents(), options):
        if isinstance(result, Issue):
            issues.append(result)
        else:
            extractions.append(result)
    return extractions, issues


def default_workers() -> int:
    """Return a sensible worker count: the number of CPUs, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))
