"""JSON and JSON Lines inputs: one object, a list of objects, or one object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from threatwatch.ingest._failure import IngestFailure, make_issue, to_issue
from threatwatch.ingest.metadata import Defaults, make_document, validate_metadata
from threatwatch.model import Document, Issue

TEXT_FIELD = "text"
"""The one required field of a record."""
DATE_ALIAS = "date"
"""Accepted in place of `published`."""


def iter_json_documents(
    text: str, *, source: str, defaults: Defaults
) -> Iterator[Document | Issue]:
    """Yield a `Document` per object of a `.json` file holding one object or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestFailure(
            "bad_json",
            f"{source}:{exc.lineno}: not valid JSON ({exc.msg}); fix the file or validate it "
            "with `python -m json.tool`",
        ) from exc
    if isinstance(data, list):
        if not data:
            raise IngestFailure("empty", f"{source!r} holds an empty JSON list; add records")
        for index, item in enumerate(data):
            yield from _iter_record(
                item, source=source, where=f"{source}[{index}]", defaults=defaults
            )
    else:
        yield from _iter_record(data, source=source, where=source, defaults=defaults)


def iter_jsonl_documents(
    text: str, *, source: str, defaults: Defaults
) -> Iterator[Document | Issue]:
    """Yield a `Document` per line of a `.jsonl` file; a bad line is an `Issue`, the rest go on."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield make_issue(
                where,
                "bad_json",
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line",
            )
            continue
        yield from _iter_record(data, source=source, where=where, defaults=defaults)


def _iter_record(
    data: object, *, source: str, where: str, defaults: Defaults
) -> Iterator[Document | Issue]:
    if not isinstance(data, dict):
        yield make_issue(
            where,
            "bad_record",
            f"{where}: expected a JSON object with a 'text' field, got {type(data).__name__}; "
            "wrap the record in {...}",
        )
        return
    text = data.get(TEXT_FIELD)
    if not isinstance(text, str) or not text.strip():
        yield make_issue(
            where,
            "missing_text",
            f"{where}: field 'text' is missing, empty or not a string (got {text!r:.60}); "
            "add the document text",
        )
        return
    raw = {key: value for key, value in data.items() if key != TEXT_FIELD}
    if DATE_ALIAS in raw:
        date_value = raw.pop(DATE_ALIAS)
        if raw.get("published") is None:
            raw["published"] = date_value
    meta, issues = validate_metadata(raw, where)
    yield from issues
    try:
        yield make_document(text, source=source, meta=meta, defaults=defaults)
    except IngestFailure as failure:
        yield to_issue(where, failure)
