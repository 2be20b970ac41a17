"""PDF files: the text layer of every page, read with pypdf."""

from __future__ import annotations

import io
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from threatwatch.ingest._failure import IngestFailure
from threatwatch.ingest.clean import clean_text
from threatwatch.ingest.metadata import Defaults, make_document, validate_metadata
from threatwatch.model import Document, Issue

# pypdf raises its own errors for most broken files, but a damaged object table can surface
# as one of these plain exceptions from deep inside its parser.
_BROKEN_PDF = (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError)


def iter_pdf_documents(
    data: bytes, *, source: str, defaults: Defaults
) -> Iterator[Document | Issue]:
    """Yield the `Document` of one PDF; pages are joined by blank lines."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestFailure(
                "encrypted_pdf", f"{source!r} is an encrypted PDF; save a decrypted copy first"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = info.title if info is not None else None
    except _BROKEN_PDF as exc:
        raise IngestFailure(
            "bad_pdf",
            f"{source!r} is not a readable PDF ({type(exc).__name__}: {exc}); "
            "check the file or export it again",
        ) from exc
    text = "\n\n".join(clean_text(page) for page in pages if page.strip())
    if not text:
        raise IngestFailure(
            "no_text",
            f"{source!r} has no text layer (a scanned PDF?); run OCR on it first",
        )
    # The creation date is when the file was made, not when the report was published, so
    # only the title is taken from the document information.
    raw: dict[str, object] = {"title": str(title)} if title else {}
    meta, issues = validate_metadata(raw, source)
    yield from issues
    yield make_document(text, source=source, meta=meta, defaults=defaults)
