"""Evidence: the span of a document that supports a fact."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """A character span `[start, end)` of a document and the sentence holding it."""

    document_id: str
    start: int
    end: int
    sentence: str
    extractor: str
    """Versioned name of the component that produced the fact, e.g. `threatwatch.events.v1`."""

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form used by the extract contract."""
        return {
            "document_id": self.document_id,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "extractor": self.extractor,
        }
