"""Plain text and Markdown inputs, with an optional front matter block of metadata on top."""

from __future__ import annotations

import re
from collections.abc import Iterator

from threatwatch.ingest._failure import IngestFailure, make_issue
from threatwatch.ingest.metadata import Defaults, make_document, validate_metadata
from threatwatch.model import Document, Issue

_FENCE = "---"
_HEADING = re.compile(r"#\s+(.+?)\s*#*\s*$")


def split_front_matter(text: str, source: str) -> tuple[dict[str, str], str, list[Issue]]:
    """Return the `key: value` pairs of a leading `---` block, the text after it, and warnings.

    Text that does not open with a `---` line has no front matter and is returned whole.

    Raises:
        IngestFailure: `bad_front_matter` when the block is opened but never closed.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return {}, text, []
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == _FENCE)
    except StopIteration:
        raise IngestFailure(
            "bad_front_matter",
            f"{source!r} opens a front matter block with '---' on line 1 but never closes it; "
            "add a '---' line after the metadata",
        ) from None
    raw: dict[str, str] = {}
    issues: list[Issue] = []
    for number, line in enumerate(lines[1:end], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            issues.append(
                make_issue(
                    f"{source}:{number}",
                    "bad_front_matter",
                    f"{source}:{number}: front matter line {line.strip()!r} is not 'key: value' "
                    "and was ignored; fix or remove it",
                )
            )
            continue
        raw[key.strip().lower()] = _unquote(value.strip())
    return raw, "\n".join(lines[end + 1 :]), issues


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def iter_text_documents(
    text: str, *, source: str, defaults: Defaults, markdown: bool = False
) -> Iterator[Document | Issue]:
    """Yield the `Document` of a `.txt` or `.md` text (and warnings about its front matter).

    In Markdown, a first-line `# Heading` is the title when the front matter gives none; the
    heading stays in the text.
    """
    raw, body, issues = split_front_matter(text, source)
    meta, meta_issues = validate_metadata(raw, source)
    yield from issues
    yield from meta_issues
    if markdown and meta.title is None:
        first = next((line for line in body.split("\n") if line.strip()), "")
        match = _HEADING.match(first.strip())
        if match:
            meta = meta.model_copy(update={"title": match.group(1)})
    yield make_document(body, source=source, meta=meta, defaults=defaults)
