"""Local inputs: files, folders and stdin, read by extension into Documents or Issues."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from threatwatch.ingest._failure import IngestFailure, make_issue, to_issue
from threatwatch.ingest.clean import decode_bytes
from threatwatch.ingest.feeds import iter_feed_documents
from threatwatch.ingest.html import iter_html_documents
from threatwatch.ingest.metadata import Defaults
from threatwatch.ingest.pdf import iter_pdf_documents
from threatwatch.ingest.records import iter_json_documents, iter_jsonl_documents
from threatwatch.ingest.text import iter_text_documents
from threatwatch.model import Document, Issue

STDIN = "-"
"""The path that stands for standard input (read as plain text with optional front matter)."""

DEFAULT_MAX_BYTES = 20_000_000

_Reader = Callable[[bytes, str, Defaults], Iterator[Document | Issue]]


def _read_txt(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    return iter_text_documents(_decode(data, source), source=source, defaults=defaults)


def _read_md(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    text = _decode(data, source)
    return iter_text_documents(text, source=source, defaults=defaults, markdown=True)


def _read_html(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    return iter_html_documents(_decode(data, source), source=source, defaults=defaults)


def _read_pdf(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    if b"%PDF-" not in data[:1024]:
        raise IngestFailure(
            "bad_pdf", f"{source!r} has a .pdf name but is not a PDF; check the file"
        )
    return iter_pdf_documents(data, source=source, defaults=defaults)


def _read_json(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    return iter_json_documents(_decode(data, source), source=source, defaults=defaults)


def _read_jsonl(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    return iter_jsonl_documents(_decode(data, source), source=source, defaults=defaults)


def _read_feed(data: bytes, source: str, defaults: Defaults) -> Iterator[Document | Issue]:
    if b"\x00" in data[:8192]:
        decode_bytes(data, source)  # raises the `binary` failure
    return iter_feed_documents(data, source=source, defaults=defaults)


_READERS: dict[str, _Reader] = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".xml": _read_feed,
    ".rss": _read_feed,
    ".atom": _read_feed,
}

SUFFIXES: tuple[str, ...] = tuple(_READERS)
"""File name extensions that `iter_documents` reads (compared in lower case)."""


def _decode(data: bytes, source: str) -> str:
    text = decode_bytes(data, source)
    if not text.strip():
        raise IngestFailure(
            "blank", f"{source!r} holds only whitespace; add text or remove the file"
        )
    return text


def _is_skipped(name: str) -> bool:
    # Hidden files (.git, .DS_Store) and a folder's README are not documents.
    return name.startswith(".") or name.split(".")[0].upper() == "README"


def iter_input_paths(paths: Sequence[str]) -> Iterator[str]:
    """Yield every input `paths` stands for: `-`, files, and the files of folders, in order.

    Folders are walked recursively in sorted order; hidden files and folders and files named
    `README.*` inside them are skipped. Paths that do not exist are yielded as given.
    """
    if isinstance(paths, str):
        raise TypeError(f"paths must be a sequence of paths, not the string {paths!r}")
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            yield from _walk(Path(path))
        else:
            yield path


def _walk(folder: Path) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not _is_skipped(name):
                yield str(Path(root) / name)


def count_inputs(paths: Sequence[str]) -> int:
    """Return how many inputs `iter_documents(paths)` reads; each gives at least one result."""
    return sum(1 for _ in iter_input_paths(paths))


def iter_documents(
    paths: Sequence[str],
    *,
    publisher: str | None = None,
    published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | None = None,
) -> Iterator[Document | Issue]:
    """Yield a `Document` per document in `paths`, and an `Issue` per thing that cannot be read.

    Args:
        paths: files, folders (read recursively) and `-` for standard input.
        publisher: publisher of documents whose input names none.
        published: publication date of documents whose input gives none.
        max_bytes: inputs larger than this are skipped (with an Issue) without being read.
        stdin: the stream `-` reads (default `sys.stdin`).

    Returns:
        An iterator that goes on past every bad input; each input yields at least one item.
    """
    defaults = Defaults(publisher=publisher, published=published)
    for path in iter_input_paths(paths):
        if path == STDIN:
            yield from _iter_stdin(stdin or sys.stdin, defaults, max_bytes)
        else:
            yield from _iter_file(path, defaults, max_bytes)


def _iter_stdin(stream: TextIO, defaults: Defaults, max_bytes: int) -> Iterator[Document | Issue]:
    text = stream.read(max_bytes + 1)
    if len(text) > max_bytes:
        yield make_issue(
            STDIN,
            "too_large",
            f"standard input is larger than {max_bytes} characters; split it or raise max_bytes",
        )
        return
    if not text.strip():
        code = "empty" if not text else "blank"
        yield make_issue(STDIN, code, "standard input has no text; pipe a document into it")
        return
    yield from _iter_guarded(STDIN, iter_text_documents(text, source=STDIN, defaults=defaults))


def _iter_file(path: str, defaults: Defaults, max_bytes: int) -> Iterator[Document | Issue]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        yield make_issue(path, "not_found", f"{path!r} does not exist; check the path")
        return
    except OSError as exc:
        yield make_issue(path, "unreadable", f"{path!r} cannot be read ({exc.strerror}); check it")
        return
    if not stat.S_ISREG(info.st_mode):
        # A pipe or device would block or never end; only regular files are read.
        yield make_issue(
            path, "unreadable", f"{path!r} is not a regular file; pass a file, a folder or '-'"
        )
        return
    size = info.st_size
    reader = _READERS.get(Path(path).suffix.lower())
    if reader is None:
        yield make_issue(
            path,
            "unknown_format",
            f"{path!r} has an extension ingest does not read; use one of {', '.join(SUFFIXES)}",
        )
        return
    if size > max_bytes:
        yield make_issue(
            path,
            "too_large",
            f"{path!r} is {size} bytes, over the limit of {max_bytes}; split it or raise max_bytes",
        )
        return
    if size == 0:
        yield make_issue(path, "empty", f"{path!r} is empty; add text or remove the file")
        return
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        yield make_issue(path, "unreadable", f"{path!r} cannot be read ({exc.strerror}); check it")
        return
    if len(data) > max_bytes:  # the file grew after stat()
        yield make_issue(path, "too_large", f"{path!r} is over {max_bytes} bytes; split it")
        return
    try:
        items = reader(data, path, defaults)
    except IngestFailure as failure:
        yield to_issue(path, failure)
        return
    yield from _iter_guarded(path, items)


def _iter_guarded(source: str, items: Iterator[Document | Issue]) -> Iterator[Document | Issue]:
    # Readers are generators, so their failures surface while iterating, not when called.
    try:
        yield from items
    except IngestFailure as failure:
        yield to_issue(source, failure)
