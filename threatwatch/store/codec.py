"""The statement codec: Incident and Actor objects to statements and back.

Scalar properties are stored as plain text and structured values (a date, a location, a
casualty claim, suspects, an attribution, an actor attribute or relation) as compact JSON, one
statement per value, each with the evidence that supports it. Decoding reverses this exactly for
an entity written once: statement order is kept by the `ordinal` column, and exact duplicate
values within one tuple collapse into one statement (a statement is a fact, not a count).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar

from threatwatch.logs import get_logger, kv
from threatwatch.model import (
    Actor,
    ActorKind,
    Attribute,
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DatePrecision,
    DateValue,
    Evidence,
    Incident,
    IncidentType,
    Location,
    Relation,
    RelationKind,
    Stage,
    Statement,
    Suspects,
    make_id,
)

log = get_logger(__name__)

T = TypeVar("T")

INCIDENT = "Incident"
"""Statement schema of incidents."""
ACTOR = "Actor"
"""Statement schema of actors."""
UNSOURCED = "threatwatch.store.unsourced.v1"
"""Extractor name of the placeholder evidence given to facts that came without evidence.

A statement always needs a document, so a fact without evidence (an actor known only from the
gazetteer, a relation with `evidence=None`) is tied to its document with an empty span
`[0, 0)` and this extractor name; decoding turns such evidence back into None.
"""


class StatementLike(Protocol):
    """What decoding reads of a statement; a `Statement` or a `Fact` will do."""

    @property
    def id(self) -> str: ...
    @property
    def prop(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def evidence(self) -> Evidence: ...


class Fact(NamedTuple):
    """A light statement for bulk reads: the fields decoding needs and nothing else."""

    id: str
    prop: str
    value: str
    evidence: Evidence


# Incident properties that hold one value; lists are stored one statement per item.
_INCIDENT_LISTS = {
    "target": "targets",
    "victim": "victims",
    "weapon": "weapons",
    "perpetrator": "perpetrators",
    "document": "document_ids",
}


def to_json(value: object) -> str:
    """Return the canonical JSON text of a structured value (sorted keys, no spaces)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def make_unsourced(document_id: str) -> Evidence:
    """Return the placeholder evidence that ties an unsourced fact to its document."""
    return Evidence(document_id=document_id, start=0, end=0, sentence="", extractor=UNSOURCED)


def is_unsourced(evidence: Evidence) -> bool:
    """Return True for the placeholder evidence of `make_unsourced`."""
    return evidence.extractor == UNSOURCED


def make_statement(
    entity_id: str, schema: str, prop: str, value: str, evidence: Evidence
) -> Statement:
    """Return a codec statement whose ID covers the value and the whole evidence.

    The ID also hashes the extractor and sentence (unlike `Statement`'s default), so that two
    extractors asserting the same value from the same span stay two statements.
    """
    key = make_id(
        "stmt",
        entity_id,
        prop,
        value,
        evidence.document_id,
        evidence.start,
        evidence.end,
        evidence.extractor,
        evidence.sentence,
    )
    return Statement(
        entity_id=entity_id, schema=schema, prop=prop, value=value, evidence=evidence, id=key
    )


def encode_incident(incident: Incident, *, fallback_document: str | None) -> list[Statement]:
    """Return the statements of `incident`, in the order decoding restores.

    Scalars (type, stage, date, location, description) and list items carry the incident's
    first evidence, or placeholder evidence on `fallback_document` when it has none.

    Raises:
        ValueError: the incident has no evidence and no fallback document is given.
    """
    if incident.evidence:
        anchor = incident.evidence[0]
    elif fallback_document is not None:
        anchor = make_unsourced(fallback_document)
    else:
        raise ValueError(f"incident {incident.id!r} has no evidence and no document to tie it to")
    out: list[Statement] = []

    def add(prop: str, value: str, evidence: Evidence = anchor) -> None:
        out.append(make_statement(incident.id, INCIDENT, prop, value, evidence))

    add("type", str(incident.type))
    add("stage", str(incident.stage))
    add("date", to_json(incident.date.to_dict()))
    add("location", to_json(incident.location.to_dict()))
    add("description", incident.description)
    for prop, attr in _INCIDENT_LISTS.items():
        for item in getattr(incident, attr):
            add(prop, item)
    for claim in incident.casualties:
        casualty = {
            "kind": claim.kind,
            "min": claim.min,
            "max": claim.max,
            "text": claim.text,
            "asserted_by": claim.asserted_by,
        }
        add("casualty", to_json(casualty), claim.evidence)
    for suspects in incident.suspects:
        group = {
            "count": suspects.count,
            "nationality": suspects.nationality,
            "names": list(suspects.names),
        }
        add("suspects", to_json(group), suspects.evidence)
    for attribution in incident.attributions:
        claim_of = {
            "actor": attribution.actor,
            "actor_id": attribution.actor_id,
            "status": str(attribution.status),
            "asserted_by": attribution.asserted_by,
        }
        add("attribution", to_json(claim_of), attribution.evidence)
    for evidence in incident.evidence:
        add("evidence", "", evidence)
    return out


def encode_actor(actor: Actor, *, fallback_document: str | None) -> list[Statement]:
    """Return the statements of `actor`: name, kind, country, aliases, attributes, relations, mentions.

    Name, kind, country and aliases carry the first mention, or placeholder evidence when the
    actor has none. An attribute or relation without evidence gets placeholder evidence on the
    same document, which decodes back to `evidence=None`.

    Raises:
        ValueError: the actor has no mention and no fallback document is given.
    """
    if actor.mentions:
        anchor = actor.mentions[0]
    elif fallback_document is not None:
        anchor = make_unsourced(fallback_document)
    else:
        raise ValueError(f"actor {actor.name!r} has no mention and no document to tie it to")
    unsourced = make_unsourced(anchor.document_id)
    out: list[Statement] = []

    def add(prop: str, value: str, evidence: Evidence = anchor) -> None:
        out.append(make_statement(actor.id, ACTOR, prop, value, evidence))

    add("name", actor.name)
    add("kind", str(actor.kind))
    if actor.country is not None:
        add("country", actor.country)
    for alias in actor.aliases:
        add("alias", alias)
    for attribute in actor.attributes:
        value = to_json({"name": attribute.name, "value": attribute.value})
        add("attribute", value, attribute.evidence or unsourced)
    for relation in actor.relations:
        value = to_json({"kind": str(relation.kind), "target": relation.target})
        add("relation", value, relation.evidence or unsourced)
    for mention in actor.mentions:
        add("mention", "", mention)
    return out


def iter_unique(items: Iterable[T]) -> list[T]:
    """Return `items` in order without exact duplicates."""
    seen: set[T] = set()
    out: list[T] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _group(statements: Iterable[StatementLike]) -> dict[str, list[StatementLike]]:
    """Return the statements by property, each list in the given order without duplicates."""
    by_prop: dict[str, list[StatementLike]] = {}
    seen: set[str] = set()
    for stmt in statements:
        if stmt.id in seen:
            continue
        seen.add(stmt.id)
        by_prop.setdefault(stmt.prop, []).append(stmt)
    return by_prop


def _first(by_prop: dict[str, list[StatementLike]], prop: str) -> str | None:
    """Return the first value of `prop`, or None."""
    values = by_prop.get(prop)
    return values[0].value if values else None


def _load(stmt: StatementLike) -> dict[str, Any]:
    """Return the JSON object in a statement's value."""
    value = json.loads(stmt.value)
    if not isinstance(value, dict):
        raise ValueError(f"statement {stmt.id!r} holds {stmt.value!r}, not a JSON object")
    return value


def _optional_evidence(stmt: StatementLike) -> Evidence | None:
    """Return the statement's evidence, or None for placeholder evidence."""
    return None if is_unsourced(stmt.evidence) else stmt.evidence


def decode_incident(entity_id: str, statements: Sequence[StatementLike]) -> Incident | None:
    """Return the incident that `statements` describe, or None when they are incomplete.

    `statements` are one entity's, ordered as written; for a property written more than once
    (the same entity seen in several documents) the first scalar value wins and lists union
    without duplicates (a target or alias repeated by each document is kept once).
    """
    by_prop = _group(statements)
    try:
        type_ = _first(by_prop, "type")
        stage = _first(by_prop, "stage")
        date = _first(by_prop, "date")
        location = _first(by_prop, "location")
        description = _first(by_prop, "description")
        if type_ is None or stage is None or date is None or location is None:
            log.warning("incident lacks core statements, skipped %s", kv(entity_id=entity_id))
            return None
        date_dict = json.loads(date)
        location_dict = json.loads(location)
        return Incident(
            id=entity_id,
            type=IncidentType(type_),
            stage=Stage(stage),
            date=DateValue(
                value=date_dict["value"],
                precision=DatePrecision(date_dict["precision"]),
                text=date_dict["text"],
            ),
            location=Location(**location_dict),
            description=description or "",
            **{
                attr: tuple(iter_unique(s.value for s in by_prop.get(prop, ())))
                for prop, attr in _INCIDENT_LISTS.items()
            },
            # Statement IDs cover the value and the whole evidence, so these are unique already.
            casualties=tuple(
                CasualtyClaim(**_load(s), evidence=s.evidence) for s in by_prop.get("casualty", ())
            ),
            suspects=tuple(_decode_suspects(s) for s in by_prop.get("suspects", ())),
            attributions=tuple(_decode_attribution(s) for s in by_prop.get("attribution", ())),
            evidence=tuple(s.evidence for s in by_prop.get("evidence", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning(
            "incident statements unreadable, skipped %s", kv(entity_id=entity_id, error=str(exc))
        )
        return None


def _decode_suspects(stmt: StatementLike) -> Suspects:
    """Return the Suspects in a `suspects` statement."""
    value = _load(stmt)
    return Suspects(
        count=value["count"],
        nationality=value["nationality"],
        names=tuple(value["names"]),
        evidence=stmt.evidence,
    )


def _decode_attribution(stmt: StatementLike) -> Attribution:
    """Return the Attribution in an `attribution` statement."""
    value = _load(stmt)
    return Attribution(
        actor=value["actor"],
        actor_id=value["actor_id"],
        status=AttributionStatus(value["status"]),
        asserted_by=value["asserted_by"],
        evidence=stmt.evidence,
    )


def decode_actor(entity_id: str, statements: Sequence[StatementLike]) -> Actor | None:
    """Return the actor that `statements` describe, or None when they lack a name or kind."""
    by_prop = _group(statements)
    try:
        name = _first(by_prop, "name")
        kind = _first(by_prop, "kind")
        if name is None or kind is None:
            log.warning("actor lacks a name or kind, skipped %s", kv(entity_id=entity_id))
            return None
        attributes = []
        for stmt in by_prop.get("attribute", ()):
            value = _load(stmt)
            attributes.append(
                Attribute(
                    name=value["name"], value=value["value"], evidence=_optional_evidence(stmt)
                )
            )
        relations = []
        for stmt in by_prop.get("relation", ()):
            value = _load(stmt)
            relations.append(
                Relation(
                    kind=RelationKind(value["kind"]),
                    target=value["target"],
                    evidence=_optional_evidence(stmt),
                )
            )
        return Actor(
            id=entity_id,
            name=name,
            kind=ActorKind(kind),
            aliases=tuple(iter_unique(s.value for s in by_prop.get("alias", ()))),
            country=_first(by_prop, "country"),
            attributes=tuple(iter_unique(attributes)),
            relations=tuple(iter_unique(relations)),
            mentions=tuple(s.evidence for s in by_prop.get("mention", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning(
            "actor statements unreadable, skipped %s", kv(entity_id=entity_id, error=str(exc))
        )
        return None
