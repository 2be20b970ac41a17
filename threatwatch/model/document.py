"""Document: one ingested text and where it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


def make_document_id(text: str) -> str:
    """Return the content-hash ID of a document text."""
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One ingested text with its metadata; `id` is the hash of `text`."""

    text: str
    source: str
    """Path, URL or `-` that the text was read from."""
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", make_document_id(self.text))
