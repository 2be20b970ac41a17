"""Text cleaning for ingest: decoding, Unicode and whitespace normalisation, language tags."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lxml import etree
from lxml import html as lxml_html

from threatwatch.ingest._failure import IngestFailure

# Characters that carry no text and would shift offsets if an extractor saw them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)
# Line and paragraph separators other than "\n".
_LINE_BREAKS = re.compile(r"\r\n?|[\u0085\u2028\u2029\x0b\x0c]")
_SPACES = re.compile(r"[^\S\n]+")
_MANY_BREAKS = re.compile(r"\n{3,}")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Share of characters that may be junk (control, private-use, replacement) in decoded text.
_MAX_JUNK_RATIO = 0.02
_SNIFF_BYTES = 8192
# Share of letters outside ASCII above which cp1252 is not trusted for a legacy-encoded text.
_MAX_NON_ASCII_LETTERS = 0.2


def clean_text(text: str) -> str:
    """Return `text` NFC-normalised, with control characters removed and whitespace tidied.

    Line endings become `\\n`, runs of spaces and tabs become one space, lines lose trailing
    spaces, more than one blank line becomes one, and the ends are stripped. The result is a
    fixed point: cleaning it again changes nothing.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = text.translate(_INVISIBLE)
    text = "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_BREAKS.sub("\n\n", text)
    return text.strip()


def clean_line(text: str) -> str:
    """Return `text` cleaned and folded onto one line (for titles and other metadata)."""
    return " ".join(clean_text(text).split())


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"}


def decode_bytes(data: bytes, source: str) -> str:
    """Return `data` as text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected charset.

    Raises:
        IngestFailure: `binary` for NUL bytes, `undecodable` when no charset gives clean text.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise IngestFailure(
            "binary",
            f"{source!r} looks binary (it holds NUL bytes); pass a text, HTML, PDF or JSON file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = _decode_detected(data)
    if text is None or _junk_ratio(text) > _MAX_JUNK_RATIO:
        raise IngestFailure(
            "undecodable",
            f"{source!r} is not UTF-8 and no other encoding gives readable text; "
            "re-save it as UTF-8",
        )
    return text


def _decode_detected(data: bytes) -> str | None:
    # Western text in cp1252 (or latin-1) is the common legacy case, and charset detection is
    # unreliable on short Western texts, so cp1252 is tried first: it is accepted when most
    # letters come out as ASCII, which Cyrillic or Greek bytes read as cp1252 never do.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _is_mostly_ascii(text):
        return text
    # Imported here: charset detection is only needed for the rare non-Western legacy file.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _is_mostly_ascii(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    return sum(not ch.isascii() for ch in letters) / len(letters) < _MAX_NON_ASCII_LETTERS


def _junk_ratio(text: str) -> float:
    if not text:
        return 0.0
    junk = sum(1 for ch in text if ch == "\ufffd" or (ch not in "\n\r\t" and _is_control(ch)))
    return junk / len(text)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Elements whose content is never text a reader sees.
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")
_BLOCK_TAGS = _word_set(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote pre section article "
    "header footer aside figure figcaption dd dt dl hr"
)


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML fragment, one line per block; scripts never appear."""
    if not markup.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(markup)
    etree.strip_elements(root, *_HIDDEN_TAGS, etree.Comment, with_tail=False)
    return clean_text("".join(_iter_text(root)))


def _iter_text(element: lxml_html.HtmlElement) -> Iterable[str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCK_TAGS:
        yield "\n"
    if element.text:
        yield element.text
    for child in element:
        yield from _iter_text(child)
        if child.tail:
            yield child.tail
    if tag in _BLOCK_TAGS:
        yield "\n"


# Short, frequent function words; a text in a language uses many of its own.
_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _word_set(
        "the of and to in a is that for on was with as by at from it he said were are "
        "has have had an be this which or its their they been but not who after"
    ),
    "fr": _word_set(
        "le la les de des du et un une est que en dans pour qui sur au aux par pas avec "
        "il elle a été sont ce cette ont"
    ),
    "de": _word_set(
        "der die das und ist nicht zu den von mit sich des auf für im dem ein eine "
        "auch es an als wurde sind bei"
    ),
    "es": _word_set(
        "el la los las de del y en un una que por con para se su al es fue lo como más sus han"
    ),
}
_WORD = re.compile(r"[^\W\d_]+")
_MIN_WORDS = 8
_MIN_SHARE = 0.15
# The winning language must beat the runner-up by this factor (fr and es share many words).
_MIN_LEAD = 1.3


def detect_language(text: str) -> str | None:
    """Return an ISO 639-1 code (`en`, `fr`, `de`, `es`) by stop-word share, or None when unsure.

    None is the answer for short texts, other languages and close calls: a wrong tag is worse
    than none.
    """
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(words) < _MIN_WORDS:
        return None
    shares = sorted(
        (
            (sum(w in stops for w in words) / len(words), code)
            for code, stops in _STOP_WORDS.items()
        ),
        reverse=True,
    )
    (best, code), (second, _) = shares[0], shares[1]
    if best < _MIN_SHARE or best < _MIN_LEAD * second:
        return None
    return code
