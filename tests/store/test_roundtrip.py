"""Hypothesis: incidents, actors and statements written to the store read back equal."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threatwatch.model import (
    Actor,
    ActorKind,
    Attribute,
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DatePrecision,
    DateValue,
    Document,
    Evidence,
    Extraction,
    Incident,
    IncidentType,
    Location,
    Relation,
    RelationKind,
    Stage,
    Statement,
    Suspects,
)
from threatwatch.store import Store
from threatwatch.store.schema import metadata

T = TypeVar("T")
PG_URL = os.environ.get("THREATWATCH_TEST_DATABASE_URL")
SEEN = datetime(2024, 3, 26, 9, 30, tzinfo=UTC)

# PostgreSQL text cannot hold NUL, and lone surrogates are not valid UTF-8.
texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=12,
)
names = st.text(alphabet="abcdefghij -'", min_size=1, max_size=10)
maybe_text = st.none() | texts
ints = st.integers(min_value=0, max_value=1_000_000)
coordinates = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A document with random text and metadata."""
    return Document(
        text=draw(st.text(min_size=1, max_size=40).filter(lambda t: "\x00" not in t))
        + draw(st.uuids()).hex,
        source=draw(names),
        title=draw(maybe_text),
        publisher=draw(maybe_text),
        url=draw(maybe_text),
        published=draw(st.none() | st.dates(min_value=date(1900, 1, 1))),
        language=draw(st.none() | st.sampled_from(["en", "fr", "ru"])),
    )


def evidence_in(doc: Document) -> st.SearchStrategy[Evidence]:
    """Evidence spans of `doc`, from a few extractor names."""
    return st.builds(
        Evidence,
        document_id=st.just(doc.id),
        start=ints,
        end=ints,
        sentence=texts,
        extractor=st.sampled_from(["threatwatch.events.v1", "threatwatch.attribution.v1"]),
    )


def unique_tuples(
    strategy: st.SearchStrategy[T], max_size: int = 3
) -> st.SearchStrategy[tuple[T, ...]]:
    """Tuples without duplicates (the store keeps a fact once)."""
    return st.lists(strategy, unique=True, max_size=max_size).map(tuple)


@st.composite
def incidents(draw: st.DrawFn, doc: Document, key: str) -> Incident:
    """An incident whose evidence lies in `doc`."""
    evidence = evidence_in(doc)
    return Incident(
        id=key,
        type=draw(st.sampled_from(IncidentType)),
        stage=draw(st.sampled_from(Stage)),
        date=DateValue(
            value=draw(st.none() | st.sampled_from(["2024", "2024-03", "2024-03-22"])),
            precision=draw(st.sampled_from(DatePrecision)),
            text=draw(maybe_text),
        ),
        location=Location(
            place=draw(maybe_text),
            admin1=draw(maybe_text),
            country=draw(st.none() | st.sampled_from(["RU", "AF", "FR"])),
            latitude=draw(coordinates),
            longitude=draw(coordinates),
            precision=draw(st.sampled_from(["place", "admin1", "country", "unknown"])),
        ),
        description=draw(texts),
        targets=draw(unique_tuples(texts)),
        victims=draw(unique_tuples(texts)),
        weapons=draw(unique_tuples(texts)),
        perpetrators=draw(unique_tuples(texts)),
        casualties=draw(
            unique_tuples(
                st.builds(
                    CasualtyClaim,
                    kind=st.sampled_from(["killed", "wounded", "casualties"]),
                    min=st.none() | ints,
                    max=st.none() | ints,
                    text=texts,
                    evidence=evidence,
                    asserted_by=maybe_text,
                )
            )
        ),
        suspects=draw(
            unique_tuples(
                st.builds(
                    Suspects,
                    count=st.none() | ints,
                    nationality=st.none() | st.sampled_from(["TJ", "UA"]),
                    names=unique_tuples(names),
                    evidence=evidence,
                )
            )
        ),
        attributions=draw(
            unique_tuples(
                st.builds(
                    Attribution,
                    actor=names,
                    actor_id=names.map(lambda n: f"actor-{n}"),
                    status=st.sampled_from(AttributionStatus),
                    asserted_by=names,
                    evidence=evidence,
                )
            )
        ),
        evidence=draw(unique_tuples(evidence)),
        document_ids=draw(unique_tuples(st.just(doc.id) | names)),
    )


@st.composite
def actors(draw: st.DrawFn, doc: Document, key: str) -> Actor:
    """An actor mentioned in `doc`; attributes and relations may lack evidence."""
    maybe_evidence = st.none() | evidence_in(doc)
    return Actor(
        id=key,
        name=draw(names),
        kind=draw(st.sampled_from(ActorKind)),
        aliases=draw(unique_tuples(names)),
        country=draw(st.none() | st.sampled_from(["UA", "RU"])),
        attributes=draw(
            unique_tuples(st.builds(Attribute, name=names, value=texts, evidence=maybe_evidence))
        ),
        relations=draw(
            unique_tuples(
                st.builds(
                    Relation,
                    kind=st.sampled_from(RelationKind),
                    target=names,
                    evidence=maybe_evidence,
                )
            )
        ),
        mentions=draw(unique_tuples(evidence_in(doc))),
    )


@st.composite
def extractions(draw: st.DrawFn) -> Extraction:
    """One document with up to three incidents, actors and other statements."""
    doc = draw(documents())
    n_incidents = draw(st.integers(0, 3))
    n_actors = draw(st.integers(0, 3))
    statements = draw(
        st.lists(
            st.builds(
                Statement,
                entity_id=st.sampled_from(["warning-1", "statistic-1"]),
                schema=st.sampled_from(["Warning", "Statistic"]),
                prop=st.sampled_from(["issuer", "value", "period"]),
                value=texts,
                evidence=evidence_in(doc),
                original_value=maybe_text,
            ),
            max_size=4,
            unique_by=lambda s: s.id,
        )
    )
    # One schema per entity, as writers do.
    statements = [
        replace(s, schema="Warning" if s.entity_id == "warning-1" else "Statistic")
        for s in statements
    ]
    return Extraction(
        documents=(doc,),
        incidents=tuple(draw(incidents(doc, f"incident-{n}")) for n in range(n_incidents)),
        actors=tuple(draw(actors(doc, f"actor-{n}")) for n in range(n_actors)),
        statements=tuple(statements),
    )


def wipe(store: Store) -> None:
    """Delete every row, so that each example starts from an empty, migrated database."""
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", *(["postgresql"] if PG_URL else [])])
def roundtrip_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Return a migrated store on SQLite, or PostgreSQL when THREATWATCH_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    else:
        assert PG_URL is not None
        url = PG_URL
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()
    with Store(url) as store:
        yield store


@settings(
    max_examples=60,
    deadline=None,
    # The store is migrated once per test and wiped per example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(extraction=extractions())
def test_store_roundtrip_returns_equal_objects(
    roundtrip_store: Store, extraction: Extraction
) -> None:
    wipe(roundtrip_store)
    roundtrip_store.write_extraction(extraction, seen_at=SEEN)
    view = roundtrip_store.view()
    assert {i.id: i for i in view.iter_incidents()} == {i.id: i for i in extraction.incidents}
    assert {a.id: a for a in view.iter_actors()} == {a.id: a for a in extraction.actors}
    doc = extraction.documents[0]
    assert view.get_document(doc.id) == doc
    stored = [
        replace(s, first_seen=None, last_seen=None)
        for schema in ("Warning", "Statistic")
        for s in view.iter_statements(schema=schema)
    ]
    assert sorted(stored, key=lambda s: s.id) == sorted(extraction.statements, key=lambda s: s.id)
