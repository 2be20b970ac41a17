"""Every error threatwatch raises on purpose, grouped by what a caller does about it.

ThreatwatchError
+-- ConfigError     bad settings, a missing model or list: fix the configuration, then rerun
+-- InputError      a document, list file or query that cannot be read: skip or fix the input
+-- NotFoundError   an actor, incident or document the user asked for does not exist
+-- SourceError     a remote source (feed, list URL) failed or returned something invalid
+-- StoreError      the database cannot be reached, is not migrated, or refused a write
"""

from __future__ import annotations


class ThreatwatchError(Exception):
    """Base class of every error threatwatch raises on purpose."""


class ConfigError(ThreatwatchError):
    """The configuration is wrong or something it names is missing."""


class InputError(ThreatwatchError):
    """An input cannot be used; `errors` maps a field or path to what is wrong with it."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors: dict[str, str] = dict(errors or {})


class NotFoundError(ThreatwatchError):
    """The thing asked for does not exist."""


class SourceError(ThreatwatchError):
    """A remote source failed or sent something invalid."""


class StoreError(ThreatwatchError):
    """The store cannot be reached or refused an operation."""
