"""Read-only questions over extracted incidents, actors and statements: timeline, counts, briefs.

The caller fetches model objects (from the store or an extraction) and passes them in; nothing here
reads a database or the settings.
"""

from threatwatch.analyse.brief import (
    AttributionCell,
    Brief,
    CasualtyCell,
    Citation,
    Fact,
    IncidentRow,
    Profile,
    StatementGroup,
    StatementSection,
    make_brief,
    make_country_brief,
    to_casualty_label,
    to_country_name,
)
from threatwatch.analyse.render import render_html, render_markdown
from threatwatch.analyse.stats import (
    CasualtyRange,
    Summary,
    Trend,
    make_casualty_ranges,
    make_summary,
    make_trend,
    sum_casualty_ranges,
)
from threatwatch.analyse.timeline import Timeline, make_timeline, to_date_label

__all__ = [
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
