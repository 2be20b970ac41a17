"""Summaries of a set of incidents: counts by type, stage, country and attribution status,
casualty ranges and the year-on-year trend.

Casualty figures are per-source claims that often disagree. For one incident the range runs from
the lowest minimum to the highest maximum any source gives; claims about the same incident are
never added together. Only ranges of different incidents are summed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from threatwatch.analyse.timeline import to_date_key
from threatwatch.logs import get_logger, kv
from threatwatch.model import CasualtyClaim, Incident

log = get_logger(__name__)

CASUALTY_KINDS = ("killed", "wounded", "casualties")
"""Casualty kinds in display order; `casualties` is killed and wounded counted together."""

UNKNOWN_COUNTRY = "unknown"
"""The key under which incidents with no known country are counted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyRange:
    """`min` to `max` people of one `kind`; `max` None means open-ended (`more than 1,300`)."""

    kind: str
    min: int
    max: int | None
    claims: tuple[CasualtyClaim, ...] = ()
    """The source claims the range was made from."""
    incidents: int = 1
    """How many incidents the range covers (more than one for a total)."""

    @property
    def is_open(self) -> bool:
        """Return True when no source puts an upper bound on the figure."""
        return self.max is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Trend:
    """Incidents in the latest year with a dated incident against the year before it."""

    year: int
    count: int
    previous_year: int
    previous_count: int
    partial: bool
    """True when `year` is the year the summary was made in, so it is not over yet."""

    @property
    def direction(self) -> str:
        """Return `up`, `down` or `flat`."""
        if self.count > self.previous_count:
            return "up"
        return "down" if self.count < self.previous_count else "flat"


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Counts over a set of incidents; each `by_*` holds `(key, count)` pairs, largest first."""

    incidents: int
    by_type: tuple[tuple[str, int], ...]
    by_stage: tuple[tuple[str, int], ...]
    by_country: tuple[tuple[str, int], ...]
    """ISO codes; incidents with no country count under `unknown`."""
    by_status: tuple[tuple[str, int], ...]
    """Attribution statuses, counting only the attributions the summary was asked about."""
    by_actor: tuple[tuple[str, int], ...]
    """Incidents per attributed actor (an incident counts once per actor)."""
    per_year: tuple[tuple[int, int], ...]
    """Dated incidents per year, earliest first; years without incidents are left out."""
    undated: int
    """Incidents whose date is unresolved."""
    casualties: tuple[CasualtyRange, ...]
    """Totals over incidents that have figures, one per kind in `CASUALTY_KINDS` order."""
    trend: Trend | None


def make_casualty_ranges(claims: Iterable[CasualtyClaim]) -> tuple[CasualtyRange, ...]:
    """Return one range per kind over the claims of ONE incident (lowest min .. highest max).

    A claim with no lower bound (`up to 10`) counts from 0; a claim with no bound at all carries no
    figure and is skipped, as is a claim whose minimum exceeds its maximum.
    """
    by_kind: dict[str, list[CasualtyClaim]] = {}
    for claim in claims:
        if claim.min is None and claim.max is None:
            continue
        if claim.min is not None and claim.max is not None and claim.min > claim.max:
            log.warning(
                "casualty claim skipped: min above max %s",
                kv(kind=claim.kind, min=claim.min, max=claim.max, text=claim.text),
            )
            continue
        by_kind.setdefault(claim.kind, []).append(claim)
    ranges = []
    for kind in _ordered_kinds(by_kind):
        group = by_kind[kind]
        low = min(claim.min or 0 for claim in group)
        maxima = [claim.max for claim in group if claim.max is not None]
        high = max(maxima) if len(maxima) == len(group) else None
        ranges.append(CasualtyRange(kind=kind, min=low, max=high, claims=tuple(group)))
    return tuple(ranges)


def sum_casualty_ranges(ranges: Iterable[CasualtyRange]) -> tuple[CasualtyRange, ...]:
    """Add up per-incident ranges, kind by kind: mins add, maxes add, any open end stays open."""
    totals: dict[str, CasualtyRange] = {}
    for item in ranges:
        total = totals.get(item.kind)
        if total is None:
            totals[item.kind] = CasualtyRange(
                kind=item.kind, min=item.min, max=item.max, incidents=item.incidents
            )
            continue
        high = None if total.max is None or item.max is None else total.max + item.max
        totals[item.kind] = CasualtyRange(
            kind=item.kind,
            min=total.min + item.min,
            max=high,
            incidents=total.incidents + item.incidents,
        )
    return tuple(totals[kind] for kind in _ordered_kinds(totals))


def make_summary(
    incidents: Sequence[Incident],
    *,
    actor_ids: Collection[str] | None = None,
    current_year: int | None = None,
) -> Summary:
    """Summarise `incidents`.

    Args:
        incidents: The incidents to count, each once.
        actor_ids: Count attribution statuses only for attributions to these actors (the subject
            of a brief); None counts every attribution.
        current_year: The year the summary is made in, to mark a trend year as not over yet.
    """
    by_status: Counter[str] = Counter()
    by_actor: Counter[str] = Counter()
    years: Counter[int] = Counter()
    undated = 0
    per_incident: list[CasualtyRange] = []
    for incident in incidents:
        for attribution in incident.attributions:
            if actor_ids is None or attribution.actor_id in actor_ids:
                by_status[str(attribution.status)] += 1
        for actor in {attribution.actor for attribution in incident.attributions}:
            by_actor[actor] += 1
        key = to_date_key(incident.date)
        if key is None:
            undated += 1
        else:
            years[key.year] += 1
        per_incident.extend(make_casualty_ranges(incident.casualties))
    per_year = tuple(sorted(years.items()))
    return Summary(
        incidents=len(incidents),
        by_type=_count(incidents, lambda incident: str(incident.type)),
        by_stage=_count(incidents, lambda incident: str(incident.stage)),
        by_country=_count(incidents, lambda incident: incident.location.country or UNKNOWN_COUNTRY),
        by_status=_ranked(by_status),
        by_actor=_ranked(by_actor),
        per_year=per_year,
        undated=undated,
        casualties=sum_casualty_ranges(per_incident),
        trend=make_trend(per_year, current_year=current_year),
    )


def make_trend(
    per_year: Sequence[tuple[int, int]], *, current_year: int | None = None
) -> Trend | None:
    """Compare the latest year that has incidents with the year before it (0 when it has none).

    Returns None when no incident is dated.
    """
    counts = dict(per_year)
    years = [year for year, count in per_year if count > 0]
    if not years:
        return None
    year = max(years)
    return Trend(
        year=year,
        count=counts[year],
        previous_year=year - 1,
        previous_count=counts.get(year - 1, 0),
        partial=current_year is not None and year >= current_year,
    )


def _count(
    incidents: Iterable[Incident], key: Callable[[Incident], str]
) -> tuple[tuple[str, int], ...]:
    return _ranked(Counter(key(incident) for incident in incidents))


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Return pairs by count, largest first, then by key so that the order is stable."""
    return tuple(sorted(counter.items(), key=lambda pair: (-pair[1], pair[0])))


def _ordered_kinds(kinds: Iterable[str]) -> list[str]:
    """Return the kinds in display order; kinds we do not know follow in name order."""
    known = [kind for kind in CASUALTY_KINDS if kind in kinds]
    return known + sorted(kind for kind in kinds if kind not in CASUALTY_KINDS)
