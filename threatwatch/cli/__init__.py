"""The `threatwatch` command: a click group; each noun's commands live in their own module."""

from __future__ import annotations

import sys
from typing import Any

import click

from threatwatch import __version__
from threatwatch.errors import ThreatwatchError
from threatwatch.logs import configure_logging, get_logger
from threatwatch.settings import get_settings

log = get_logger(__name__)


class ThreatwatchGroup(click.Group):
    """Maps our errors to one-line messages (exit 1) and a broken pipe to a quiet exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ThreatwatchError as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)


@click.group(cls=ThreatwatchGroup)
@click.version_option(__version__, prog_name="threatwatch")
@click.option(
    "--log-level", default=None, help="Log level on stderr (default: THREATWATCH_LOG_LEVEL)."
)
def main(log_level: str | None) -> None:
    """threatwatch: turn terrorism reporting into sourced incidents, actors and threat briefs."""
    configure_logging(log_level or get_settings().log_level)


def _register() -> None:
    """Attach every command module's commands to `main`."""
    # Each command module adds its commands to `main` when imported.
    import threatwatch.cli.commands  # noqa: F401


_register()
