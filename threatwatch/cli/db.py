"""`threatwatch db`: create, upgrade and inspect the database schema."""

from __future__ import annotations

import click

from threatwatch.cli import main
from threatwatch.settings import get_settings
from threatwatch.store import MigrationStatus, Store, get_status, make_revision, upgrade

_URL_HELP = "Database URL (default: THREATWATCH_DATABASE_URL, else sqlite:///threatwatch.db)."


def _echo_status(status: MigrationStatus) -> None:
    """Print a migration status as `key: value` lines."""
    click.echo(f"database: {status.url}")
    click.echo(f"current:  {status.current or '(empty database)'}")
    click.echo(f"head:     {status.head}")
    if status.is_current:
        click.echo("status:   up to date")
    else:
        pending = ", ".join(status.pending)
        click.echo(
            f"status:   {len(status.pending)} pending ({pending}); run: threatwatch db upgrade"
        )


@main.group("db")
def db_group() -> None:
    """Create, upgrade and inspect the threatwatch database."""


@db_group.command("upgrade")
@click.option("--database-url", default=None, help=_URL_HELP)
def upgrade_cli(database_url: str | None) -> None:
    """Apply every pending schema migration (creates the tables in a new database)."""
    status = upgrade(database_url or get_settings().database_url)
    click.echo(f"{status.url} is at revision {status.head}")


@db_group.command("status")
@click.option("--database-url", default=None, help=_URL_HELP)
def status_cli(database_url: str | None) -> None:
    """Show the schema revision, pending migrations and what is stored."""
    url = database_url or get_settings().database_url
    status = get_status(url)
    _echo_status(status)
    if status.is_current:
        with Store(url, migrate=False) as store:
            for name, count in store.view().counts().items():
                label = f"{name}:"
                click.echo(f"{label:<12}{count}")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@click.option(
    "--empty", is_flag=True, help="Write an empty migration instead of comparing the schema."
)
def revision_cli(message: str, empty: bool) -> None:
    """For developers: write a new migration from changes to threatwatch/store/schema.py."""
    path = make_revision(message, autogenerate=not empty)
    click.echo(f"Wrote {path}; review it, then run: threatwatch db upgrade")
