"""Migrations: the shipped revisions build exactly schema.py; status and new revisions work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import threatwatch.store
from threatwatch.store import get_status, make_engine, make_revision, migrate, upgrade
from threatwatch.store.engine import hide_password
from threatwatch.store.schema import metadata


def test_migrations_build_exactly_the_tables_of_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    status = upgrade(url)
    assert status.is_current
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        names = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert diff == []
    assert names == {"alembic_version", "documents", "entities", "statements", "issues"}


def test_upgrade_is_idempotent_and_status_reports_pending(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    before = get_status(url)
    assert before.current is None
    assert before.pending == (before.head,)
    assert not before.is_current
    assert upgrade(url) == upgrade(url)
    assert get_status(url).current == before.head


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
    engine.dispose()


def test_hide_password_keeps_the_user() -> None:
    status_url = hide_password("postgresql+psycopg://ana:s3cret@db.example/tw")
    assert "s3cret" not in status_url
    assert "ana" in status_url


def test_make_revision_writes_a_numbered_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    path = make_revision("add nothing", autogenerate=True)
    assert path.parent == scripts / "versions"
    assert path.name == "r0002_add_nothing.py"
    text = path.read_text()
    assert "revision: str = '0002'" in text
    assert "down_revision: str | None = '0001'" in text
    # Nothing differs from schema.py, so autogenerate finds no operation to write.
    assert "op." not in text.split("def upgrade")[1]


def test_store_public_names_are_pinned_and_documented() -> None:
    assert threatwatch.store.__all__ == [
        "MigrationStatus",
        "Store",
        "View",
        "get_status",
        "make_engine",
        "make_revision",
        "to_country_code",
        "upgrade",
    ]
    for name in threatwatch.store.__all__:
        assert getattr(threatwatch.store, name).__doc__, name
