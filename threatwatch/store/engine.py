"""Engines and dialect helpers: SQLite pragmas, per-dialect upserts, error translation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Table, case, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.sql.dml import Insert

from threatwatch.errors import StoreError

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another writer's lock before failing."""


def normalize_url(url: str) -> str:
    """Return `url` with PostgreSQL URLs pointed at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def hide_password(url: str) -> str:
    """Return `url` fit for messages and logs: any password is replaced by `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str) -> Engine:
    """Return an engine for a SQLite or PostgreSQL URL; it connects on first use.

    SQLite connections run with WAL journaling, foreign keys on, `synchronous=NORMAL`
    (safe under WAL) and a busy timeout, so that a reader never blocks the writer.

    Raises:
        StoreError: the URL is malformed or its driver is not installed.
    """
    url = normalize_url(url)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise StoreError(
            f"Malformed database URL {hide_password(url)!r}; expected for example "
            "sqlite:///threatwatch.db or postgresql+psycopg://USER@HOST/DB"
        ) from exc
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(
            f"Unsupported database {backend!r} in {hide_password(url)!r}; use SQLite "
            "(sqlite:///PATH) or PostgreSQL (postgresql+psycopg://USER@HOST/DB)"
        )
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(
            f"The driver for {hide_password(url)!r} is not installed; use "
            "postgresql+psycopg:// and run: pip install 'threatwatch[postgres]'"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _set_sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Configure each new SQLite connection (the pragmas are per connection)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _dialect_insert(table: Table, dialect_name: str) -> sqlite.Insert | postgresql.Insert:
    """Return the dialect's INSERT construct, which knows ON CONFLICT."""
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    raise StoreError(f"Unsupported database {dialect_name!r}; use SQLite or PostgreSQL")


def make_insert_ignore(table: Table, dialect_name: str, keys: Sequence[str]) -> Insert:
    """Return an INSERT that skips rows whose `keys` already exist."""
    return _dialect_insert(table, dialect_name).on_conflict_do_nothing(index_elements=list(keys))


def make_upsert_latest(
    table: Table, dialect_name: str, keys: Sequence[str], columns: Sequence[str]
) -> Insert:
    """Return an INSERT that, for an existing row, only moves `columns` forward.

    Each column in `columns` keeps the greater of its stored and incoming value, so a rerun
    with an older timestamp never turns `last_seen` back; every other column is left alone.
    """
    stmt = _dialect_insert(table, dialect_name)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={
            name: case(
                (stmt.excluded[name] > table.c[name], stmt.excluded[name]), else_=table.c[name]
            )
            for name in columns
        },
    )


@contextmanager
def translate_errors(action: str, url: str) -> Iterator[None]:
    """Turn SQLAlchemy errors raised inside the block into `StoreError`.

    Args:
        action: what was being done, for the message (`write document 'doc-1'`).
        url: the database URL, shown without its password.
    """
    try:
        yield
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StoreError(
            f"Database {hide_password(url)!r} failed to {action}: {detail}; "
            "check that it is reachable and migrated (threatwatch db status)"
        ) from exc
