"""Render a Brief as Markdown (for the terminal) or as one self-contained HTML file.

The HTML file has no script, no external stylesheet, font or image: CSS is inline and the charts
are SVG drawn here, so it works offline and prints. Every string from a document is escaped.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from html import escape

from threatwatch.analyse.brief import (
    Brief,
    Citation,
    Fact,
    IncidentRow,
    StatementSection,
    to_country_name,
    to_label,
)
from threatwatch.analyse.timeline import Timeline, to_date_key, to_date_label, to_span
from threatwatch.model import DatePrecision, DateValue, Incident

STAGE_COLOURS = {
    "accomplished": "#b42318",
    "attempted": "#dc6803",
    "foiled": "#1d4ed8",
    "threatened": "#7a3ea8",
    "planned": "#0e7c72",
}
"""Fill colour of each incident stage in the charts."""

SAMPLE_NOTE = (
    "Sample data: the sources are short reports written for this project, paraphrasing public "
    "reporting. Do not cite them as news."
)

_MONTH_INITIALS = "JFMAMJJASOND"
_MAX_MONTH_BARS = 120
"""Above this many months the chart shows incidents per year instead."""
_MAX_LANES = 40
"""Above this many dated incidents the per-incident chart is left out; the monthly bars stay."""

_MD_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|#"})


# --- Markdown -----------------------------------------------------------------------------------


def render_markdown(brief: Brief) -> str:
    """Return the brief as Markdown, citations numbered `[n]` and listed at the end."""
    lines = [f"# Threat brief: {_md(brief.subject)}", ""]
    lines.append(
        f"Generated {_format_time(brief.generated_at)} from {len(_cited_documents(brief))} "
        f"documents; {brief.summary.incidents} incidents."
    )
    if brief.is_sample:
        lines += ["", f"> **{_md(SAMPLE_NOTE)}**"]
    lines += ["", "## Profile", ""]
    lines += [f"- **{_md(label)}:** {value}" for label, value in _profile_lines_md(brief)]
    lines += ["", "## Key points", ""]
    lines += [f"- {_md(point)}" for point in brief.key_points]
    lines += ["", "## Timeline", ""]
    lines += _timeline_md(brief.timeline)
    lines += ["", "## Incidents", ""]
    if brief.incidents:
        lines += [
            "| Date | Place | Type | Stage | Attributions | Casualties | Sources |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [_incident_md(row) for row in brief.incidents]
    else:
        lines.append("No incidents in the sources.")
    for section in brief.sections:
        lines += ["", f"## {_md(section.title)}", ""]
        for group in section.groups:
            lines.append(f"### {_md(group.title)}")
            lines.append("")
            lines += [f"- **{_md(fact.label)}:** {_fact_md(fact)}" for fact in group.facts]
            lines.append("")
    lines += ["", "## Sources", ""]
    lines += [_citation_md(citation) for citation in brief.citations]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Escape Markdown syntax and HTML so that document text shows as written."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _refs_md(numbers: Iterable[int]) -> str:
    return "".join(f"\\[{number}\\]" for number in numbers)


def _fact_md(fact: Fact) -> str:
    refs = _refs_md(fact.citations)
    return f"{_md(fact.value)} {refs}".rstrip()


def _profile_lines_md(brief: Brief) -> list[tuple[str, str]]:
    profile = brief.profile
    lines = [("Kind", _md(to_label(profile.kind)))]
    if profile.country:
        lines.append(("Country", _md(f"{to_country_name(profile.country)} ({profile.country})")))
    if profile.aliases:
        lines.append(("Also known as", _md(", ".join(profile.aliases))))
    lines += [(fact.label, _fact_md(fact)) for fact in (*profile.attributes, *profile.relations)]
    lines += [(fact.label, _fact_md(fact)) for fact in profile.related]
    return lines


def _timeline_md(timeline: Timeline) -> list[str]:
    if not timeline.per_year:
        lines = ["No dated incidents."]
    else:
        lines = ["- Incidents per year: " + ", ".join(f"{y}: {c}" for y, c in timeline.per_year)]
    if timeline.undated:
        lines.append(f"- Not placed on the timeline (date unknown): {len(timeline.undated)}.")
    return lines


def _incident_md(row: IncidentRow) -> str:
    attributions = "; ".join(
        f"{_md(cell.actor)} {cell.status} (per {_md(cell.asserted_by)}) {_refs_md(cell.citations)}"
        for cell in row.attributions
    )
    casualties = "; ".join(
        f"{_md(cell.label)} {_refs_md(cell.citations)}" for cell in row.casualties
    )
    cells = [
        _md(row.date),
        _md(row.place),
        _md(row.type),
        _md(row.stage),
        attributions or "none",
        casualties or "-",
        f"{row.sources} {_refs_md(row.citations)}".rstrip(),
    ]
    return "| " + " | ".join(cells) + " |"


def _citation_md(citation: Citation) -> str:
    source = ", ".join(_md(part) for part in _citation_source(citation))
    return f"{citation.number}. {source}: \u201c{_md(citation.sentence)}\u201d"


# --- HTML ---------------------------------------------------------------------------------------


def render_html(brief: Brief) -> str:
    """Return the brief as one self-contained HTML page (inline CSS and SVG, no script)."""
    profile = brief.profile
    kind = "country" if brief.subject_kind == "country" else to_label(profile.kind)
    documents = len(_cited_documents(brief))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # The policy forbids every fetch and script, so even a missed escape cannot load or run.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Threat brief: {_h(brief.subject)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="top">',
        f'<p class="eyebrow">Threat brief &middot; {_h(kind)}</p>',
        f"<h1>{_h(brief.subject)}</h1>",
        f'<p class="meta">Generated {_h(_format_time(brief.generated_at))} &middot; '
        f"{brief.summary.incidents} incidents &middot; {documents} source documents &middot; "
        f"{len(brief.citations)} cited sentences</p>",
    ]
    if brief.is_sample:
        parts.append(f'<p class="sample" role="note">{_h(SAMPLE_NOTE)}</p>')
    parts += [
        "</header>",
        '<div class="grid">',
        _profile_html(brief),
        _key_points_html(brief),
        "</div>",
        _timeline_html(brief),
        _incidents_html(brief),
        _sections_html(brief.sections, brief.citations),
        _citations_html(brief),
        _reading_notes_html(),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _h(text: object) -> str:
    """Escape any text for HTML content and attribute values."""
    return escape(str(text), quote=True)


def _refs_html(numbers: Iterable[int], citations: Sequence[Citation]) -> str:
    links = []
    for number in numbers:
        sentence = citations[number - 1].sentence if 0 < number <= len(citations) else ""
        links.append(f'<a class="ref" href="#cite-{number}" title="{_h(sentence)}">[{number}]</a>')
    return "".join(links)


def _fact_html(fact: Fact, citations: Sequence[Citation]) -> str:
    return f"{_h(fact.value)} {_refs_html(fact.citations, citations)}".rstrip()


def _profile_html(brief: Brief) -> str:
    profile = brief.profile
    rows = [("Kind", _h(to_label(profile.kind)))]
    if profile.country:
        rows.append(("Country", _h(f"{to_country_name(profile.country)} ({profile.country})")))
    if profile.aliases:
        rows.append(("Also known as", _h(", ".join(profile.aliases))))
    for fact in (*profile.attributes, *profile.relations):
        rows.append((_h(fact.label), _fact_html(fact, brief.citations)))
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    related = ""
    if profile.related:
        facts = "".join(
            f"<li><strong>{_h(fact.label)}</strong> {_fact_html(fact, brief.citations)}</li>"
            for fact in profile.related
        )
        related = f'<h3>Other actors</h3><ul class="plain">{facts}</ul>'
    return (
        f'<section class="card"><h2>Profile</h2><dl class="facts">{items}</dl>{related}</section>'
    )


def _key_points_html(brief: Brief) -> str:
    points = "".join(f"<li>{_h(point)}</li>" for point in brief.key_points)
    summary = brief.summary
    charts = "".join(
        _count_bars_html(title, pairs)
        for title, pairs in (
            ("By type", [(to_label(key), count) for key, count in summary.by_type]),
            ("By stage", list(summary.by_stage)),
            ("Attribution status", list(summary.by_status)),
            (
                "By country",
                [
                    (to_country_name(key) if key != "unknown" else key, count)
                    for key, count in summary.by_country
                ],
            ),
        )
        if pairs
    )
    return (
        '<section class="card"><h2>Key points</h2>'
        f'<ul class="points">{points}</ul><div class="counts">{charts}</div></section>'
    )


def _count_bars_html(title: str, pairs: Sequence[tuple[str, int]]) -> str:
    peak = max(count for _, count in pairs) or 1
    rows = "".join(
        f'<div class="bar-row"><span class="bar-label">{_h(key)}</span>'
        f'<span class="bar-track"><span class="bar" style="width:{100 * count / peak:.0f}%">'
        f'</span></span><span class="bar-value">{count}</span></div>'
        for key, count in pairs
    )
    return f'<div class="count-block"><h3>{_h(title)}</h3>{rows}</div>'


def _timeline_html(brief: Brief) -> str:
    timeline = brief.timeline
    parts = ['<section class="card wide"><h2>Timeline</h2>']
    monthly = bool(timeline.per_month) and len(timeline.per_year) * 12 <= _MAX_MONTH_BARS
    if monthly:
        months = _pad_to_years(timeline)
        parts.append("<h3>Incidents per month</h3>")
        parts.append(_bars_svg(_month_bars(months), "Incidents per month"))
    elif timeline.per_year:
        # Over ten years, monthly bars get too thin to read, so the chart counts years.
        parts.append("<h3>Incidents per year</h3>")
        parts.append(_bars_svg(_year_bars(timeline.per_year), "Incidents per year"))
    if timeline.dated and len(timeline.dated) <= _MAX_LANES:
        parts.append("<h3>Incidents on a time axis</h3>")
        parts.append(_legend_html({str(incident.stage) for incident in timeline.dated}))
        parts.append(_lanes_svg(timeline.dated))
    notes = []
    if timeline.year_only:
        left_out = ", left out of the monthly bars" if monthly else ""
        notes.append(
            f"{timeline.year_only} known only to the year: drawn as a band over the year{left_out}."
        )
    if timeline.undated:
        notes.append(f"{len(timeline.undated)} with no known date: listed in the table only.")
    if not timeline.dated:
        notes.append("No dated incidents.")
    if notes:
        parts.append('<p class="note">' + " ".join(_h(note) for note in notes) + "</p>")
    parts.append("</section>")
    return "".join(parts)


def _legend_html(stages: set[str]) -> str:
    items = "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{colour}"></span>'
        f"{_h(stage)}</span>"
        for stage, colour in STAGE_COLOURS.items()
        if stage in stages
    )
    return f'<p class="legend">{items}</p>'


def _pad_to_years(timeline: Timeline) -> list[tuple[str, int]]:
    """Return monthly counts over every month of every year that has a dated incident.

    The span comes from the years, so an incident known only to the year still widens the axis
    (it is not drawn as a bar, as its month is unknown).
    """
    counts = dict(timeline.per_month)
    first, last = timeline.per_year[0][0], timeline.per_year[-1][0]
    return [
        (f"{year:04d}-{month:02d}", counts.get(f"{year:04d}-{month:02d}", 0))
        for year in range(first, last + 1)
        for month in range(1, 13)
    ]


def _month_bars(per_month: Sequence[tuple[str, int]]) -> list[tuple[int, str, str, str]]:
    """Return (count, tooltip, minor label, major label) for each month: initials and years."""
    initials = len(per_month) <= 48
    bars = []
    for index, (month, count) in enumerate(per_month):
        number = int(month[5:])
        tip = f"{_month_label(month)}: {_plural(count, 'incident')}"
        minor = _MONTH_INITIALS[number - 1] if initials else ""
        major = month[:4] if number == 1 or index == 0 else ""
        bars.append((count, tip, minor, major))
    return bars


def _year_bars(per_year: Sequence[tuple[int, int]]) -> list[tuple[int, str, str, str]]:
    """Return (count, tooltip, minor label, major label) for each year."""
    every = 1 if len(per_year) <= 30 else 5
    return [
        (count, f"{year}: {_plural(count, 'incident')}", "", str(year) if year % every == 0 else "")
        for year, count in per_year
    ]


def _bars_svg(bars: Sequence[tuple[int, str, str, str]], label: str) -> str:
    """Return a bar chart: a count over each bar when there is room, labels under the axis."""
    width, height, left, right, top, bottom = 960, 190, 34, 10, 14, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(count for count, *_ in bars) or 1
    tick = max(1, math.ceil(peak / 4))
    scale_top = tick * math.ceil(peak / tick)
    step = plot_w / len(bars)
    bar_w = min(max(step * 0.72, 1.0), 44.0)
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_h(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for value in range(0, scale_top + 1, tick):
        y = top + plot_h - value / scale_top * plot_h
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{value}</text>'
        )
    for index, (count, tip, minor, major) in enumerate(bars):
        x = left + index * step + (step - bar_w) / 2
        bar_h = count / scale_top * plot_h
        if count:
            out.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" '
                f'height="{bar_h:.1f}" rx="2" class="bar-fill"><title>{_h(tip)}</title></rect>'
            )
            if step >= 14:
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - bar_h - 4:.1f}" '
                    f'class="axis value" text-anchor="middle">{count}</text>'
                )
        if minor:
            out.append(
                f'<text x="{left + index * step + step / 2:.1f}" y="{top + plot_h + 14}" '
                f'class="axis small" text-anchor="middle">{_h(minor)}</text>'
            )
        if major:
            edge = left + index * step
            out.append(
                f'<line x1="{edge:.1f}" y1="{top + plot_h}" x2="{edge:.1f}" '
                f'y2="{top + plot_h + 30}" class="tick"/>'
                f'<text x="{edge + 3:.1f}" y="{top + plot_h + 30}" class="axis year">'
                f"{_h(major)}</text>"
            )
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'class="baseline"/></svg>'
    )
    return "".join(out)


def _month_label(month: str) -> str:
    """Return `Mar 2024` for `2024-03`."""
    return to_date_label(DateValue(value=month, precision=DatePrecision.MONTH))


def _lanes_svg(incidents: Sequence[Incident]) -> str:
    """Return one lane per incident: a dot on its day, or a band over its month or year."""
    spans = []
    for incident in incidents:
        key = to_date_key(incident.date)
        if key is not None:
            spans.append((incident, *to_span(key)))
    start = datetime.date(min(span[1] for span in spans).year, 1, 1)
    end = datetime.date(max(span[2] for span in spans).year + 1, 1, 1)
    if max(span[2] for span in spans) == datetime.date(end.year - 1, 1, 1):
        end = datetime.date(end.year - 1, 1, 1)
    total = (end - start).days or 1
    width, label_w, right, top, lane = 960, 330, 16, 26, 24
    plot_w = width - label_w - right
    height = top + lane * len(spans) + 8

    def x_of(day: datetime.date) -> float:
        return label_w + (day - start).days / total * plot_w

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Incidents on a time axis" xmlns="http://www.w3.org/2000/svg">'
    ]
    for year in range(start.year, end.year + 1):
        x = x_of(datetime.date(year, 1, 1))
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 4}" class="grid"/>'
        )
        if year < end.year or start.year == end.year:
            out.append(f'<text x="{x + 4:.1f}" y="{top - 12}" class="axis year">{year}</text>')
        # Over two years or less, month initials make a day or a month readable on the axis.
        if end.year - start.year <= 2 and year < end.year:
            for month in range(2, 13):
                mx = x_of(datetime.date(year, month, 1))
                out.append(
                    f'<line x1="{mx:.1f}" y1="{top - 4}" x2="{mx:.1f}" y2="{height - 4}" '
                    'class="grid faint"/>'
                    f'<text x="{mx + 2:.1f}" y="{top - 12}" class="axis small">'
                    f"{_MONTH_INITIALS[month - 1]}</text>"
                )
    for index, (incident, first, after) in enumerate(spans):
        y = top + index * lane + lane / 2
        colour = STAGE_COLOURS.get(str(incident.stage), "#555")
        place = incident.location.place or to_country_name(incident.location.country)
        label = f"{to_date_label(incident.date)} \u00b7 {place} \u00b7 {to_label(incident.type)}"
        tip = f"{label} ({incident.stage})"
        if index % 2 == 0:
            out.append(
                f'<rect x="0" y="{y - lane / 2:.1f}" width="{width}" height="{lane}" class="lane"/>'
            )
        out.append(
            f'<text x="6" y="{y + 4:.1f}" class="axis lane-label">{_h(_clip(label, 46))}</text>'
        )
        if after - first <= datetime.timedelta(days=1):
            out.append(
                f'<circle cx="{x_of(first):.1f}" cy="{y:.1f}" r="6" fill="{colour}">'
                f"<title>{_h(tip)}</title></circle>"
            )
        else:
            x0, x1 = x_of(first), x_of(after)
            out.append(
                f'<rect x="{x0:.1f}" y="{y - 5:.1f}" width="{max(x1 - x0, 4):.1f}" height="10" '
                f'rx="5" fill="{colour}" fill-opacity="0.35" stroke="{colour}">'
                f"<title>{_h(tip)}</title></rect>"
            )
    out.append("</svg>")
    return "".join(out)


def _incidents_html(brief: Brief) -> str:
    if not brief.incidents:
        return '<section class="card wide"><h2>Incidents</h2><p>No incidents.</p></section>'
    rows = "".join(_incident_row_html(row, brief.citations) for row in brief.incidents)
    return (
        '<section class="card wide"><h2>Incidents</h2>'
        '<table class="incidents">'
        '<colgroup><col style="width:9%"><col style="width:12%"><col style="width:29%">'
        '<col style="width:25%"><col style="width:14%"><col style="width:11%"></colgroup>'
        "<thead><tr><th>Date</th><th>Place</th><th>Incident</th>"
        "<th>Attributions</th><th>Casualties</th><th>Sources</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _incident_row_html(row: IncidentRow, citations: Sequence[Citation]) -> str:
    colour = STAGE_COLOURS.get(row.stage, "#555")
    date_class = "date" if row.dated else "date undated"
    attributions = "".join(
        f'<li class="{"subject" if cell.is_subject else ""}"><strong>{_h(cell.actor)}</strong> '
        f'<span class="status status-{_h(cell.status)}">{_h(cell.status)}</span> '
        f'<span class="by">per {_h(cell.asserted_by)}</span> '
        f"{_refs_html(cell.citations, citations)}</li>"
        for cell in row.attributions
    )
    casualties = "".join(
        f"<li>{_h(cell.label)} {_refs_html(cell.citations, citations)}</li>"
        for cell in row.casualties
    )
    details = "".join(
        f'<li><span class="muted">{_h(fact.label)}:</span> {_fact_html(fact, citations)}</li>'
        for fact in row.details
    )
    return (
        f'<tr id="incident-{_h(row.incident_id)}">'
        f'<td class="{date_class}">{_h(row.date)}</td>'
        f"<td>{_h(row.place)}</td>"
        f'<td><span class="type">{_h(row.type)}</span> '
        f'<span class="stage" style="border-color:{colour};color:{colour}">{_h(row.stage)}</span>'
        f'<p class="desc">{_h(_clip(row.description, 220))}</p>'
        + (f'<ul class="plain small">{details}</ul>' if details else "")
        + "</td>"
        f'<td><ul class="plain">{attributions or "<li class=muted>none</li>"}</ul></td>'
        f'<td class="casualties"><ul class="plain">'
        f"{casualties or '<li class=muted>no figures</li>'}</ul></td>"
        f'<td class="sources">{_plural(row.sources, "doc")}<br>'
        f"{_refs_html(row.citations, citations)}</td>"
        "</tr>"
    )


def _sections_html(sections: Sequence[StatementSection], citations: Sequence[Citation]) -> str:
    """Return every statement group as a card, labelled with its section, in one panel."""
    if not sections:
        return ""
    cards = "".join(
        f'<div class="statement"><p class="eyebrow">{_h(section.title)}</p>'
        f'<h3>{_h(group.title)}</h3><dl class="facts">'
        + "".join(
            f"<dt>{_h(fact.label)}</dt><dd>{_fact_html(fact, citations)}</dd>"
            for fact in group.facts
        )
        + "</dl></div>"
        for section in sections
        for group in section.groups
    )
    titles = ", ".join(section.title.lower() for section in sections)
    return (
        f'<section class="card wide"><h2>Also reported: {_h(titles)}</h2>'
        f'<div class="statements">{cards}</div></section>'
    )


def _citations_html(brief: Brief) -> str:
    if not brief.citations:
        return ""
    items = "".join(
        f'<li id="cite-{citation.number}"><span class="num">[{citation.number}]</span>'
        f'<blockquote>{_h(citation.sentence)}</blockquote><p class="src">'
        + " &middot; ".join(_h(part) for part in _citation_source(citation))
        + (f' &middot; <span class="url">{_h(citation.url)}</span>' if citation.url else "")
        + "</p></li>"
        for citation in brief.citations
    )
    return (
        f'<section class="card wide"><h2>Sources</h2><ol class="citations">{items}</ol></section>'
    )


def _reading_notes_html() -> str:
    return (
        '<footer class="notes"><h2>How to read this brief</h2><ul>'
        "<li>Every fact links to a numbered source sentence; hover a number to read it, click to "
        "jump to it.</li>"
        "<li>Attribution status is what the named party (&ldquo;per&rdquo;) says: "
        "<em>claimed</em> by the group itself, <em>accused</em> by a government, "
        "<em>suspected</em> or <em>unconfirmed</em> by officials or analysts. Conflicting "
        "attributions are all kept.</li>"
        "<li>Casualty figures run from the lowest to the highest figure any source gives for "
        "the incident; figures for the same incident are never added up.</li>"
        "<li>Dates are shown only as precisely as the sources give them; incidents with no "
        "known date are listed but not placed on the timeline.</li>"
        "</ul></footer>"
    )


# --- shared -------------------------------------------------------------------------------------


def _citation_source(citation: Citation) -> list[str]:
    parts = [citation.publisher or "unknown publisher"]
    if citation.published:
        parts.append(citation.published.isoformat())
    if citation.title:
        parts.append(citation.title)
    if not citation.publisher:
        parts.append(citation.document_id)
    return parts


def _cited_documents(brief: Brief) -> set[str]:
    return {citation.document_id for citation in brief.citations}


def _format_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


_CSS = """
:root { --ink:#1b1f24; --muted:#5b6470; --line:#d9dde3; --bg:#f5f6f8; --card:#fff;
  --accent:#8a1c1c; --bar:#4a5d7e; }
* { box-sizing:border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width:1180px; margin:0 auto; padding:28px 24px 48px; }
h1 { font-size:34px; margin:2px 0 4px; letter-spacing:-0.5px; }
h2 { font-size:18px; margin:0 0 12px; padding-bottom:6px; border-bottom:2px solid var(--line); }
h3 { font-size:13px; margin:14px 0 6px; text-transform:uppercase; letter-spacing:.6px;
  color:var(--muted); }
.top { border-left:6px solid var(--accent); padding:4px 0 4px 16px; margin-bottom:20px; }
.eyebrow { margin:0; text-transform:uppercase; letter-spacing:1.2px; font-size:12px;
  color:var(--accent); font-weight:600; }
.meta { margin:0; color:var(--muted); }
.sample { margin:10px 0 0; padding:8px 12px; background:#fff4d6; border:1px solid #e8c766;
  border-radius:6px; font-weight:600; color:#6b4e00; }
.grid { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1.25fr); gap:18px;
  align-items:start; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px;
  padding:16px 20px; margin-bottom:18px; }
.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; margin:0; }
.facts dt { color:var(--muted); font-weight:600; }
.facts dd { margin:0; }
ul.plain { list-style:none; margin:0; padding:0; }
ul.plain li { margin:0 0 3px; }
.points { margin:0; padding-left:18px; }
.points li { margin-bottom:5px; }
.counts { display:grid; grid-template-columns:1fr 1fr; gap:0 22px; }
.bar-row { display:grid; grid-template-columns:110px 1fr 26px; gap:6px; align-items:center;
  font-size:13px; }
.bar-label { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.bar-track { background:#eef0f3; border-radius:3px; height:9px; }
.bar { display:block; background:var(--bar); height:9px; border-radius:3px; }
.bar-value { text-align:right; color:var(--muted); }
.chart { width:100%; height:auto; display:block; }
.chart .grid { stroke:#e6e9ed; stroke-width:1; }
.chart .faint { stroke:#f0f2f5; }
.chart .baseline { stroke:#8a93a0; stroke-width:1; }
.chart .tick { stroke:#b7bec8; stroke-width:1; }
.chart .axis { font-size:12px; fill:var(--muted); font-family:inherit; }
.chart .small { font-size:10px; }
.chart .year { font-weight:700; fill:var(--ink); }
.chart .value { fill:var(--ink); font-weight:600; }
.chart .bar-fill { fill:var(--bar); }
.chart .lane { fill:#f7f8fa; }
.chart .lane-label { fill:var(--ink); font-size:12.5px; }
.legend { margin:0 0 4px; font-size:13px; color:var(--muted); }
.legend-item { margin-right:14px; white-space:nowrap; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:50%;
  margin-right:5px; vertical-align:-1px; }
.note { color:var(--muted); font-size:13px; margin:8px 0 0; }
table.incidents { width:100%; border-collapse:collapse; font-size:13.5px; table-layout:fixed; }
.incidents th { text-align:left; font-size:12px; text-transform:uppercase; letter-spacing:.5px;
  color:var(--muted); border-bottom:2px solid var(--line); padding:6px 8px; }
.incidents td { vertical-align:top; padding:9px 8px; border-bottom:1px solid var(--line); }
.incidents tr { break-inside:avoid; }
.date { font-weight:600; }
.undated { color:var(--muted); font-style:italic; font-weight:400; }
.type { font-weight:600; }
.stage { display:inline-block; border:1px solid; border-radius:10px; padding:0 7px;
  font-size:11.5px; margin-left:4px; }
.desc { margin:4px 0 2px; color:var(--muted); font-size:12.5px; }
.small { font-size:12.5px; }
.muted, .by { color:var(--muted); }
.status { display:inline-block; border-radius:3px; padding:0 5px; font-size:11.5px;
  font-weight:600; color:#fff; background:#6b7280; }
.status-claimed { background:#8a1c1c; } .status-confirmed { background:#b42318; }
.status-suspected { background:#b54708; } .status-accused { background:#6941c6; }
.status-unconfirmed { background:#667085; } .status-denied { background:#344054; }
.status-reported { background:#175cd3; }
li.subject strong { color:var(--accent); }
.sources { color:var(--muted); overflow-wrap:anywhere; }
a.ref { color:#175cd3; text-decoration:none; font-size:11.5px; vertical-align:super;
  margin-left:1px; }
a.ref:hover { text-decoration:underline; }
.statements { display:grid; grid-template-columns:repeat(auto-fill, minmax(300px, 1fr));
  gap:12px; }
.statement { border:1px solid var(--line); border-radius:8px; padding:8px 12px; }
.statement .eyebrow { font-size:10.5px; }
.statement h3 { margin-top:0; color:var(--ink); text-transform:none; letter-spacing:0;
  font-size:14px; }
.citations { list-style:none; margin:0; padding:0; }
.citations li { display:grid; grid-template-columns:44px 1fr; padding:6px 0;
  border-bottom:1px solid #eef0f3; }
.citations li:target { background:#fff7d1; }
.citations .num { grid-row:span 2; font-weight:700; color:#175cd3; }
.citations blockquote { margin:0; font-style:italic; }
.citations .src { margin:2px 0 0; color:var(--muted); font-size:12.5px; }
.url { word-break:break-all; }
.notes { color:var(--muted); font-size:13px; padding:0 4px; }
.notes h2 { font-size:14px; border:0; margin:6px 0 4px; }
@media (max-width:800px) { .grid, .counts { grid-template-columns:1fr; } }
@media print {
  body { background:#fff; font-size:11pt; }
  main { max-width:none; padding:0; }
  .card { border:0; padding:0; margin-bottom:14pt; }
  .grid .card, .statement, .citations li { break-inside:avoid; }
  a.ref { color:#000; }
  @page { margin:16mm 14mm; }
}
"""
