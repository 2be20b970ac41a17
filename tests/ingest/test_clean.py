"""clean_text, html_to_text, detect_language, parse_published and the public API list."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import threatwatch.ingest
from threatwatch.ingest import clean_text, detect_language, html_to_text, parse_published


def test_ingest_exported_members() -> None:
    assert sorted(threatwatch.ingest.__all__) == [
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
    for name in threatwatch.ingest.__all__:
        member = getattr(threatwatch.ingest, name)
        if callable(member):
            assert member.__doc__, name


def test_clean_text_nfc_and_whitespace() -> None:
    raw = "  Cafe\u0301\u00a0opens\r\n\r\n\r\n\tat\u200b noon.\x07 \rDone.  "
    assert clean_text(raw) == "Café opens\n\nat noon.\nDone."


def test_clean_text_keeps_paragraph_breaks_and_text() -> None:
    assert clean_text("One.\n\nTwo.\nThree.") == "One.\n\nTwo.\nThree."


@given(st.text())
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text())
def test_clean_text_leaves_no_control_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert all(ch == "\n" or ch.isprintable() or ch == " " for ch in cleaned if ord(ch) < 0x20)
    assert "\r" not in cleaned and "\t" not in cleaned


def test_html_to_text_drops_scripts_styles_and_comments() -> None:
    markup = (
        "<p>First <b>bold</b> line.</p><script>SECRET()</script><style>.s{}</style>"
        "<!-- COMMENT --><ul><li>Item one</li><li>Item two</li></ul>"
    )
    assert html_to_text(markup) == "First bold line.\n\nItem one\n\nItem two"


def test_html_to_text_plain_text_passes_through() -> None:
    assert html_to_text("Just words &amp; more") == "Just words & more"
    assert html_to_text("   ") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The police said that the attack on the market was carried out by two men.", "en"),
        ("La police a déclaré que les deux hommes ont été arrêtés dans la ville.", "fr"),
        ("Die Polizei sagte, dass die beiden Männer in der Stadt festgenommen wurden.", "de"),
        ("La policía dijo que los dos hombres fueron detenidos en la ciudad por la noche.", "es"),
        ("Too short to say.", None),
        ("Полиция сообщила, что двое мужчин были задержаны в городе вечером.", None),
        ("1234 5678 ++ -- ## 9999 0000 1111 2222 3333", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-22", date(2024, 3, 22)),
        ("2024-03-22T18:00:00Z", date(2024, 3, 22)),
        ("2024-03-22T23:30:00+03:00", date(2024, 3, 22)),
        ("22/03/2024", None),
        ("March 22, 2024", None),
        ("yesterday", None),
        (20240322, None),
        (None, None),
    ],
)
def test_parse_published_reads_only_iso(value: object, expected: date | None) -> None:
    assert parse_published(value) == expected
