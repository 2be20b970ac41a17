"""iter_documents and count_inputs over the hand-written fixtures and generated bad inputs."""

from __future__ import annotations

import io
import json
import os
import time
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfWriter

from threatwatch.ingest import count_inputs, iter_documents
from threatwatch.model import Document, Issue

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
RUSSIAN = "Война и мир, роман о войне."  # noqa: RUF001 (Cyrillic on purpose: a cp1251 test)


def read_all(*paths: object, **kwargs: object) -> tuple[list[Document], list[Issue]]:
    """Return the documents and issues of one iter_documents call."""
    items = list(iter_documents([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]
    docs = [item for item in items if isinstance(item, Document)]
    issues = [item for item in items if isinstance(item, Issue)]
    assert len(docs) + len(issues) == len(items)
    return docs, issues


def only_issue(path: Path, **kwargs: object) -> Issue:
    """Return the single issue that reading `path` gives, checking no document came out."""
    docs, issues = read_all(path, **kwargs)
    assert docs == []
    assert len(issues) == 1, issues
    issue = issues[0]
    assert issue.stage == "ingest"
    assert str(path) in issue.message
    assert "\n" not in issue.message
    return issue


def test_iter_documents_markdown_front_matter() -> None:
    docs, issues = read_all(FIXTURES / "article.md")
    assert issues == []
    [doc] = docs
    assert doc.title == "Blast at Exampleville market"
    assert doc.publisher == "The Example Gazette"
    assert doc.published == date(2023, 5, 14)
    assert doc.url == "https://news.example.org/exampleville-blast"
    assert doc.language == "en"
    assert doc.text.startswith("# Blast at Exampleville market\n\nA bomb exploded")
    assert "---" not in doc.text
    assert "suspects. No group" in doc.text  # runs of spaces collapsed
    assert doc.source == str(FIXTURES / "article.md")


def test_iter_documents_plain_text_normalises_line_endings() -> None:
    [doc], issues = read_all(FIXTURES / "plain.txt")
    assert issues == []
    assert "\r" not in doc.text
    assert doc.text.count("\n") == 1
    assert doc.title is None and doc.publisher is None and doc.published is None


def test_iter_documents_defaults_fill_only_missing_metadata() -> None:
    docs, _ = read_all(
        FIXTURES / "article.md",
        FIXTURES / "plain.txt",
        publisher="Fallback Press",
        published=date(2020, 1, 1),
    )
    by_name = {Path(doc.source).name: doc for doc in docs}
    assert by_name["article.md"].publisher == "The Example Gazette"
    assert by_name["article.md"].published == date(2023, 5, 14)
    assert by_name["plain.txt"].publisher == "Fallback Press"
    assert by_name["plain.txt"].published == date(2020, 1, 1)


def test_iter_documents_html_main_text_without_scripts() -> None:
    [doc], issues = read_all(FIXTURES / "page.html")
    assert issues == []
    assert "Greyford bridge" in doc.text
    assert "reopened to traffic" in doc.text
    assert "MARKER" not in doc.text
    assert "Home" not in doc.text  # navigation is boilerplate
    assert doc.title == "Bridge closed after threat"
    assert doc.publisher == "Example Herald"
    assert doc.published == date(2023, 6, 2)


def test_iter_documents_hostile_html_scripts_never_reach_text(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        "<html><body><script>var STOLEN = 'SCRIPT-MARKER';</script>"
        "<style>p{} /* STYLE-MARKER */</style><noscript>NOSCRIPT-MARKER</noscript>"
        "<p>A fictional bomb threat closed the Littleton library on Monday morning.</p>"
        "<p onclick=\"alert('HANDLER-MARKER')\">Police searched the building and found nothing.</p>"
        "<script>document.write('<p>INJECTED-MARKER</p>')</script></body></html>",
        encoding="utf-8",
    )
    [doc], _ = read_all(page)
    assert "Littleton library" in doc.text
    assert "MARKER" not in doc.text


def test_iter_documents_pdf_text_layer_and_title() -> None:
    [doc], issues = read_all(FIXTURES / "report.pdf")
    assert issues == []
    assert doc.text.startswith("Fictional report: a bomb exploded in Exampleville")
    assert "two people were hurt" in doc.text
    assert doc.title == "Exampleville blast report"
    assert doc.published is None  # the file's creation date is not a publication date


def test_iter_documents_json_list_reports_unknown_fields() -> None:
    docs, issues = read_all(FIXTURES / "records.json")
    assert [doc.published for doc in docs] == [date(2023, 9, 6), date(2023, 9, 7)]
    assert docs[0].publisher == "Millbrook Post"
    assert docs[0].title == "Warehouse fire"
    [issue] = issues
    assert issue.error == "unknown_fields"
    assert issue.source.endswith("records.json[1]")
    assert "'author'" in issue.message


def test_iter_documents_jsonl_bad_lines_do_not_stop_the_rest() -> None:
    docs, issues = read_all(FIXTURES / "records.jsonl")
    assert [doc.text.split()[0] for doc in docs] == ["Fictional", "Eastvale"]
    assert docs[0].url == "https://example.net/eastvale"
    found = {(Path(issue.source).name, issue.error) for issue in issues}
    assert found == {
        ("records.jsonl:2", "bad_json"),
        ("records.jsonl:3", "bad_date"),
        ("records.jsonl:4", "bad_record"),
        ("records.jsonl:5", "missing_text"),
    }
    assert docs[1].published is None  # "last Friday" is dropped, never guessed


def test_iter_documents_rss_entries_become_documents() -> None:
    docs, issues = read_all(FIXTURES / "feed.rss")
    assert [doc.title for doc in docs] == ["Convoy ambushed near Stonebridge", "Checkpoint reopens"]
    assert {doc.publisher for doc in docs} == {"Example Wire"}
    assert [doc.published for doc in docs] == [date(2023, 7, 10), date(2023, 7, 11)]
    assert docs[0].url == "https://wire.example.org/1"
    assert "Two drivers were wounded." in docs[0].text
    assert "<p>" not in docs[0].text
    assert "MARKER" not in docs[0].text
    [issue] = issues
    assert issue.error == "blank"
    assert "Entry with no text" in issue.message


def test_iter_documents_atom_entry() -> None:
    [doc], issues = read_all(FIXTURES / "feed.atom")
    assert issues == []
    assert doc.publisher == "Example Atom Desk"
    assert doc.published == date(2023, 8, 1)
    assert doc.text.startswith("The port authority of the fictional city of Saltmouth")


def test_iter_documents_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second fictional note about a quiet week.")
    (tmp_path / "a.txt").write_text("First fictional note about a quiet week.")
    (tmp_path / ".hidden.txt").write_text("Hidden note.")
    (tmp_path / ".git" / "config.txt").write_text("Not a document.")
    (tmp_path / "README.md").write_text("# About this folder")
    docs, issues = read_all(tmp_path)
    assert issues == []
    assert [Path(doc.source).relative_to(tmp_path).as_posix() for doc in docs] == [
        "a.txt",
        "b/two.txt",
    ]
    assert count_inputs([str(tmp_path)]) == 2


def test_count_inputs_matches_inputs_read(tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_text("x")
    paths = [str(FIXTURES), str(tmp_path), str(tmp_path / "missing.txt")]
    items = list(iter_documents(paths))
    sources = {item.source.split(":")[0].split("[")[0].split("#")[0] for item in items}
    assert count_inputs(paths) == len(sources) == len(list(FIXTURES.iterdir())) + 2


def test_iter_documents_stdin_with_front_matter() -> None:
    stream = io.StringIO("---\npublisher: Pipe News\n---\nA fictional text read from a pipe.\n")
    [doc] = list(iter_documents(["-"], stdin=stream, published=date(2022, 2, 2)))
    assert isinstance(doc, Document)
    assert doc.source == "-"
    assert doc.publisher == "Pipe News"
    assert doc.published == date(2022, 2, 2)
    assert doc.text == "A fictional text read from a pipe."


def test_iter_documents_rejects_a_bare_string() -> None:
    with pytest.raises(TypeError):
        list(iter_documents("article.md"))


def test_iter_documents_document_text_is_clean() -> None:
    docs, _ = read_all(FIXTURES)
    assert len(docs) >= 8
    for doc in docs:
        assert doc.text == doc.text.strip()
        assert "\r" not in doc.text and "\x00" not in doc.text
        assert doc.id.startswith("doc-")


# Bad input: each gives one clear, one-line Issue and the run goes on.


def test_iter_documents_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert only_issue(path).error == "empty"


def test_iter_documents_whitespace_only(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(" \n\t\r\n  \n")
    assert only_issue(path).error == "blank"


def test_iter_documents_front_matter_without_body(tmp_path: Path) -> None:
    path = tmp_path / "meta-only.md"
    path.write_text("---\ntitle: Nothing else\n---\n\n")
    assert only_issue(path).error == "blank"


def test_iter_documents_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert only_issue(path).error == "binary"


def test_iter_documents_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(128, 256)) * 16)
    assert only_issue(path).error == "undecodable"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Le café était fermé.".encode("cp1252"), "Le café était fermé."),
        ("\ufeffBOM-prefixed fictional text.".encode(), "BOM-prefixed fictional text."),
        ("UTF-16 fictional note.".encode("utf-16"), "UTF-16 fictional note."),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
    ],
)
def test_iter_documents_decodes_other_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(data)
    [doc], issues = read_all(path)
    assert issues == []
    assert doc.text == expected


def test_iter_documents_too_large_is_skipped_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50_000_000)
    small = tmp_path / "small.txt"
    small.write_text("A small fictional note.")
    started = time.perf_counter()
    docs, issues = read_all(big, small)
    assert time.perf_counter() - started < 2.0
    assert [doc.text for doc in docs] == ["A small fictional note."]
    [issue] = issues
    assert issue.error == "too_large"
    assert "50000000" in issue.message and "20000000" in issue.message


def test_iter_documents_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("x" * 200)
    assert only_issue(path, max_bytes=100).error == "too_large"


def test_iter_documents_stdin_too_large() -> None:
    items = list(iter_documents(["-"], stdin=io.StringIO("y" * 50), max_bytes=10))
    assert [(item.source, item.error) for item in items if isinstance(item, Issue)] == [
        ("-", "too_large")
    ]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("broken.json", '{"text": "unterminated', "bad_json"),
        ("scalar.json", "42", "bad_record"),
        ("empty-list.json", "[]", "empty"),
        ("truncated.pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "bad_pdf"),
        ("fake.pdf", "just words, no PDF here", "bad_pdf"),
        ("broken.xml", "<rss><channel><title>Cut off", "bad_feed"),
        ("plain.xml", "<?xml version='1.0'?><inventory><box/></inventory>", "bad_feed"),
        ("empty-feed.rss", "<rss version='2.0'><channel><title>T</title></channel></rss>", "empty"),
        ("text.html", "no markup at all, only words", "bad_html"),
        ("scripts.html", "<html><script>var a = 1;</script></html>", "no_text"),
        ("open.md", "---\ntitle: Never closed\nBody text.\n", "bad_front_matter"),
        ("notes.docx", "Not a supported format.", "unknown_format"),
    ],
)
def test_iter_documents_malformed_input(tmp_path: Path, name: str, content: str, code: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    assert only_issue(path).error == code


def test_iter_documents_truncated_feed_keeps_recovered_entries(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_text(
        "<rss version='2.0'><channel><title>Wire</title><item><title>One</title>"
        "<description>A fictional first entry.</description></item><item><title>Two"
    )
    docs, issues = read_all(path)
    assert [doc.text for doc in docs] == ["A fictional first entry."]
    assert "bad_feed" in [issue.error for issue in issues]


def test_iter_documents_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert only_issue(path).error == "no_text"


def test_iter_documents_encrypted_pdf(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert only_issue(path).error == "encrypted_pdf"


def test_iter_documents_missing_path(tmp_path: Path) -> None:
    assert only_issue(tmp_path / "nowhere.txt").error == "not_found"


def test_iter_documents_skips_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert only_issue(fifo).error == "unreadable"


def test_iter_documents_bad_date_is_dropped_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "dated.md"
    path.write_text("---\npublished: 03/04/2024\ntitle: Kept\n---\nA fictional text.\n")
    [doc], [issue] = read_all(path, published=date(2001, 1, 1))
    assert issue.error == "bad_date"
    assert "'03/04/2024'" in issue.message
    assert doc.title == "Kept"
    # The default applies, because the file's own date was unusable.
    assert doc.published == date(2001, 1, 1)
    [doc], _ = read_all(path)
    assert doc.published is None


def test_iter_documents_unknown_front_matter_keys_warn(tmp_path: Path) -> None:
    path = tmp_path / "extra.md"
    path.write_text("---\ntitle: T\nauthor: Someone\ntags: a, b\n---\nA fictional text.\n")
    [doc], [issue] = read_all(path)
    assert issue.error == "unknown_fields"
    assert "['author', 'tags']" in issue.message
    assert doc.title == "T"


def test_iter_documents_bad_front_matter_line_warns(tmp_path: Path) -> None:
    path = tmp_path / "odd.md"
    path.write_text('---\ntitle: "Quoted title"\nthis line has no colon\n---\nBody.\n')
    [doc], [issue] = read_all(path)
    assert issue.error == "bad_front_matter"
    assert issue.source.endswith("odd.md:3")
    assert doc.title == "Quoted title"


def test_iter_documents_json_wrong_type_field_dropped(tmp_path: Path) -> None:
    path = tmp_path / "typed.json"
    path.write_text(json.dumps({"text": "A fictional text.", "title": 7, "publisher": "P"}))
    [doc], [issue] = read_all(path)
    assert issue.error == "bad_metadata"
    assert doc.title is None and doc.publisher == "P"


def test_iter_documents_goes_on_after_bad_inputs(tmp_path: Path) -> None:
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "c-good.txt").write_text("A good fictional note.")
    docs, issues = read_all(tmp_path)
    assert [issue.error for issue in issues] == ["empty", "binary"]
    assert [doc.text for doc in docs] == ["A good fictional note."]
