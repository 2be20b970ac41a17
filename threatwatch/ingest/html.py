"""HTML pages: main text, title, date and site name via trafilatura, without any network access."""

from __future__ import annotations

from collections.abc import Iterator

import trafilatura

from threatwatch.ingest._failure import IngestFailure
from threatwatch.ingest.metadata import Defaults, make_document, validate_metadata
from threatwatch.model import Document, Issue

# Only dates the page states in its markup: htmldate's extensive search guesses from free text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def iter_html_documents(
    markup: str, *, source: str, defaults: Defaults
) -> Iterator[Document | Issue]:
    """Yield the `Document` of one HTML page (scripts, styles and navigation are left out)."""
    if "<" not in markup:
        raise IngestFailure(
            "bad_html", f"{source!r} holds no HTML markup; rename it to .txt if it is plain text"
        )
    # trafilatura never fetches anything when given the markup itself and no URL.
    result = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text:
        raise IngestFailure(
            "no_text",
            f"{source!r} has no main text that could be extracted from its HTML; "
            "save the article as plain text instead",
        )
    raw = {
        "title": getattr(result, "title", None),
        "publisher": getattr(result, "sitename", None),
        "published": getattr(result, "date", None),
        "url": getattr(result, "url", None),
        "language": getattr(result, "language", None),
    }
    meta, issues = validate_metadata({k: v for k, v in raw.items() if v}, source)
    yield from issues
    yield make_document(str(text), source=source, meta=meta, defaults=defaults)
