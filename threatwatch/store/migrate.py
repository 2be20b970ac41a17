"""Schema migrations run in code with Alembic: upgrade, status, and new revisions for developers."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from threatwatch.errors import StoreError
from threatwatch.store.engine import hide_password, make_engine, translate_errors

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
"""Alembic script directory shipped inside the package (env.py, versions/)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MigrationStatus:
    """Where a database stands against the migrations shipped with this version."""

    url: str
    """The database URL with any password hidden."""
    current: str | None
    """Revision the database is at; None for an empty database."""
    head: str
    """Newest revision this version of threatwatch ships."""
    pending: tuple[str, ...]
    """Revisions still to apply, oldest first."""

    @property
    def is_current(self) -> bool:
        """Return True when no migration is pending."""
        return not self.pending


def make_config() -> Config:
    """Return an Alembic Config for the shipped migrations; no alembic.ini is needed.

    The caller puts an open connection in `config.attributes["connection"]` for env.py.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Revision files are named r<rev>_<slug>.py so that they are valid module names.
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    return config


def _as_engine(url_or_engine: str | Engine) -> tuple[Engine, bool]:
    """Return an engine and whether this module made it (and so must dispose of it)."""
    if isinstance(url_or_engine, str):
        return make_engine(url_or_engine), True
    return url_or_engine, False


def get_status(url_or_engine: str | Engine) -> MigrationStatus:
    """Return the database's current revision and the migrations still pending.

    Raises:
        StoreError: the database cannot be reached.
    """
    engine, owned = _as_engine(url_or_engine)
    url = engine.url.render_as_string(hide_password=False)
    script = ScriptDirectory.from_config(make_config())
    head = script.get_current_head()
    if head is None:
        raise StoreError(f"No migrations found in {str(MIGRATIONS_DIR)!r}; reinstall threatwatch")
    try:
        with translate_errors("read its schema revision", url), engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        if owned:
            engine.dispose()
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise StoreError(
            f"Database {hide_password(url)!r} is at revision {current!r}, which this version "
            "of threatwatch does not know; upgrade threatwatch"
        )
    pending = [
        rev.revision for rev in script.iterate_revisions(head, current or "base") if rev.revision
    ]
    return MigrationStatus(
        url=hide_password(url), current=current, head=head, pending=tuple(reversed(pending))
    )


def upgrade(url_or_engine: str | Engine) -> MigrationStatus:
    """Apply every pending migration, then return the new status.

    Raises:
        StoreError: the database cannot be reached or a migration failed.
    """
    engine, owned = _as_engine(url_or_engine)
    url = engine.url.render_as_string(hide_password=False)
    try:
        # Checked first: it refuses a database from a newer threatwatch with a clear message.
        status = get_status(engine)
        if status.is_current:
            return status
        with translate_errors("apply migrations", url), engine.begin() as conn:
            config = make_config()
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            except CommandError as exc:
                raise StoreError(
                    f"Migrating {hide_password(url)!r} failed: {exc}; see threatwatch db status"
                ) from exc
        return get_status(engine)
    finally:
        if owned:
            engine.dispose()


def ensure_current(engine: Engine) -> None:
    """Raise unless the database is at the newest revision.

    Raises:
        StoreError: migrations are pending; the message says to run `threatwatch db upgrade`.
    """
    status = get_status(engine)
    if not status.is_current:
        raise StoreError(
            f"Database {status.url!r} is at revision {status.current!r} but threatwatch needs "
            f"{status.head!r} ({len(status.pending)} migration(s) pending); "
            "run: threatwatch db upgrade"
        )


def make_revision(message: str, *, autogenerate: bool = True) -> Path:
    """Write a new migration file under `migrations/versions/` and return its path.

    With `autogenerate`, Alembic compares `schema.metadata` against a scratch SQLite database
    upgraded to the current head and writes the differences; review them before committing.
    """
    script = ScriptDirectory.from_config(make_config())
    head = script.get_current_head()
    rev_id = f"{int(head or '0') + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        try:
            upgrade(engine)
            with engine.begin() as conn:
                config = make_config()
                config.attributes["connection"] = conn
                result = command.revision(
                    config, message=message, autogenerate=autogenerate, rev_id=rev_id
                )
        finally:
            engine.dispose()
    scripts = result if isinstance(result, list) else [result]
    if not scripts or scripts[0] is None:
        raise StoreError(f"Alembic wrote no revision for {message!r}")
    return Path(scripts[0].path)
