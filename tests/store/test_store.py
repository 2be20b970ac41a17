"""Store writes and View reads: idempotence, atomicity, clusters, filters and errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from threatwatch.errors import InputError, NotFoundError, StoreError
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
    Issue,
    Location,
    Relation,
    RelationKind,
    Stage,
    Statement,
    Suspects,
)
from threatwatch.store import Store, codec, get_status, upgrade
from threatwatch.store.schema import metadata

T0 = datetime(2024, 3, 26, 12, 0, tzinfo=UTC)
PG_URL = os.environ.get("THREATWATCH_TEST_DATABASE_URL")


def reset_database(url: str) -> None:
    """Drop every table, so that each PostgreSQL test starts from an empty database."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(params=["sqlite", *(["postgresql"] if PG_URL else [])])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return an empty database URL: SQLite always, PostgreSQL when the env var names one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    assert PG_URL is not None
    reset_database(PG_URL)
    return PG_URL


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """Return an open, migrated store."""
    with Store(db_url) as opened:
        yield opened


def make_doc(text: str, **meta: Any) -> Document:
    """Return a fictional document."""
    return Document(text=text, source=f"{text[:8]}.txt", **meta)


def span(doc: Document, needle: str, extractor: str = "threatwatch.events.v1") -> Evidence:
    """Return the evidence of `needle` in `doc` (the whole text is the sentence)."""
    start = doc.text.index(needle)
    return Evidence(
        document_id=doc.id,
        start=start,
        end=start + len(needle),
        sentence=doc.text,
        extractor=extractor,
    )


def make_incident(
    doc: Document,
    key: str,
    *,
    actor: str = "Red Lanterns",
    date_value: str | None = "2023-05-14",
    precision: DatePrecision = DatePrecision.DAY,
    location: Location | None = None,
    type_: IncidentType = IncidentType.BOMBING,
    stage: Stage = Stage.ACCOMPLISHED,
    targets: tuple[str, ...] = ("market",),
) -> Incident:
    """Return an incident reported by `doc`, attributed to `actor`."""
    ev = span(doc, doc.text.split()[0])
    return Incident(
        id=key,
        type=type_,
        stage=stage,
        date=DateValue(value=date_value, precision=precision),
        location=location or Location(place="Port Ellis", country="NZ", precision="place"),
        description=doc.text,
        targets=targets,
        casualties=(
            CasualtyClaim(kind="killed", min=3, max=3, text="three", evidence=ev, asserted_by=None),
        ),
        suspects=(Suspects(count=2, nationality="AU", names=("J. Doe",), evidence=ev),),
        attributions=(
            Attribution(
                actor=actor,
                actor_id=f"actor-{actor.lower().replace(' ', '-')}",
                status=AttributionStatus.CLAIMED,
                asserted_by=actor,
                evidence=ev,
            ),
        ),
        evidence=(ev,),
        document_ids=(doc.id,),
    )


def make_actor(
    doc: Document, name: str = "Red Lanterns", aliases: tuple[str, ...] = ("RL",)
) -> Actor:
    """Return an armed group mentioned in `doc`."""
    ev = span(doc, doc.text.split()[0])
    return Actor(
        id=f"actor-{name.lower().replace(' ', '-')}",
        name=name,
        kind=ActorKind.ARMED_GROUP,
        aliases=aliases,
        attributes=(Attribute(name="founded", value="2015", evidence=ev),),
        relations=(Relation(kind=RelationKind.RIVAL_OF, target="Blue Hand", evidence=None),),
        mentions=(ev,),
    )


def make_extraction(text: str, key: str, **incident: Any) -> Extraction:
    """Return a one-document extraction with one incident and one actor."""
    doc = make_doc(text, publisher="Fictional Wire", published=date(2023, 5, 15))
    return Extraction(
        documents=(doc,),
        incidents=(make_incident(doc, key, **incident),),
        actors=(make_actor(doc),),
        statements=(
            Statement(
                entity_id=f"warning-{key}",
                schema="Warning",
                prop="issuer",
                value="Ministry of Calm",
                evidence=span(doc, doc.text.split()[0]),
            ),
        ),
    )


def dump_tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Return every row of every table, sorted, for before/after comparisons."""
    out: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = [dict(row._mapping) for row in conn.execute(sa.select(table))]
            out[table.name] = sorted(rows, key=lambda row: str(row.get("id")))
    return out


def test_store_write_then_read_returns_the_same_objects(store: Store) -> None:
    extraction = make_extraction("Lanterns bombed the market in Port Ellis.", "inc-1")
    store.write_extraction(extraction, seen_at=T0)
    view = store.view()
    assert view.iter_incidents() == list(extraction.incidents)
    assert view.iter_actors() == list(extraction.actors)
    doc = extraction.documents[0]
    assert view.get_document(doc.id) == doc
    assert list(view.iter_documents()) == [doc]
    warning = view.iter_statements(schema="Warning")
    assert [replace(s, first_seen=None, last_seen=None) for s in warning] == list(
        extraction.statements
    )
    assert warning[0].first_seen == T0.isoformat()
    assert store.has_document(doc.id)
    assert not store.has_document("doc-unknown")


def test_store_rewrite_changes_only_last_seen(store: Store) -> None:
    extraction = make_extraction("Lanterns bombed the market in Port Ellis.", "inc-1")
    store.write_extraction(extraction, seen_at=T0)
    before = dump_tables(store)
    later = T0 + timedelta(days=3)
    store.write_extraction(extraction, seen_at=later)
    after = dump_tables(store)
    assert before["documents"] == after["documents"]
    assert before["entities"] == after["entities"]
    assert len(after["statements"]) == len(before["statements"]) > 0
    for old, new in zip(before["statements"], after["statements"], strict=True):
        assert new["first_seen"] == T0
        assert new["last_seen"] == later
        assert {k: v for k, v in old.items() if k != "last_seen"} == {
            k: v for k, v in new.items() if k != "last_seen"
        }
    # An older run written afterwards never turns last_seen back.
    store.write_extraction(extraction, seen_at=T0 - timedelta(days=1))
    assert dump_tables(store)["statements"] == after["statements"]


def test_store_codec_failure_stores_nothing_of_that_document(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_extraction("Lanterns bombed the market in Port Ellis.", "inc-1")
    store.write_extraction(first, seen_at=T0)
    before = dump_tables(store)
    second = make_extraction("Gunmen stormed a depot in Lake Arden.", "inc-2")
    calls: list[str] = []
    real_encode = codec.encode_actor

    def failing_encode(actor: Actor, *, fallback_document: str | None) -> list[Statement]:
        calls.append(actor.id)
        raise RuntimeError("simulated crash while encoding")

    monkeypatch.setattr("threatwatch.store.store.encode_actor", failing_encode)
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.write_extraction(second, seen_at=T0)
    assert calls, "the codec was not reached"
    assert dump_tables(store) == before
    assert not store.has_document(second.documents[0].id)
    # A rerun resumes: the document is written in full once the fault is gone.
    monkeypatch.setattr("threatwatch.store.store.encode_actor", real_encode)
    store.write_extraction(second, seen_at=T0)
    assert store.has_document(second.documents[0].id)
    assert {i.id for i in store.view().iter_incidents()} == {"inc-1", "inc-2"}


def test_store_database_failure_mid_transaction_rolls_back(store: Store) -> None:
    first = make_extraction("Lanterns bombed the market in Port Ellis.", "inc-1")
    store.write_extraction(first, seen_at=T0)
    before = dump_tables(store)
    second = make_extraction("Gunmen stormed a depot in Lake Arden.", "inc-2")
    executed: list[str] = []
    # The driver's own error class, so that SQLAlchemy treats it as a database failure.
    driver_error = store.engine.dialect.loaded_dbapi.OperationalError

    def fail_on_statements(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        executed.append(sql.split("(")[0].strip())
        if sql.startswith("INSERT INTO statements"):
            raise driver_error("disk I/O error (simulated)")

    sa.event.listen(store.engine, "before_cursor_execute", fail_on_statements)
    try:
        with pytest.raises(StoreError, match="disk I/O error"):
            store.write_extraction(second, seen_at=T0)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", fail_on_statements)
    # The document and entity rows were inserted before the failure, then rolled back.
    assert "INSERT INTO documents" in executed
    assert "INSERT INTO entities" in executed
    assert dump_tables(store) == before
    store.write_extraction(second, seen_at=T0)
    assert store.view().counts()["documents"] == 2


def test_store_refuses_evidence_citing_an_unknown_document(store: Store) -> None:
    extraction = make_extraction("Lanterns bombed the market in Port Ellis.", "inc-1")
    stray = make_doc("A text that was never stored.")
    bad = replace(
        extraction, statements=(replace(extraction.statements[0], evidence=span(stray, "text")),)
    )
    with pytest.raises(ValueError, match="neither stored nor in"):
        store.write_extraction(bad, seen_at=T0)
    assert store.view().counts()["documents"] == 0


def test_store_rejects_naive_seen_at(store: Store) -> None:
    extraction = make_extraction("Lanterns bombed the market in Port Ellis.", "inc-1")
    with pytest.raises(ValueError, match="timezone-aware"):
        store.write_extraction(extraction, seen_at=datetime(2024, 1, 1))


def test_store_clusters_merge_into_one_incident(store: Store) -> None:
    vague = make_extraction(
        "Lanterns bombed a market.",
        "inc-a",
        date_value="2023-05",
        precision=DatePrecision.MONTH,
        location=Location(country="NZ", precision="country"),
        type_=IncidentType.ATTACK,
        targets=("market", "shoppers"),
    )
    precise = make_extraction(
        "Witnesses saw the bombing at Port Ellis market.",
        "inc-b",
        actor="Blue Hand",
        targets=("market",),
    )
    store.write_extraction(vague, seen_at=T0)
    store.write_extraction(precise, seen_at=T0 + timedelta(hours=1))
    view = store.view()
    assert len(view.iter_incidents()) == 2
    store.set_canonical({"inc-b": "inc-a"})
    merged = view.iter_incidents()
    assert [i.id for i in merged] == ["inc-a"]
    (incident,) = merged
    a, b = vague.incidents[0], precise.incidents[0]
    assert incident.date == b.date  # the day beats the month
    assert incident.location == b.location  # the place beats the country
    assert incident.type is IncidentType.BOMBING  # a specific type beats `attack`
    assert incident.description == a.description  # from the member seen first
    assert incident.targets == ("market", "shoppers")  # union without duplicates
    assert incident.attributions == a.attributions + b.attributions
    assert incident.document_ids == a.document_ids + b.document_ids
    assert view.counts()["incidents"] == 1
    assert {i.id for i in view.iter_incidents(merged=False)} == {"inc-a", "inc-b"}
    assert view.get_incident("inc-b") == incident
    assert [i.id for i in view.iter_incidents(actor="blue hand")] == ["inc-a"]


def test_store_set_canonical_unknown_id_changes_nothing(store: Store) -> None:
    store.write_extraction(make_extraction("Lanterns bombed the market.", "inc-a"), seen_at=T0)
    store.write_extraction(make_extraction("Gunmen stormed a depot.", "inc-b"), seen_at=T0)
    with pytest.raises(NotFoundError, match="inc-missing"):
        store.set_canonical({"inc-b": "inc-a", "inc-missing": "inc-a"})
    assert store.view().counts()["incidents"] == 2


def test_view_filters_incidents(store: Store) -> None:
    store.write_extraction(
        make_extraction(
            "Lanterns bombed the market.",
            "inc-nz",
            date_value="2023-05",
            precision=DatePrecision.MONTH,
        ),
        seen_at=T0,
    )
    store.write_extraction(
        make_extraction(
            "Agents foiled a plot in Moscow.",
            "inc-ru",
            actor="Blue Hand",
            date_value=None,
            precision=DatePrecision.UNRESOLVED,
            location=Location(place="Moscow", country="RU", precision="place"),
            type_=IncidentType.PLOT,
            stage=Stage.FOILED,
        ),
        seen_at=T0,
    )
    view = store.view()

    def ids(**filters: Any) -> list[str]:
        return [i.id for i in view.iter_incidents(**filters)]

    assert ids() == ["inc-nz", "inc-ru"]  # unresolved dates sort last
    assert ids(actor="rl") == ["inc-nz", "inc-ru"][:1]  # alias of Red Lanterns
    assert ids(actor="RED LANTERNS") == ["inc-nz"]
    assert ids(actor="Blue Hand") == ["inc-ru"]
    assert ids(actor="nobody") == []
    assert ids(country="Russia") == ["inc-ru"]
    assert ids(country="ru") == ["inc-ru"]
    assert ids(country="New Zealand") == ["inc-nz"]
    assert ids(stage="foiled") == ["inc-ru"]
    assert ids(since=date(2023, 5, 31)) == ["inc-nz"]  # May 2023 may reach the 31st
    assert ids(since=date(2023, 6, 1)) == []
    with pytest.raises(InputError, match="Unknown stage 'crushed'"):
        view.iter_incidents(stage="crushed")
    with pytest.raises(InputError, match="Unknown country 'Atlantis'"):
        view.iter_incidents(country="Atlantis")


def test_view_assembles_actors_across_documents(store: Store) -> None:
    one = make_doc("Lanterns struck again.")
    two = make_doc("The Red Lanterns, also called the Lantern Front, grew.")
    first = make_actor(one, aliases=("RL",))
    second = replace(
        make_actor(two, aliases=("Lantern Front", "RL")),
        relations=(
            Relation(
                kind=RelationKind.AFFILIATE_OF, target="Night Order", evidence=span(two, "grew")
            ),
        ),
    )
    store.write_extraction(Extraction(documents=(one,), actors=(first,)), seen_at=T0)
    store.write_extraction(
        Extraction(documents=(two,), actors=(second,)), seen_at=T0 + timedelta(1)
    )
    view = store.view()
    (actor,) = view.iter_actors()
    assert actor.aliases == ("RL", "Lantern Front")
    assert actor.mentions == first.mentions + second.mentions
    assert actor.relations == first.relations + second.relations
    assert actor.attributes == first.attributes + second.attributes
    assert view.get_actor("lantern front") == actor
    assert view.get_actor("red lanterns") == actor
    with pytest.raises(NotFoundError, match="threatwatch actors"):
        view.get_actor("Green Owls")
    assert view.counts() == {
        "documents": 2,
        "incidents": 0,
        "actors": 1,
        "statements": len(view.iter_statements(schema="Actor")),
    }


def test_view_merges_actor_clusters_and_keeps_other_names_as_aliases(store: Store) -> None:
    doc = make_doc("Lanterns and the Night Order are one group.")
    lanterns = make_actor(doc)
    order = make_actor(doc, name="Night Order", aliases=("NO",))
    store.write_extraction(Extraction(documents=(doc,), actors=(lanterns, order)), seen_at=T0)
    store.set_canonical({order.id: lanterns.id})
    (actor,) = store.view().iter_actors()
    assert actor.id == lanterns.id
    assert actor.name == "Red Lanterns"
    assert actor.aliases == ("RL", "Night Order", "NO")


def test_view_get_document_unknown_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="No document with ID 'doc-nope'"):
        store.view().get_document("doc-nope")


def test_store_keeps_unsourced_facts_and_facts_without_mentions(store: Store) -> None:
    doc = make_doc("Lanterns bombed the market.")
    gazetteer_actor = Actor(
        id="actor-blue-hand",
        name="Blue Hand",
        kind=ActorKind.ARMED_GROUP,
        relations=(Relation(kind=RelationKind.RIVAL_OF, target="Red Lanterns"),),
    )
    incident = replace(make_incident(doc, "inc-1"), evidence=())
    store.write_extraction(
        Extraction(documents=(doc,), incidents=(incident,), actors=(gazetteer_actor,)), seen_at=T0
    )
    view = store.view()
    assert view.iter_actors() == [gazetteer_actor]
    assert view.iter_incidents() == [incident]
    placeholders = view.iter_statements(entity_id="actor-blue-hand")
    assert {s.evidence.extractor for s in placeholders} == {codec.UNSOURCED}
    assert {s.evidence.document_id for s in placeholders} == {doc.id}


def test_store_issues_are_logged_per_run(store: Store) -> None:
    issue = Issue(stage="ingest", source="bad.pdf", error="empty", message="'bad.pdf' is empty")
    store.write_issues([issue], run_id="run-1", created=T0)
    store.write_issues([], run_id="run-2", created=T0)
    assert store.view().iter_issues() == [issue]
    assert store.view().iter_issues(run_id="run-2") == []


def test_store_with_pending_migrations_and_migrate_false_fails(db_url: str) -> None:
    with pytest.raises(StoreError, match="threatwatch db upgrade"):
        Store(db_url, migrate=False)
    status = get_status(db_url)
    assert status.current is None
    assert status.pending == (status.head,)
    assert upgrade(db_url).is_current
    with Store(db_url, migrate=False) as opened:
        assert opened.view().counts()["documents"] == 0


def test_store_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unable to open database file"):
        Store(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}")
    with pytest.raises(StoreError, match="Malformed database URL"):
        Store("not a url")
    with pytest.raises(StoreError, match="Unsupported database 'mysql'"):
        Store("mysql://root@localhost/threatwatch")


def test_store_unknown_revision_is_a_store_error(db_url: str) -> None:
    upgrade(db_url)
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"'9999'.*upgrade threatwatch"):
        Store(db_url)
