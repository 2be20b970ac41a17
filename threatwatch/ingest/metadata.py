"""Document metadata: the fields an input may carry, validated strictly, and Document assembly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from threatwatch.ingest._failure import IngestFailure, make_issue
from threatwatch.ingest.clean import clean_line, clean_text, detect_language
from threatwatch.model import Document, Issue


def parse_published(value: object) -> date | None:
    """Return the date of an ISO 8601 date or date-time string, or None for anything else.

    Only ISO forms are read: `03/04/2024` could be March or April, so it is never guessed at.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _to_date(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise ValueError("not an ISO 8601 date (YYYY-MM-DD)")
    return parsed


def _to_text(value: object) -> object:
    if isinstance(value, str):
        return clean_line(value) or None
    return value


_Text = Annotated[str | None, BeforeValidator(_to_text)]


class Metadata(BaseModel):
    """The metadata fields an input may carry; any other key is reported as unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: _Text = None
    publisher: _Text = None
    published: Annotated[date | None, BeforeValidator(_to_date)] = None
    url: _Text = None
    language: _Text = None


METADATA_FIELDS: tuple[str, ...] = tuple(Metadata.model_fields)


def validate_metadata(raw: Mapping[str, object], source: str) -> tuple[Metadata, list[Issue]]:
    """Return the valid metadata in `raw`, and one warning `Issue` per unknown key or bad value.

    A bad value (a date that is not ISO, a number where text belongs) is dropped and reported;
    the rest of the metadata is kept.
    """
    try:
        return Metadata.model_validate(dict(raw)), []
    except ValidationError as exc:
        errors = exc.errors()
    unknown = sorted(str(err["loc"][0]) for err in errors if err["type"] == "extra_forbidden")
    bad = {str(err["loc"][0]): err for err in errors if err["type"] != "extra_forbidden"}
    issues: list[Issue] = []
    if unknown:
        issues.append(
            make_issue(
                source,
                "unknown_fields",
                f"{source!r} has unknown metadata fields {unknown!r}, which were ignored; "
                f"use only {list(METADATA_FIELDS)!r}",
            )
        )
    for name, err in sorted(bad.items()):
        code = "bad_date" if name == "published" else "bad_metadata"
        issues.append(
            make_issue(
                source,
                code,
                f"{source!r}: metadata {name!r} = {err['input']!r} was dropped "
                f"({err['msg'].removeprefix('Value error, ')}); "
                + ("write it as YYYY-MM-DD" if code == "bad_date" else "write it as text"),
            )
        )
    kept = {key: value for key, value in raw.items() if key not in bad and key in METADATA_FIELDS}
    return Metadata.model_validate(kept), issues


@dataclass(frozen=True, slots=True, kw_only=True)
class Defaults:
    """Metadata for inputs that carry none of their own (from the command line)."""

    publisher: str | None = None
    published: date | None = None


def make_document(text: str, *, source: str, meta: Metadata, defaults: Defaults) -> Document:
    """Return a `Document` of the cleaned `text`, filling gaps in `meta` from `defaults`.

    Raises:
        IngestFailure: `blank` when no text is left after cleaning.
    """
    cleaned = clean_text(text)
    if not cleaned:
        raise IngestFailure(
            "blank",
            f"{source!r} has no text (only whitespace or markup); add text or remove it",
        )
    return Document(
        text=cleaned,
        source=source,
        title=meta.title,
        publisher=meta.publisher or defaults.publisher,
        url=meta.url,
        published=meta.published or defaults.published,
        language=(meta.language.lower() if meta.language else None) or detect_language(cleaned),
    )
