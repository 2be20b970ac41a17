"""Alembic environment: runs migrations on the connection that `threatwatch.store.migrate` hands in.

There is no alembic.ini: `migrate.make_config()` builds the Config in code and puts an open
connection in `config.attributes["connection"]`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from threatwatch.store.schema import metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on `connection` in one transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Entry point that Alembic calls when it loads this file."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "threatwatch migrations run through threatwatch.store.migrate "
            "(threatwatch db upgrade), not the alembic command"
        )
    if context.is_offline_mode():
        raise RuntimeError("offline (--sql) migrations are not supported")
    run_migrations(connection)


run()
