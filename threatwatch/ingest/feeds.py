"""RSS and Atom feeds: each entry becomes a Document; remote feeds via an injected httpx.Client."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import feedparser
import httpx
from feedparser.exceptions import ThingsNobodyCaresAboutButMe

from threatwatch.errors import SourceError
from threatwatch.ingest._failure import IngestFailure, make_issue, to_issue
from threatwatch.ingest.clean import html_to_text
from threatwatch.ingest.metadata import Defaults, make_document, validate_metadata
from threatwatch.logs import get_logger, kv
from threatwatch.model import Document, Issue

log = get_logger(__name__)

MAX_FEED_BYTES = 20_000_000
"""Remote feeds larger than this are refused."""


def iter_feed_documents(
    data: bytes, *, source: str, defaults: Defaults
) -> Iterator[Document | Issue]:
    """Yield a `Document` per entry of an RSS or Atom feed, and an `Issue` per unusable entry."""
    # feedparser only parses the bytes it is given; it fetches nothing for non-URL input.
    parsed = feedparser.parse(data)
    entries: list[Any] = list(parsed.get("entries", []))
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise IngestFailure(
                "bad_feed",
                f"{source!r} is not a well-formed RSS or Atom feed ({problem}); "
                "check that it is a feed and complete",
            )
        if not parsed.get("version"):
            raise IngestFailure(
                "bad_feed",
                f"{source!r} is XML but not an RSS or Atom feed; convert it to text or JSON",
            )
        raise IngestFailure("empty", f"{source!r} is a feed with no entries; nothing to ingest")
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, ThingsNobodyCaresAboutButMe):
        # feedparser's lenient parser recovered entries from broken XML: keep them, but say so.
        yield make_issue(
            source,
            "bad_feed",
            f"{source!r} is not well-formed XML ({problem}); {len(entries)} entries were "
            "recovered, but some may be missing or cut short; check the feed",
        )
    feed_title = parsed.get("feed", {}).get("title")
    for index, entry in enumerate(entries):
        where = f"{source}#{index + 1}"
        text = _entry_text(entry)
        if not text:
            yield make_issue(
                where,
                "blank",
                f"{where}: feed entry {entry.get('title', '')!r} has no text; it was skipped",
            )
            continue
        raw = {
            "title": entry.get("title"),
            "publisher": feed_title,
            "url": entry.get("link"),
            "published": _entry_date(entry),
        }
        meta, issues = validate_metadata({k: v for k, v in raw.items() if v}, where)
        yield from issues
        try:
            yield make_document(text, source=source, meta=meta, defaults=defaults)
        except IngestFailure as failure:
            yield to_issue(where, failure)


def _entry_text(entry: Any) -> str:
    # Full content when the feed has it, else the summary; both may be HTML.
    for content in entry.get("content", []):
        value = content.get("value", "")
        if value.strip():
            return html_to_text(value)
    return html_to_text(entry.get("summary", "") or "")


def _entry_date(entry: Any) -> date | None:
    # feedparser normalises RFC 822 and ISO dates to UTC struct_time; it does not guess.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()


def fetch_feed(url: str, client: httpx.Client) -> list[Document]:
    """Fetch the feed at `url` with `client` and return a `Document` per usable entry.

    Entries that cannot be used are logged and left out.

    Raises:
        SourceError: the request failed, the server answered with an error, or the body is not
            a feed.
    """
    try:
        response = client.get(url, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        raise SourceError(
            f"Feed {url!r} answered HTTP {exc.response.status_code}; check the URL"
        ) from exc
    except httpx.HTTPError as exc:
        raise SourceError(
            f"Could not fetch feed {url!r} ({type(exc).__name__}: {exc}); "
            "check the URL and the network"
        ) from exc
    if len(response.content) > MAX_FEED_BYTES:
        raise SourceError(f"Feed {url!r} is larger than {MAX_FEED_BYTES} bytes; refusing it")
    documents: list[Document] = []
    try:
        for item in iter_feed_documents(response.content, source=url, defaults=Defaults()):
            if isinstance(item, Document):
                documents.append(item)
            else:
                log.warning("%s %s", item.message, kv(source=item.source, error=item.error))
    except IngestFailure as exc:
        raise SourceError(str(exc)) from exc
    return documents
