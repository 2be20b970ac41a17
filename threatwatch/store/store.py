"""Store: opens (and migrates) the database and writes extractions, clusters and issues."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, bindparam, select

from threatwatch.errors import NotFoundError
from threatwatch.logs import get_logger, kv
from threatwatch.model import Extraction, Incident, Issue, Statement
from threatwatch.store.codec import ACTOR, INCIDENT, encode_actor, encode_incident
from threatwatch.store.engine import (
    make_engine,
    make_insert_ignore,
    make_upsert_latest,
    translate_errors,
)
from threatwatch.store.migrate import ensure_current, upgrade
from threatwatch.store.schema import documents, entities, issues, statements
from threatwatch.store.view import View

log = get_logger(__name__)

BATCH_SIZE = 500
"""Rows per executemany call; well under SQLite's limit on bound parameters."""


def _chunks(
    rows: Sequence[dict[str, Any]], size: int = BATCH_SIZE
) -> Iterator[list[dict[str, Any]]]:
    """Yield `rows` in lists of at most `size`."""
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def _caption_incident(incident: Incident) -> str:
    """Return a short human label for an incident row."""
    loc = incident.location
    where = ", ".join(part for part in (loc.place, loc.admin1, loc.country) if part)
    when = incident.date.value or "date unknown"
    return f"{incident.type} ({incident.stage}) in {where or 'unknown place'}, {when}"


class Store:
    """A threatwatch database: write extractions here, read through `view()`.

    Opening a store connects at once, so an unreachable database or pending migrations fail
    before any work starts. Use it as a context manager, or call `close()`.
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        """Open the database at `url`, applying pending migrations unless `migrate` is False.

        Raises:
            StoreError: the database is unreachable, or (with `migrate=False`) not migrated.
        """
        self.url = url
        self.engine = make_engine(url)
        try:
            if migrate:
                upgrade(self.engine)
            else:
                ensure_current(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        dialect = self.engine.dialect.name
        self._insert_document = make_insert_ignore(documents, dialect, ["id"])
        self._insert_entity = make_insert_ignore(entities, dialect, ["id"])
        self._upsert_statement = make_upsert_latest(statements, dialect, ["id"], ["last_seen"])

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def view(self) -> View:
        """Return a read-only view of the store."""
        return View(self.engine, self.url)

    def has_document(self, document_id: str) -> bool:
        """Return True when a document with this ID is stored."""
        query = select(documents.c.id).where(documents.c.id == document_id)
        with translate_errors("look up a document", self.url), self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def write_extraction(self, extraction: Extraction, *, seen_at: datetime) -> None:
        """Store the documents of `extraction` and everything read from them, in one transaction.

        Writing the same extraction again changes nothing but `last_seen`. Incidents and actors
        become statements through the codec; `extraction.statements` are stored as they are.

        Args:
            extraction: documents plus the incidents, actors and statements read from them.
            seen_at: aware time of this run, kept as `ingested_at`, `first_seen`, `last_seen`.

        Raises:
            ValueError: `seen_at` is naive, or evidence cites a document that is neither in
                `extraction` nor stored; nothing of this call is stored.
            StoreError: the database refused the write; nothing of this call is stored.
        """
        if seen_at.tzinfo is None:
            raise ValueError(f"seen_at must be timezone-aware, got {seen_at!r}")
        doc_ids = [doc.id for doc in extraction.documents]
        doc_rows = [
            {
                "id": doc.id,
                "text": doc.text,
                "title": doc.title,
                "publisher": doc.publisher,
                "url": doc.url,
                "published": doc.published,
                "language": doc.language,
                "source": doc.source,
                "ingested_at": seen_at,
            }
            for doc in extraction.documents
        ]
        entity_rows, stmt_rows = self._encode(extraction, seen_at)
        action = f"write the extraction of {doc_ids!r}"
        with translate_errors(action, self.url), self.engine.begin() as conn:
            if doc_rows:
                conn.execute(self._insert_document, doc_rows)
            self._check_documents(conn, stmt_rows, set(doc_ids))
            for chunk in _chunks(entity_rows):
                conn.execute(self._insert_entity, chunk)
            for chunk in _chunks(stmt_rows):
                conn.execute(self._upsert_statement, chunk)

    def _encode(
        self, extraction: Extraction, seen_at: datetime
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return the entity and statement rows of an extraction, without duplicates."""
        fallback = extraction.documents[0].id if extraction.documents else None
        entity_rows: dict[str, dict[str, Any]] = {}
        stmt_rows: dict[str, dict[str, Any]] = {}

        def add(entity_id: str, schema: str, caption: str, stmts: Iterable[Statement]) -> None:
            entity_rows.setdefault(
                entity_id,
                {"id": entity_id, "schema": schema, "caption": caption, "canonical_id": entity_id},
            )
            for ordinal, stmt in enumerate(stmts):
                if stmt.id not in stmt_rows:
                    stmt_rows[stmt.id] = _statement_row(stmt, ordinal, seen_at)

        for incident in extraction.incidents:
            if not incident.evidence and fallback is None:
                log.warning(
                    "incident without evidence or document, not stored %s", kv(id=incident.id)
                )
                continue
            stmts = encode_incident(incident, fallback_document=fallback)
            add(incident.id, INCIDENT, _caption_incident(incident), stmts)
        for actor in extraction.actors:
            if not actor.mentions and fallback is None:
                log.warning("actor without mention or document, not stored %s", kv(id=actor.id))
                continue
            add(actor.id, ACTOR, actor.name, encode_actor(actor, fallback_document=fallback))
        by_entity: dict[str, list[Statement]] = {}
        for stmt in extraction.statements:
            by_entity.setdefault(stmt.entity_id, []).append(stmt)
        for entity_id, stmts in by_entity.items():
            caption = next((s.value for s in stmts if s.prop in ("name", "caption")), None)
            add(entity_id, stmts[0].schema, caption or f"{stmts[0].schema} {entity_id}", stmts)
        return list(entity_rows.values()), list(stmt_rows.values())

    def _check_documents(
        self, conn: Connection, stmt_rows: Sequence[dict[str, Any]], written: set[str]
    ) -> None:
        """Raise when a statement cites a document that is neither written now nor stored."""
        cited = {row["document_id"] for row in stmt_rows} - written
        if not cited:
            return
        found = set(conn.scalars(select(documents.c.id).where(documents.c.id.in_(sorted(cited)))))
        missing = sorted(cited - found)
        if missing:
            # A caller's bug: the pipeline always writes a document with what was read from it.
            raise ValueError(
                f"evidence cites document(s) {missing[:3]!r} that are neither stored nor in "
                "this extraction; add those documents to the extraction"
            )

    def set_canonical(self, mapping: Mapping[str, str]) -> None:
        """Record the resolver's clusters: each entity ID maps to its cluster's canonical ID.

        Entities not in `mapping` keep their canonical ID. All updates share one transaction.

        Raises:
            NotFoundError: an entity ID in `mapping` is not stored; nothing is changed.
            StoreError: the database refused the update.
        """
        if not mapping:
            return
        update = (
            entities.update()
            .where(entities.c.id == bindparam("entity_id"))
            .values(canonical_id=bindparam("canonical_id"))
        )
        rows = [{"entity_id": key, "canonical_id": value} for key, value in mapping.items()]
        with translate_errors("update entity clusters", self.url), self.engine.begin() as conn:
            keys = list(mapping)
            found: set[str] = set()
            for start in range(0, len(keys), BATCH_SIZE):
                some = keys[start : start + BATCH_SIZE]
                found.update(conn.scalars(select(entities.c.id).where(entities.c.id.in_(some))))
            missing = [key for key in keys if key not in found]
            if missing:
                raise NotFoundError(
                    f"No stored entity with ID(s) {missing[:3]!r} ({len(missing)} in all); "
                    "resolve only entities read from this store"
                )
            for chunk in _chunks(rows):
                conn.execute(update, chunk)

    def write_issues(self, items: Iterable[Issue], *, run_id: str, created: datetime) -> None:
        """Append a run's issues (skipped records) to the run log, in one transaction."""
        rows = [
            {
                "run_id": run_id,
                "stage": item.stage,
                "source": item.source,
                "error": item.error,
                "message": item.message,
                "created": created,
            }
            for item in items
        ]
        if not rows:
            return
        with translate_errors("write the run's issues", self.url), self.engine.begin() as conn:
            conn.execute(issues.insert(), rows)


def _statement_row(stmt: Statement, ordinal: int, seen_at: datetime) -> dict[str, Any]:
    """Return the row of one statement; both first_seen and last_seen start at `seen_at`."""
    ev = stmt.evidence
    return {
        "id": stmt.id,
        "entity_id": stmt.entity_id,
        "schema": stmt.schema,
        "prop": stmt.prop,
        "value": stmt.value,
        "original_value": stmt.original_value,
        "document_id": ev.document_id,
        "start": ev.start,
        "end": ev.end,
        "sentence": ev.sentence,
        "extractor": ev.extractor,
        "ordinal": ordinal,
        "first_seen": seen_at,
        "last_seen": seen_at,
    }
