"""Cross-document incident resolution: reports of the same event become one cluster.

Two incidents are the same when their types agree (or one is the generic `attack`), they are in
the same country and place (or one has no finer place, or their places lie within 60 km), and
their dates fall within a day. An undated report joins another only when both are placed in a
city (within 60 km), so undated country-level mentions do not swallow distinct events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from threatwatch.model import DatePrecision, Incident, IncidentType, distance_km

RESOLVER = "threatwatch.resolve.incidents.v1"
"""Versioned name of the matching rule below."""

_GENERIC = {IncidentType.ATTACK}
_ATTACK_FAMILY = {
    IncidentType.ATTACK,
    IncidentType.ARMED_ASSAULT,
    IncidentType.BOMBING,
    IncidentType.SUICIDE_ATTACK,
    IncidentType.ASSASSINATION,
}


def is_same_type(a: Incident, b: Incident) -> bool:
    """True when the types agree, one is the generic `attack` within the attack family, or the
    pair is bombing / suicide attack."""
    if a.type == b.type:
        return True
    if (a.type is IncidentType.PLOT) != (b.type is IncidentType.PLOT):
        return False
    pair = {a.type, b.type}
    if pair == {IncidentType.BOMBING, IncidentType.SUICIDE_ATTACK}:
        return True  # a suicide bombing is reported as either
    return bool(pair & _GENERIC) and pair <= _ATTACK_FAMILY


NEAR_KM = 60.0
"""Places whose centres are closer than this count as one ("near Moscow" and Krasnogorsk)."""


def is_near(a: Incident, b: Incident) -> bool:
    """True when both have coordinates within NEAR_KM of each other."""
    la, lb = a.location, b.location
    if la.latitude is None or la.longitude is None or lb.latitude is None or lb.longitude is None:
        return False
    return distance_km(la.latitude, la.longitude, lb.latitude, lb.longitude) <= NEAR_KM


def is_same_place(a: Incident, b: Incident) -> bool:
    """True when both are in one country and no finer place tells them apart."""
    if a.location.country is None or a.location.country != b.location.country:
        return False
    if is_near(a, b):
        return True
    for field in ("place", "admin1"):
        left, right = getattr(a.location, field), getattr(b.location, field)
        if left and right and left != right:
            return False
    return True


def _day(incident: Incident) -> date | None:
    if incident.date.precision is DatePrecision.DAY and incident.date.value:
        return date.fromisoformat(incident.date.value)
    return None


def is_same_incident(a: Incident, b: Incident) -> bool:
    """Apply the matching rule of this module to one pair."""
    if not (is_same_type(a, b) and is_same_place(a, b)):
        return False
    if a.stage != b.stage and {a.stage.value, b.stage.value} & {"foiled", "planned"}:
        return False
    day_a, day_b = _day(a), _day(b)
    if day_a and day_b:
        return abs(day_a - day_b) <= timedelta(days=1)
    if (
        a.date.value
        and b.date.value
        and not (a.date.value.startswith(b.date.value) or b.date.value.startswith(a.date.value))
    ):
        return False
    # An undated report joins a dated one in the same city: follow-up reports rarely repeat the
    # date, while a background mention of another attack there usually gives one.
    return a.location.place is not None and b.location.place is not None


def cluster_incidents(incidents: Sequence[Incident]) -> dict[str, str]:
    """Return incident ID -> canonical ID (the earliest-seen member's ID) for every incident.

    Blocks on country so the pairwise rule runs only within a country.
    """
    parent = {incident.id: incident.id for incident in incidents}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    blocks: dict[str | None, list[Incident]] = {}
    for incident in incidents:
        blocks.setdefault(incident.location.country, []).append(incident)
    for country, members in blocks.items():
        if country is None:
            continue
        for i, left in enumerate(members):
            for right in members[i + 1 :]:
                if find(left.id) != find(right.id) and is_same_incident(left, right):
                    a, b = sorted((find(left.id), find(right.id)))
                    parent[b] = a
    return {key: find(key) for key in parent}
