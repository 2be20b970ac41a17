"""The threat brief: everything the sources say about one actor or one country, with citations.

A `Brief` is plain data ready for rendering (see `threatwatch.analyse.render`). Every fact in it
points at numbered citations, and each citation holds the exact sentence the fact came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pycountry

from threatwatch.analyse.stats import CasualtyRange, Summary, make_casualty_ranges, make_summary
from threatwatch.analyse.timeline import Timeline, make_timeline, to_date_key, to_date_label
from threatwatch.errors import InputError
from threatwatch.logs import get_logger, kv
from threatwatch.model import (
    Actor,
    Attribution,
    Document,
    Evidence,
    Incident,
    RelationKind,
    Statement,
    Suspects,
)

log = get_logger(__name__)

SECTION_TITLES = {
    "Facility": "Facilities",
    "Warning": "Warnings",
    "ThreatLevelChange": "Threat-level changes",
    "Statistic": "Reported statistics",
}
"""Statement schemas shown as brief sections, in this order; other schemas follow by name."""

MODEL_SCHEMAS = frozenset({"Incident", "Actor"})
"""Schemas whose statements the brief shows through the Incident and Actor objects instead."""

EN_DASH = "\u2013"
"""The dash between the ends of a range."""

_SHORT_COUNTRY_NAMES = {
    "RU": "Russia",
    "CD": "DR Congo",
    "PS": "Palestine",
}
"""Names in common use where pycountry has only the formal one."""

_SYMMETRIC_RELATIONS = frozenset({RelationKind.RIVAL_OF})
"""Relations that read the same both ways round."""

_TITLE_PROPS = ("name", "metric", "kind", "issuer", "subject", "actor", "country", "region")
_COUNTRY_PROPS = ("country", "nationality")


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """Source `number` of a brief: the document's metadata and the exact sentence cited."""

    number: int
    document_id: str
    sentence: str
    publisher: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    extractor: str = ""

    @property
    def is_sample(self) -> bool:
        """Return True when the document is labelled as sample data by its publisher."""
        return self.publisher is not None and "sample" in self.publisher.casefold()


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """`label`: `value`, backed by the citations numbered in `citations`."""

    label: str
    value: str
    citations: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """Who or what the brief is about."""

    name: str
    kind: str
    """An actor kind (`armed_group`, ...) or `country`."""
    aliases: tuple[str, ...] = ()
    country: str | None = None
    """ISO code: the country of a state actor, or the subject of a country brief."""
    attributes: tuple[Fact, ...] = ()
    relations: tuple[Fact, ...] = ()
    """The subject's own relations: label `Affiliate of`, value `ISIS`."""
    related: tuple[Fact, ...] = ()
    """Other actors' relations to the subject: label `Taliban`, value `rival of ISIS-K`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributionCell:
    """One attribution of an incident as a brief shows it: the same actor, status and asserting
    party reported by several sentences make one cell citing them all."""

    actor: str
    status: str
    asserted_by: str
    citations: tuple[int, ...]
    is_subject: bool
    """True when the actor is the subject of the brief."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyCell:
    """An incident's casualty range of one kind, labelled like `133-145 killed` (with an en dash)."""

    kind: str
    min: int
    max: int | None
    label: str
    citations: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentRow:
    """One incident as a row of the brief's table."""

    incident_id: str
    date: str
    """The date at its own precision, or `date unknown`."""
    dated: bool
    type: str
    stage: str
    place: str
    country: str | None
    description: str
    attributions: tuple[AttributionCell, ...]
    casualties: tuple[CasualtyCell, ...]
    details: tuple[Fact, ...]
    """Suspects, targets and weapons."""
    sources: int
    """How many documents report the incident."""
    citations: tuple[int, ...]
    """The sentences that report the incident itself."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementGroup:
    """The statements about one entity of a schema (one warning, one facility...)."""

    entity_id: str
    title: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementSection:
    """All groups of one statement schema."""

    schema: str
    title: str
    groups: tuple[StatementGroup, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Brief:
    """A threat brief on one actor or country, ready to render."""

    subject: str
    subject_kind: str
    """`actor` or `country`."""
    generated_at: datetime
    profile: Profile
    key_points: tuple[str, ...]
    summary: Summary
    timeline: Timeline
    incidents: tuple[IncidentRow, ...]
    """Dated incidents in timeline order, then undated ones."""
    sections: tuple[StatementSection, ...]
    citations: tuple[Citation, ...]

    @property
    def is_sample(self) -> bool:
        """Return True when any cited document is labelled as sample data."""
        return any(citation.is_sample for citation in self.citations)


class _CitationBook:
    """Hands out citation numbers in order of first use, one per (document, sentence)."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self._documents = documents
        self._numbers: dict[tuple[str, str], int] = {}
        self.citations: list[Citation] = []

    def cite(self, evidence: Evidence) -> int:
        key = (evidence.document_id, evidence.sentence)
        number = self._numbers.get(key)
        if number is not None:
            return number
        number = len(self.citations) + 1
        self._numbers[key] = number
        document = self._documents.get(evidence.document_id)
        if document is None:
            log.warning("cited document not given %s", kv(document_id=evidence.document_id))
        self.citations.append(
            Citation(
                number=number,
                document_id=evidence.document_id,
                sentence=evidence.sentence,
                publisher=document.publisher if document else None,
                published=document.published if document else None,
                title=document.title if document else None,
                url=document.url if document else None,
                extractor=evidence.extractor,
            )
        )
        return number

    def cite_all(self, evidence: Iterable[Evidence | None]) -> tuple[int, ...]:
        numbers = [self.cite(item) for item in evidence if item is not None]
        return tuple(dict.fromkeys(numbers))


def make_brief(
    *,
    subject: Actor,
    incidents: Sequence[Incident],
    actors: Sequence[Actor],
    statements: Sequence[Statement],
    documents: Mapping[str, Document],
    generated_at: datetime,
) -> Brief:
    """Make the brief on actor `subject`.

    Args:
        subject: The actor the brief is about.
        incidents: Candidate incidents; the brief keeps those attributed to the subject (under any
            status, including `denied`) or naming it among the perpetrators.
        actors: Every known actor, for the relations other actors hold to the subject.
        statements: Candidate statements; the brief keeps groups that name the subject.
        documents: The cited documents by ID, for publisher, date and title.
        generated_at: When the brief is made (timezone-aware).
    """
    _check_aware(generated_at)
    names = _name_pattern([subject.name, *subject.aliases])
    subject_ids = {subject.id}
    selected = [incident for incident in incidents if _involves(incident, subject, names)]
    for incident in selected:
        subject_ids.update(
            attribution.actor_id
            for attribution in incident.attributions
            if _is_subject_name(attribution.actor, subject)
        )
    book = _CitationBook(documents)
    profile = _make_actor_profile(subject, actors, book)
    timeline = make_timeline(selected)
    rows = _make_rows(timeline, subject_ids, book)
    summary = make_summary(selected, actor_ids=subject_ids, current_year=generated_at.year)
    sections = _make_sections(
        statements, lambda group: _group_mentions(group, names, subject_ids), book
    )
    return Brief(
        subject=subject.name,
        subject_kind="actor",
        generated_at=generated_at,
        profile=profile,
        key_points=_make_key_points(summary, subject.name, timeline, rows),
        summary=summary,
        timeline=timeline,
        incidents=rows,
        sections=sections,
        citations=tuple(book.citations),
    )


def make_country_brief(
    country: str,
    *,
    incidents: Sequence[Incident],
    actors: Sequence[Actor],
    statements: Sequence[Statement],
    documents: Mapping[str, Document],
    generated_at: datetime,
) -> Brief:
    """Make the brief on the incidents located in `country` (ISO code or English name).

    Raises:
        InputError: `country` is not a known country.
    """
    _check_aware(generated_at)
    code, name = _lookup_country(country)
    names = _name_pattern(_country_names(code))
    selected = [
        incident for incident in incidents if (incident.location.country or "").upper() == code
    ]
    book = _CitationBook(documents)
    related = _make_related(
        [actor for actor in actors if actor.country != code],
        lambda target: target.upper() == code or bool(names.fullmatch(target)),
        book,
    )
    profile = Profile(name=name, kind="country", country=code, related=related)
    timeline = make_timeline(selected)
    rows = _make_rows(timeline, set(), book)
    summary = make_summary(selected, current_year=generated_at.year)

    def mentions_country(group: Sequence[Statement]) -> bool:
        return any(
            statement.value.strip().upper() == code
            or bool(names.search(statement.value))
            or bool(names.search(statement.evidence.sentence))
            for statement in group
        )

    sections = _make_sections(statements, mentions_country, book)
    return Brief(
        subject=name,
        subject_kind="country",
        generated_at=generated_at,
        profile=profile,
        key_points=_make_key_points(summary, None, timeline, rows),
        summary=summary,
        timeline=timeline,
        incidents=rows,
        sections=sections,
        citations=tuple(book.citations),
    )


def to_casualty_label(item: CasualtyRange) -> str:
    """Return `145 killed`, `133-145 killed` (en dash), `up to 10 wounded` or `at least 1,301 ...`."""
    if item.max is None:
        return f"at least {item.min:,} {item.kind}"
    if item.min == item.max:
        return f"{item.min:,} {item.kind}"
    if item.min == 0:
        return f"up to {item.max:,} {item.kind}"
    return f"{item.min:,}{EN_DASH}{item.max:,} {item.kind}"


def to_country_name(code: str | None) -> str:
    """Return the common English name of an ISO country code, or the code itself if unknown."""
    if not code:
        return "unknown country"
    if code.upper() in _SHORT_COUNTRY_NAMES:
        return _SHORT_COUNTRY_NAMES[code.upper()]
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def to_label(value: str) -> str:
    """Return a vocabulary value as words: `suicide_attack` -> `suicide attack`."""
    return value.replace("_", " ")


def _check_aware(generated_at: datetime) -> None:
    if generated_at.tzinfo is None:
        raise ValueError(f"generated_at must be timezone-aware, got {generated_at!r}")


def _lookup_country(country: str) -> tuple[str, str]:
    """Return (ISO code, name) of a code or name."""
    try:
        found = pycountry.countries.lookup(country.strip())
    except LookupError:
        raise InputError(
            f"Unknown country {country!r}; give an ISO 3166-1 code such as 'AF' or a name "
            "such as 'Afghanistan'",
            {"country": country},
        ) from None
    code = str(found.alpha_2)
    return code, to_country_name(code)


def _country_names(code: str) -> list[str]:
    country = pycountry.countries.get(alpha_2=code)
    names = [
        getattr(country, attribute, None) for attribute in ("name", "common_name", "official_name")
    ]
    return [str(name) for name in names if name]


def _name_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """Return a pattern finding any of `names` as a whole name (`ISIS` does not match `ISIS-K`)."""
    alternatives = sorted({name for name in names if name.strip()}, key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!)")
    body = "|".join(re.escape(name) for name in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _is_subject_name(name: str, subject: Actor) -> bool:
    wanted = {subject.name.casefold(), *(alias.casefold() for alias in subject.aliases)}
    return name.casefold() in wanted


def _involves(incident: Incident, subject: Actor, names: re.Pattern[str]) -> bool:
    return any(
        attribution.actor_id == subject.id or _is_subject_name(attribution.actor, subject)
        for attribution in incident.attributions
    ) or any(names.fullmatch(perpetrator) for perpetrator in incident.perpetrators)


def _group_mentions(
    group: Sequence[Statement], names: re.Pattern[str], subject_ids: set[str]
) -> bool:
    return any(
        statement.entity_id in subject_ids
        or statement.value in subject_ids
        or bool(names.search(statement.value))
        or bool(names.search(statement.evidence.sentence))
        for statement in group
    )


def _make_actor_profile(subject: Actor, actors: Sequence[Actor], book: _CitationBook) -> Profile:
    attributes = _merge_facts(
        (to_label(attribute.name).capitalize(), attribute.value, attribute.evidence)
        for attribute in subject.attributes
    )
    relations = _merge_facts(
        (to_label(relation.kind).capitalize(), relation.target, relation.evidence)
        for relation in subject.relations
    )
    # Cite in reading order: the subject's own attributes and relations, then other actors'.
    cited_attributes = _cite_facts(attributes, book)
    cited_relations = _cite_facts(relations, book)
    subject_names = _name_pattern([subject.name, *subject.aliases])
    related = _make_related(
        [actor for actor in actors if actor.id != subject.id],
        lambda target: target == subject.id or bool(subject_names.fullmatch(target)),
        book,
        subject.name,
        held={
            (str(relation.kind), relation.target.casefold())
            for relation in subject.relations
            if relation.kind in _SYMMETRIC_RELATIONS
        },
    )
    return Profile(
        name=subject.name,
        kind=str(subject.kind),
        aliases=tuple(alias for alias in subject.aliases if alias != subject.name),
        country=subject.country,
        attributes=cited_attributes,
        relations=cited_relations,
        related=related,
    )


def _make_related(
    actors: Sequence[Actor],
    is_subject: Callable[[str], bool],
    book: _CitationBook,
    subject_name: str | None = None,
    held: Collection[tuple[str, str]] = (),
) -> tuple[Fact, ...]:
    """Return other actors' relations that point at the subject, as `actor`: `kind subject`.

    `held` lists (symmetric kind, casefolded actor name) pairs that the subject's own relations
    already show.
    """
    found = []
    for actor in sorted(actors, key=lambda actor: actor.name.casefold()):
        for relation in actor.relations:
            if (str(relation.kind), actor.name.casefold()) in held:
                # "A rival of B" and "B rival of A" say one thing; the profile already shows it.
                continue
            if is_subject(relation.target):
                value = to_label(relation.kind)
                if subject_name:
                    value = f"{value} {subject_name}"
                found.append((actor.name, value, relation.evidence))
    return _cite_facts(_merge_facts(found), book)


def _merge_facts(
    items: Iterable[tuple[str, str, Evidence | None]],
) -> dict[tuple[str, str], list[Evidence]]:
    """Group evidence by (label, value), keeping first-seen order."""
    merged: dict[tuple[str, str], list[Evidence]] = {}
    for label, value, evidence in items:
        merged.setdefault((label, value), [])
        if evidence is not None:
            merged[(label, value)].append(evidence)
    return merged


def _cite_facts(
    merged: Mapping[tuple[str, str], Sequence[Evidence]], book: _CitationBook
) -> tuple[Fact, ...]:
    return tuple(
        Fact(label=label, value=value, citations=book.cite_all(evidence))
        for (label, value), evidence in merged.items()
    )


def _make_rows(
    timeline: Timeline, subject_ids: set[str], book: _CitationBook
) -> tuple[IncidentRow, ...]:
    return tuple(
        _make_row(incident, subject_ids, book) for incident in (*timeline.dated, *timeline.undated)
    )


def _make_row(incident: Incident, subject_ids: set[str], book: _CitationBook) -> IncidentRow:
    citations = book.cite_all(incident.evidence)
    grouped: dict[tuple[str, str, str], list[Attribution]] = {}
    for attribution in incident.attributions:
        key = (attribution.actor, str(attribution.status), attribution.asserted_by)
        grouped.setdefault(key, []).append(attribution)
    attributions = tuple(
        AttributionCell(
            actor=actor,
            status=status,
            asserted_by=asserted_by,
            citations=book.cite_all(attribution.evidence for attribution in group),
            is_subject=any(attribution.actor_id in subject_ids for attribution in group),
        )
        for (actor, status, asserted_by), group in grouped.items()
    )
    casualties = tuple(
        CasualtyCell(
            kind=item.kind,
            min=item.min,
            max=item.max,
            label=to_casualty_label(item),
            citations=book.cite_all(claim.evidence for claim in item.claims),
        )
        for item in make_casualty_ranges(incident.casualties)
    )
    details: list[Fact] = []
    for suspects in incident.suspects:
        details.append(
            Fact(
                label="Suspects",
                value=_describe_suspects(suspects),
                citations=(book.cite(suspects.evidence),),
            )
        )
    if incident.targets:
        details.append(Fact(label="Targets", value=", ".join(incident.targets)))
    if incident.weapons:
        details.append(Fact(label="Weapons", value=", ".join(incident.weapons)))
    documents = {
        *incident.document_ids,
        *(evidence.document_id for evidence in incident.evidence),
        *(attribution.evidence.document_id for attribution in incident.attributions),
        *(claim.evidence.document_id for claim in incident.casualties),
    }
    return IncidentRow(
        incident_id=incident.id,
        date=to_date_label(incident.date),
        dated=to_date_key(incident.date) is not None,
        type=to_label(incident.type),
        stage=str(incident.stage),
        place=_describe_place(incident),
        country=incident.location.country,
        description=incident.description,
        attributions=attributions,
        casualties=casualties,
        details=tuple(details),
        sources=len(documents),
        citations=citations,
    )


def _describe_place(incident: Incident) -> str:
    location = incident.location
    parts = [location.place, location.admin1]
    if location.country:
        parts.append(to_country_name(location.country))
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen) or "place unknown"


def _describe_suspects(suspects: Suspects) -> str:
    text = f"{suspects.count}" if suspects.count is not None else "suspects"
    if suspects.count is not None:
        text += " suspect" if suspects.count == 1 else " suspects"
    if suspects.nationality:
        text += f", nationals of {to_country_name(suspects.nationality)}"
    if suspects.names:
        text += ": " + ", ".join(suspects.names)
    return text


def _make_sections(
    statements: Sequence[Statement],
    is_relevant: Callable[[Sequence[Statement]], bool],
    book: _CitationBook,
) -> tuple[StatementSection, ...]:
    """Group statements by (schema, entity) and keep the relevant groups, one section a schema."""
    groups: dict[tuple[str, str], list[Statement]] = {}
    for statement in statements:
        if statement.schema in MODEL_SCHEMAS:
            continue
        groups.setdefault((statement.schema, statement.entity_id), []).append(statement)
    by_schema: dict[str, list[StatementGroup]] = {}
    for (schema, entity_id), group in groups.items():
        if not is_relevant(group):
            continue
        merged = _merge_facts(
            (statement.prop, _format_value(statement.prop, statement.value), statement.evidence)
            for statement in group
        )
        by_schema.setdefault(schema, []).append(
            StatementGroup(
                entity_id=entity_id,
                title=_group_title(schema, group),
                facts=_cite_facts(
                    {(to_label(prop), value): ev for (prop, value), ev in merged.items()}, book
                ),
            )
        )
    ordered = [schema for schema in SECTION_TITLES if schema in by_schema]
    ordered += sorted(schema for schema in by_schema if schema not in SECTION_TITLES)
    return tuple(
        StatementSection(
            schema=schema,
            title=SECTION_TITLES.get(schema) or _split_camel(schema),
            groups=tuple(by_schema[schema]),
        )
        for schema in ordered
    )


def _group_title(schema: str, group: Sequence[Statement]) -> str:
    values = {statement.prop: statement.value for statement in reversed(group)}
    for prop in _TITLE_PROPS:
        if prop in values:
            return _format_value(prop, values[prop])
    return _split_camel(schema)


def _format_value(prop: str, value: str) -> str:
    """Return a statement value for reading: JSON made flat, country codes named."""
    text = value.strip()
    if text[:1] in "{[":
        try:
            parsed = json.loads(text)
        except ValueError:
            return value
        return _flatten(parsed)
    if any(word in prop for word in _COUNTRY_PROPS) and re.fullmatch(r"[A-Za-z]{2}", text):
        name = to_country_name(text)
        return f"{name} ({text.upper()})" if name != text else text
    if re.fullmatch(r"[a-z]+(?:_[a-z]+)+", text):
        # A vocabulary term such as `training_camp` reads better as words.
        return to_label(text)
    return value


def _flatten(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(
            f"{to_label(str(key))}: {_flatten(item)}"
            for key, item in value.items()
            if item not in (None, "", [], {})
        )
    if isinstance(value, list):
        return ", ".join(_flatten(item) for item in value)
    return str(value)


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def _make_key_points(
    summary: Summary, subject: str | None, timeline: Timeline, rows: Sequence[IncidentRow]
) -> tuple[str, ...]:
    """Return short count-based statements for the top of the brief."""
    if not summary.incidents:
        return ("No incidents in the sources.",)
    points = []
    first = next((row.date for row in rows if row.dated), None)
    last = next((row.date for row in reversed(rows) if row.dated), None)
    span = f" from {first} to {last}" if first and last and first != last else ""
    span = f" in {first}" if first and first == last else span
    points.append(
        f"{_plural(summary.incidents, 'incident')} in these sources{span}"
        + (f"; {summary.undated} with no known date" if summary.undated else "")
        + "."
    )
    points.append(
        "By stage: " + ", ".join(f"{count} {stage}" for stage, count in summary.by_stage) + "."
    )
    if subject is not None and summary.by_status:
        points.append(
            f"Attributions to {subject}: "
            + ", ".join(f"{count} {status}" for status, count in summary.by_status)
            + "."
        )
        others = sorted(
            {
                f"{cell.actor} ({cell.status}, per {cell.asserted_by})"
                for row in rows
                for cell in row.attributions
                if not cell.is_subject
            }
        )
        if others:
            points.append("Also named for the same incidents: " + "; ".join(others) + ".")
    elif summary.by_actor:
        points.append(
            "Actors named: "
            + ", ".join(f"{actor} ({count})" for actor, count in summary.by_actor)
            + "."
        )
    countries = [
        f"{to_country_name(code) if code != 'unknown' else 'unknown'} ({count})"
        for code, count in summary.by_country
    ]
    if subject is not None:
        points.append("Countries: " + ", ".join(countries) + ".")
    if summary.casualties:
        covered = max(item.incidents for item in summary.casualties)
        points.append(
            f"Reported toll over {_plural(covered, 'incident')} with figures: "
            + ", ".join(to_casualty_label(item) for item in summary.casualties)
            + " (each incident counted once, from the lowest to the highest figure any source "
            "gives)."
        )
    trend = summary.trend
    if trend is not None:
        note = f"; {trend.year} is not over" if trend.partial else ""
        points.append(
            f"Trend: {_plural(trend.count, 'incident')} in {trend.year} against "
            f"{trend.previous_count} in {trend.previous_year} ({trend.direction}{note})."
        )
    if timeline.year_only:
        points.append(
            f"{_plural(timeline.year_only, 'incident')} known only to the year "
            "(not in the monthly chart)."
        )
    return tuple(points)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
