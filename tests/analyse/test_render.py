"""Tests for the Markdown and HTML renderings of a brief: self-contained, escaped, cited."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from threatwatch.analyse import Brief, make_brief, render_html, render_markdown
from threatwatch.model import (
    DatePrecision,
    DateValue,
    Document,
    Evidence,
    Extraction,
    Incident,
    Statement,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "analyse" / "sample.py"
GENERATED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
YEAR, MONTH = DatePrecision.YEAR, DatePrecision.MONTH
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'

Sample = tuple[Extraction, dict[str, Document]]


class TagCollector(HTMLParser):
    """Collect every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> TagCollector:
    """Return the tags and text of `html`."""
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.fixture(scope="module")
def sample() -> Sample:
    """Return the sample extraction and its documents (imported by path)."""
    spec = importlib.util.spec_from_file_location("analyse_render_fixture", FIXTURE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    extraction, documents = module.load_sample()
    return extraction, documents


def make_sample_brief(sample: Sample, *, hostile: bool = False) -> Brief:
    """Return the ISIS-K brief; with `hostile`, document text carries markup."""
    extraction, documents = sample
    incidents: tuple[Incident, ...] = extraction.incidents
    statements: tuple[Statement, ...] = extraction.statements
    if hostile:
        documents = {
            key: replace(doc, title=HOSTILE, publisher=f'Evil "Press" {HOSTILE}')
            for key, doc in documents.items()
        }
        first = incidents[0]
        evil = replace(first.attributions[0].evidence, sentence=f"ISIS-K said {HOSTILE}")
        incidents = (
            replace(
                first,
                description=HOSTILE,
                location=replace(first.location, place=f"Town | {HOSTILE}"),
                attributions=(
                    replace(first.attributions[0], evidence=evil, asserted_by=HOSTILE),
                    *first.attributions[1:],
                ),
            ),
            *incidents[1:],
        )
        statements = (
            *statements,
            Statement(
                entity_id="warn-evil",
                schema="Warning",
                prop="issuer",
                value=HOSTILE,
                evidence=Evidence(
                    document_id=evil.document_id,
                    start=0,
                    end=1,
                    sentence=f"ISIS-K {HOSTILE}",
                    extractor="test.v1",
                ),
            ),
        )
    subject = next(actor for actor in extraction.actors if actor.name == "ISIS-K")
    return make_brief(
        subject=subject,
        incidents=incidents,
        actors=extraction.actors,
        statements=statements,
        documents=documents,
        generated_at=GENERATED,
    )


def test_html_is_self_contained(sample: Sample) -> None:
    html = render_html(make_sample_brief(sample))
    page = parse(html)
    names = {tag for tag, _ in page.tags}
    assert "script" not in names
    assert "link" not in names
    assert "iframe" not in names and "object" not in names and "img" not in names
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "xlink:href"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("#"), (tag, name, value)
    assert "@import" not in html and "url(" not in html
    # The only web addresses are citation URLs shown as text.
    addresses = set(re.findall(r"https?://[^\s<\"']+", html))
    assert addresses <= {"http://www.w3.org/2000/svg"} | {
        f"https://example.org/sample/{key}"
        for key in ("crocus-a", "crocus-b", "kabul", "kerman", "context")
    }


def test_html_escapes_hostile_document_text(sample: Sample) -> None:
    html = render_html(make_sample_brief(sample, hostile=True))
    page = parse(html)
    assert "script" not in {tag for tag, _ in page.tags}
    assert "img" not in {tag for tag, _ in page.tags}
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script" not in html
    # The text still reads as written once the browser decodes it.
    assert any('<script>alert("x")</script>' in text for text in page.text)


def test_markdown_escapes_hostile_document_text(sample: Sample) -> None:
    markdown = render_markdown(make_sample_brief(sample, hostile=True))
    assert "<script>" not in markdown
    assert "\\<script\\>" in markdown
    row = next(line for line in markdown.splitlines() if "Town" in line)
    # A pipe in a place name must not split the table row: 7 columns means 8 bare pipes.
    assert len(re.findall(r"(?<!\\)\|", row)) == 8


def test_html_links_every_reference_to_a_citation(sample: Sample) -> None:
    brief = make_sample_brief(sample)
    page = parse(render_html(brief))
    targets = {attrs["href"] for tag, attrs in page.tags if tag == "a"}
    anchors = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    assert targets
    assert {target[1:] for target in targets if target} <= anchors
    assert {f"cite-{citation.number}" for citation in brief.citations} <= anchors
    # Every attribution cell links to its citation.
    for row in brief.incidents:
        for cell in row.attributions:
            assert cell.citations
            assert {f"#cite-{number}" for number in cell.citations} <= targets


def test_html_shows_the_brief_content(sample: Sample) -> None:
    brief = make_sample_brief(sample)
    html = render_html(brief)
    text = " ".join(parse(html).text)
    assert "Threat brief" in text and "ISIS-K" in text
    assert "Generated 2026-11-27 09:30 UTC" in text
    assert "Sample data" in text
    assert "133\u2013145 killed" in text
    assert "at least 501 wounded" in text
    assert "Officials said 133 people were killed." in text
    for citation in brief.citations:
        assert citation.sentence in text


def test_html_timeline_draws_one_bar_per_month_with_incidents(sample: Sample) -> None:
    brief = make_sample_brief(sample)
    page = parse(render_html(brief))
    bars = [attrs for tag, attrs in page.tags if tag == "rect" and attrs.get("class") == "bar-fill"]
    assert len(bars) == sum(1 for _, count in brief.timeline.per_month if count)
    dots = [attrs for tag, attrs in page.tags if tag == "circle"]
    day_dated = [
        incident
        for incident in brief.timeline.dated
        if incident.date.precision == DatePrecision.DAY
    ]
    assert day_dated
    assert len(dots) == len(day_dated)


def test_html_has_no_sample_note_for_real_publishers(sample: Sample) -> None:
    extraction, documents = sample
    real = {key: replace(doc, publisher="Reuters") for key, doc in documents.items()}
    html = render_html(make_sample_brief((extraction, real)))
    assert "Sample data" not in html


def test_markdown_lists_incidents_and_numbered_sources(sample: Sample) -> None:
    brief = make_sample_brief(sample)
    markdown = render_markdown(brief)
    assert markdown.startswith("# Threat brief: ISIS-K\n")
    assert "| Date | Place | Type | Stage | Attributions | Casualties | Sources |" in markdown
    assert "133\u2013145 killed" in markdown
    for citation in brief.citations:
        assert re.search(rf"^{citation.number}\. ", markdown, re.MULTILINE)
    assert "## Key points" in markdown


def test_html_timeline_counts_years_when_months_would_be_too_many(sample: Sample) -> None:
    extraction, documents = sample
    first = extraction.incidents[0]
    years = [
        replace(first, id=f"inc-{year}", date=DateValue(value=str(year), precision=YEAR))
        for year in (2001, 2003, 2024)
    ]
    month = replace(first, id="inc-month", date=DateValue(value="2002-05", precision=MONTH))
    incidents = (*years, month)
    brief = make_brief(
        subject=next(actor for actor in extraction.actors if actor.name == "ISIS-K"),
        incidents=incidents,
        actors=extraction.actors,
        statements=(),
        documents=documents,
        generated_at=GENERATED,
    )
    html = render_html(brief)
    assert "Incidents per year" in html and "Incidents per month" not in html
    page = parse(html)
    bars = [attrs for tag, attrs in page.tags if tag == "rect" and attrs.get("class") == "bar-fill"]
    assert len(bars) == 4
    # Year-only dates are bands on the time axis, never dots on a guessed day.
    assert not [tag for tag, _ in page.tags if tag == "circle"]
