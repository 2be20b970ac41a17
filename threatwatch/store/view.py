"""View: read-only questions over the store, answered with model objects (never rows)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import pycountry
from sqlalchemy import Engine, Row, Select, distinct, func, select

from threatwatch.errors import InputError, NotFoundError
from threatwatch.model import (
    Actor,
    DateValue,
    Document,
    Evidence,
    Incident,
    Issue,
    Stage,
    Statement,
)
from threatwatch.store.codec import ACTOR, INCIDENT, Fact, decode_actor, decode_incident
from threatwatch.store.engine import translate_errors
from threatwatch.store.merge import merge_actors, merge_incidents
from threatwatch.store.schema import documents, entities, issues, statements

_STATEMENT_COLUMNS = (
    statements.c.id,
    statements.c.entity_id,
    statements.c.schema,
    statements.c.prop,
    statements.c.value,
    statements.c.original_value,
    statements.c.document_id,
    statements.c.start,
    statements.c.end,
    statements.c.sentence,
    statements.c.extractor,
    statements.c.first_seen,
    statements.c.last_seen,
)
# Written order: a later write sorts after an earlier one; within a write, the codec's order.
_WRITTEN_ORDER = (statements.c.first_seen, statements.c.ordinal, statements.c.id)


def _to_statement(row: Row[Any]) -> Statement:
    """Return the Statement of a statements row."""
    return Statement(
        id=row.id,
        entity_id=row.entity_id,
        schema=row.schema,
        prop=row.prop,
        value=row.value,
        original_value=row.original_value,
        evidence=Evidence(
            document_id=row.document_id,
            start=row.start,
            end=row.end,
            sentence=row.sentence,
            extractor=row.extractor,
        ),
        first_seen=row.first_seen.isoformat(),
        last_seen=row.last_seen.isoformat(),
    )


def _to_document(row: Row[Any]) -> Document:
    """Return the Document of a documents row."""
    return Document(
        id=row.id,
        text=row.text,
        source=row.source,
        title=row.title,
        publisher=row.publisher,
        url=row.url,
        published=row.published,
        language=row.language,
    )


def to_country_code(country: str) -> str:
    """Return the ISO 3166-1 alpha-2 code of a country code or name (`RU`, `RUS`, `Russia`).

    Raises:
        InputError: no country matches.
    """
    text = country.strip()
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    try:
        # search_fuzzy also matches common names such as "Russia" and subdivisions' countries.
        return str(pycountry.countries.search_fuzzy(text)[0].alpha_2)
    except LookupError:
        raise InputError(
            f"Unknown country {country!r}; give an ISO code such as 'RU' or a name such as 'Russia'",
            {"country": country},
        ) from None


def _latest_day(value: DateValue) -> date | None:
    """Return the last day the date can stand for, or None when it is unresolved or malformed."""
    if value.value is None:
        return None
    try:
        parts = [int(part) for part in value.value.split("-")]
        if len(parts) == 1:
            return date(parts[0], 12, 31)
        if len(parts) == 2:
            return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return date(parts[0], parts[1], parts[2])
    except (ValueError, IndexError):
        return None


def _sort_key(incident: Incident) -> tuple[bool, str, str]:
    """Sort incidents by date (unresolved last), then ID."""
    return (incident.date.value is None, incident.date.value or "", incident.id)


class View:
    """Read access to a store; every method opens its own short read transaction."""

    def __init__(self, engine: Engine, url: str) -> None:
        """Read through `engine`; `url` is only for messages (its password is never shown)."""
        self.engine = engine
        self.url = url

    def _fetch(self, action: str, query: Select[Any]) -> Sequence[Row[Any]]:
        """Run a query and return all its rows, translating database errors."""
        with translate_errors(action, self.url), self.engine.connect() as conn:
            return conn.execute(query).all()

    def iter_documents(self) -> Iterator[Document]:
        """Yield every stored document, oldest ingest first, streaming the texts."""
        query = select(documents).order_by(documents.c.ingested_at, documents.c.id)
        with translate_errors("read documents", self.url), self.engine.connect() as conn:
            result = conn.execution_options(yield_per=200).execute(query)
            for row in result:
                yield _to_document(row)

    def get_document(self, document_id: str) -> Document:
        """Return one document.

        Raises:
            NotFoundError: no document has this ID.
        """
        rows = self._fetch(
            "read a document", select(documents).where(documents.c.id == document_id)
        )
        if not rows:
            raise NotFoundError(
                f"No document with ID {document_id!r}; document IDs look like 'doc-<hash>' and "
                "exist once the file is ingested (threatwatch ingest FILE)"
            )
        return _to_document(rows[0])

    def iter_statements(
        self, schema: str | None = None, entity_id: str | None = None
    ) -> list[Statement]:
        """Return stored statements, optionally of one schema and/or one entity, in written order."""
        query = select(*_STATEMENT_COLUMNS)
        if schema is not None:
            query = query.where(statements.c.schema == schema)
        if entity_id is not None:
            query = query.where(statements.c.entity_id == entity_id)
        query = query.order_by(statements.c.entity_id, *_WRITTEN_ORDER)
        return [_to_statement(row) for row in self._fetch("read statements", query)]

    def _iter_entities(self, schema: str) -> list[tuple[str, str, list[Fact]]]:
        """Return (entity ID, canonical ID, facts) of one schema's entities, first seen first."""
        query = (
            select(
                statements.c.id,
                statements.c.entity_id,
                statements.c.prop,
                statements.c.value,
                statements.c.document_id,
                statements.c.start,
                statements.c.end,
                statements.c.sentence,
                statements.c.extractor,
                entities.c.canonical_id,
            )
            .join(entities, entities.c.id == statements.c.entity_id)
            .where(entities.c.schema == schema)
            .order_by(*_WRITTEN_ORDER)
        )
        grouped: dict[str, tuple[str, list[Fact]]] = {}
        # Many statements share one span (an incident's scalars all cite its first sentence):
        # building each Evidence once keeps large reads fast.
        spans: dict[tuple[str, int, int, str, str], Evidence] = {}
        for row in self._fetch(f"read {schema} statements", query):
            key, entity_id, prop, value, doc_id, start, end, sentence, extractor, canonical = tuple(
                row
            )
            span = (doc_id, start, end, sentence, extractor)
            evidence = spans.get(span)
            if evidence is None:
                evidence = spans[span] = Evidence(
                    document_id=doc_id, start=start, end=end, sentence=sentence, extractor=extractor
                )
            entry = grouped.get(entity_id)
            if entry is None:
                entry = grouped[entity_id] = (canonical, [])
            entry[1].append(Fact(key, prop, value, evidence))
        return [(key, canonical, facts) for key, (canonical, facts) in grouped.items()]

    def iter_incidents(
        self,
        *,
        actor: str | None = None,
        country: str | None = None,
        since: date | None = None,
        stage: str | None = None,
        merged: bool = True,
    ) -> list[Incident]:
        """Return incidents, one per resolver cluster, sorted by date (unresolved last).

        Args:
            actor: keep incidents attributed (with any status) to this actor's name or alias,
                case-insensitive.
            country: keep incidents in this country: an ISO code or a country name.
            since: keep incidents whose date may fall on or after this day (a month or year
                counts up to its last day); unresolved dates are left out.
            stage: keep incidents at this stage (`accomplished`, `foiled`, ...).
            merged: False returns every stored incident on its own, as the resolver needs.

        Raises:
            InputError: an unknown country or stage.
        """
        stage_value = self._parse_stage(stage) if stage is not None else None
        country_code = to_country_code(country) if country is not None else None
        actor_keys = self._match_actor(actor) if actor is not None else None
        clusters: dict[str, list[Incident]] = {}
        for entity_id, canonical_id, stmts in self._iter_entities(INCIDENT):
            incident = decode_incident(entity_id, stmts)
            if incident is not None:
                clusters.setdefault(canonical_id if merged else entity_id, []).append(incident)
        out: list[Incident] = []
        for key, members in clusters.items():
            incident = merge_incidents(key, members)
            if stage_value is not None and incident.stage is not stage_value:
                continue
            if country_code is not None and incident.location.country != country_code:
                continue
            if since is not None:
                latest = _latest_day(incident.date)
                if latest is None or latest < since:
                    continue
            if actor_keys is not None and not any(
                a.actor_id in actor_keys or a.actor.casefold() in actor_keys
                for a in incident.attributions
            ):
                continue
            out.append(incident)
        return sorted(out, key=_sort_key)

    def get_incident(self, incident_id: str) -> Incident:
        """Return the merged incident whose cluster holds `incident_id` (a member or canonical ID).

        Raises:
            NotFoundError: no incident has this ID.
        """
        rows = self._fetch(
            "read an incident",
            select(entities.c.canonical_id).where(
                entities.c.schema == INCIDENT,
                (entities.c.id == incident_id) | (entities.c.canonical_id == incident_id),
            ),
        )
        if rows:
            canonical_id = rows[0].canonical_id
            for incident in self.iter_incidents():
                if incident.id == canonical_id:
                    return incident
        raise NotFoundError(
            f"No incident with ID {incident_id!r}; run `threatwatch incidents` to list them"
        )

    @staticmethod
    def _parse_stage(stage: str) -> Stage:
        """Return the Stage named `stage`."""
        try:
            return Stage(stage.strip().lower())
        except ValueError:
            choices = ", ".join(str(s) for s in Stage)
            raise InputError(
                f"Unknown stage {stage!r}; use one of {choices}", {"stage": stage}
            ) from None

    def _match_actor(self, name: str) -> set[str]:
        """Return the entity IDs and casefolded names of every actor cluster that `name` names.

        The name itself is always included, so an attribution to an actor that has no actor
        entity still matches by its written name.
        """
        wanted = name.strip().casefold()
        query = (
            select(statements.c.entity_id, entities.c.canonical_id, statements.c.value)
            .join(entities, entities.c.id == statements.c.entity_id)
            .where(entities.c.schema == ACTOR, statements.c.prop.in_(("name", "alias")))
        )
        names: dict[str, set[str]] = {}
        members: dict[str, set[str]] = {}
        for row in self._fetch("read actor names", query):
            names.setdefault(row.canonical_id, set()).add(row.value.casefold())
            members.setdefault(row.canonical_id, {row.canonical_id}).add(row.entity_id)
        keys = {wanted}
        for canonical_id, cluster_names in names.items():
            if wanted in cluster_names:
                keys |= cluster_names | members[canonical_id]
        return keys

    def iter_actors(self) -> list[Actor]:
        """Return every actor, one per cluster, assembled from statements across documents."""
        clusters: dict[str, list[Actor]] = {}
        for entity_id, canonical_id, stmts in self._iter_entities(ACTOR):
            actor = decode_actor(entity_id, stmts)
            if actor is not None:
                clusters.setdefault(canonical_id, []).append(actor)
        actors = [merge_actors(key, members) for key, members in clusters.items()]
        return sorted(actors, key=lambda a: (a.name.casefold(), a.id))

    def get_actor(self, name_or_alias: str) -> Actor:
        """Return the actor with this name or alias (case-insensitive); a name match wins.

        Raises:
            NotFoundError: no actor has this name or alias.
        """
        wanted = name_or_alias.strip().casefold()
        actors = self.iter_actors()
        for actor in actors:
            if actor.name.casefold() == wanted:
                return actor
        by_alias = [a for a in actors if wanted in {alias.casefold() for alias in a.aliases}]
        if by_alias:
            # Several actors sharing an alias: the most mentioned is the likeliest meaning.
            return max(by_alias, key=lambda a: len(a.mentions))
        raise NotFoundError(
            f"No actor named {name_or_alias!r}; run `threatwatch actors` to list known actors "
            "and their aliases"
        )

    def iter_issues(self, run_id: str | None = None) -> list[Issue]:
        """Return the logged issues, optionally of one run, oldest first."""
        query = select(issues).order_by(issues.c.id)
        if run_id is not None:
            query = query.where(issues.c.run_id == run_id)
        return [
            Issue(stage=row.stage, source=row.source, error=row.error, message=row.message)
            for row in self._fetch("read issues", query)
        ]

    def counts(self) -> dict[str, int]:
        """Return how many documents, incidents (clusters), actors (clusters) and statements are stored."""

        def count_clusters(schema: str) -> Select[Any]:
            return select(func.count(distinct(entities.c.canonical_id))).where(
                entities.c.schema == schema
            )

        queries = {
            "documents": select(func.count()).select_from(documents),
            "incidents": count_clusters(INCIDENT),
            "actors": count_clusters(ACTOR),
            "statements": select(func.count()).select_from(statements),
        }
        with translate_errors("count stored records", self.url), self.engine.connect() as conn:
            return {name: int(conn.scalar(query) or 0) for name, query in queries.items()}
