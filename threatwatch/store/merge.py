"""Merge the members of a resolver cluster into one Incident or one Actor.

A cluster's members are ordered as first seen. The merged object keeps the union of every
member's sourced facts, in that order, with exact duplicates dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from threatwatch.model import Actor, DatePrecision, Incident, IncidentType
from threatwatch.store.codec import iter_unique

T = TypeVar("T")

_DATE_RANK = {
    DatePrecision.DAY: 3,
    DatePrecision.MONTH: 2,
    DatePrecision.YEAR: 1,
    DatePrecision.UNRESOLVED: 0,
}
_LOCATION_RANK = {"place": 3, "admin1": 2, "country": 1}


def _union(tuples: Iterable[tuple[T, ...]]) -> tuple[T, ...]:
    """Return the ordered union of the members' tuples of one field."""
    return tuple(iter_unique(item for items in tuples for item in items))


def merge_incidents(canonical_id: str, members: Sequence[Incident]) -> Incident:
    """Return one incident for a cluster, with ID `canonical_id`.

    Date and location come from the member that gives them most precisely (a day beats a month;
    a place beats a country); type and stage from the first member with a specific type (a
    `bombing` beats a generic `attack`); the description from the first member. Every tuple is
    the union of the members' tuples. Ties go to the member seen first.

    Raises:
        ValueError: `members` is empty.
    """
    if not members:
        raise ValueError(f"cluster {canonical_id!r} has no members")
    first = members[0]
    if len(members) == 1:
        return first if first.id == canonical_id else replace(first, id=canonical_id)
    # max() keeps the first of equal keys, so ties go to the member seen first.
    by_date = max(members, key=lambda m: _DATE_RANK[m.date.precision])
    by_place = max(
        members,
        key=lambda m: (
            _LOCATION_RANK.get(m.location.precision, 0),
            m.location.latitude is not None,
        ),
    )
    by_type = max(members, key=lambda m: m.type is not IncidentType.ATTACK)
    return Incident(
        id=canonical_id,
        type=by_type.type,
        stage=by_type.stage,
        date=by_date.date,
        location=by_place.location,
        description=first.description,
        targets=_union(m.targets for m in members),
        victims=_union(m.victims for m in members),
        weapons=_union(m.weapons for m in members),
        perpetrators=_union(m.perpetrators for m in members),
        casualties=_union(m.casualties for m in members),
        suspects=_union(m.suspects for m in members),
        attributions=_union(m.attributions for m in members),
        evidence=_union(m.evidence for m in members),
        document_ids=_union(m.document_ids for m in members),
    )


def merge_actors(canonical_id: str, members: Sequence[Actor]) -> Actor:
    """Return one actor for a cluster of actor entities, with ID `canonical_id`.

    Name, kind and country come from the member whose ID is `canonical_id` (else the first);
    the other members' names become aliases; aliases, attributes, relations and mentions union.

    Raises:
        ValueError: `members` is empty.
    """
    if not members:
        raise ValueError(f"cluster {canonical_id!r} has no members")
    head = next((m for m in members if m.id == canonical_id), members[0])
    if len(members) == 1:
        return head if head.id == canonical_id else replace(head, id=canonical_id)
    aliases = iter_unique(
        name
        for member in [head, *(m for m in members if m is not head)]
        for name in (member.name, *member.aliases)
    )
    return Actor(
        id=canonical_id,
        name=head.name,
        kind=head.kind,
        aliases=tuple(a for a in aliases if a != head.name),
        country=head.country or next((m.country for m in members if m.country), None),
        attributes=tuple(iter_unique(a for m in members for a in m.attributes)),
        relations=tuple(iter_unique(r for m in members for r in m.relations)),
        mentions=tuple(iter_unique(e for m in members for e in m.mentions)),
    )
