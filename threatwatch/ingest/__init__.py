"""Ingest: raw input (files, folders, stdin, feeds) -> `Document`; no NLP and no database.

`iter_documents` reads `.txt`, `.md`, `.html`/`.htm`, `.pdf`, `.json`, `.jsonl` and RSS/Atom
(`.xml`, `.rss`, `.atom`) and yields an `Issue` instead of raising for each bad input.
`Document.text` is the cleaned text, so extractor offsets point into it. See docs/ingest.md.
"""

from threatwatch.ingest.clean import clean_text, detect_language, html_to_text
from threatwatch.ingest.feeds import fetch_feed
from threatwatch.ingest.files import STDIN, SUFFIXES, count_inputs, iter_documents
from threatwatch.ingest.metadata import METADATA_FIELDS, parse_published

__all__ = [
    "METADATA_FIELDS",
    "STDIN",
    "SUFFIXES",
    "clean_text",
    "count_inputs",
    "detect_language",
    "fetch_feed",
    "html_to_text",
    "iter_documents",
    "parse_published",
]
