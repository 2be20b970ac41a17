"""Logging set-up: one stderr handler, key=value context on each line."""

from __future__ import annotations

import logging
from typing import Any

_FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "WARNING") -> None:
    """Send log lines at `level` and above to stderr."""
    logging.basicConfig(level=level.upper(), format=_FORMAT, force=True)


def get_logger(name: str) -> logging.Logger:
    """Return the logger for a module (pass `__name__`)."""
    return logging.getLogger(name)


def kv(**context: Any) -> str:
    """Format context as `key=value` pairs for a log line."""
    return " ".join(f"{key}={value!r}" for key, value in context.items())
