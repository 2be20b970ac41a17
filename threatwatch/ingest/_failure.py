"""IngestFailure: why one input could not be read, carried up to become an `Issue`."""

from __future__ import annotations

from threatwatch.errors import InputError
from threatwatch.model import Issue


class IngestFailure(InputError):
    """An input that cannot be read; `code` becomes `Issue.error` (`empty`, `binary`, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def make_issue(source: str, code: str, message: str) -> Issue:
    """Return an ingest-stage `Issue` about `source`."""
    return Issue(stage="ingest", source=source, error=code, message=message)


def to_issue(source: str, failure: IngestFailure) -> Issue:
    """Return the `Issue` that reports `failure` for `source`."""
    return make_issue(source, failure.code, str(failure))
