"""Pins the public names of threatwatch.analyse and that each is documented."""

from __future__ import annotations

import threatwatch.analyse as analyse


def test_analyse_exports_these_names() -> None:
    assert sorted(analyse.__all__) == [
        "AttributionCell",
        "Brief",
        "CasualtyCell",
        "CasualtyRange",
        "Citation",
        "Fact",
        "IncidentRow",
        "Profile",
        "StatementGroup",
        "StatementSection",
        "Summary",
        "Timeline",
        "Trend",
        "make_brief",
        "make_casualty_ranges",
        "make_country_brief",
        "make_summary",
        "make_timeline",
        "make_trend",
        "render_html",
        "render_markdown",
        "sum_casualty_ranges",
        "to_casualty_label",
        "to_country_name",
        "to_date_label",
    ]


def test_analyse_public_names_have_docstrings() -> None:
    for name in analyse.__all__:
        assert getattr(analyse, name).__doc__, name
