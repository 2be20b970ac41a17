"""Combine the rules' incidents with the learned model's incident type and role fillers.

The learned model (trained on MUC-4) says per document which incident types are present and
marks role fillers: perpetrator individuals and organisations, targets, victims, weapons. The
rules find incidents with dates, places, stages and attributions. Here the role fillers join the
rule incident they share most sentences with (else one of the same type); a relevant document
where the rules found nothing gets one incident from the model alone. The rules' own fillers are
kept beside the model's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from threatwatch.extract.gazetteer import make_actor_id
from threatwatch.extract.learned import LEARNED_EXTRACTOR, DocPrediction, RoleSpan
from threatwatch.model import (
    Attribution,
    AttributionStatus,
    DateValue,
    Document,
    Evidence,
    Extraction,
    Incident,
    IncidentType,
    Location,
    Stage,
    make_id,
)

SentenceOf = Callable[[int, int], tuple[int, int, str]]
"""Maps a character span to (sentence start, sentence end, sentence text)."""

MUC_TYPES: dict[str, IncidentType] = {
    "attack": IncidentType.ATTACK,
    "bombing": IncidentType.BOMBING,
    "kidnapping": IncidentType.KIDNAPPING,
    "arson": IncidentType.ARSON,
    "robbery": IncidentType.ROBBERY,
}
"""MUC-4 incident types as ours; `forced work stoppage` has no counterpart and adds nothing."""

_FAMILY = {
    IncidentType.ATTACK: IncidentType.ATTACK,
    IncidentType.ARMED_ASSAULT: IncidentType.ATTACK,
    IncidentType.ASSASSINATION: IncidentType.ATTACK,
    IncidentType.BOMBING: IncidentType.BOMBING,
    IncidentType.SUICIDE_ATTACK: IncidentType.BOMBING,
}


def best_type(prediction: DocPrediction, threshold: float) -> IncidentType | None:
    """Return the most probable incident type when it reaches `threshold`, else None."""
    if not prediction.incident_types:
        return None
    label, probability = max(prediction.incident_types.items(), key=lambda item: item[1])
    if probability < threshold:
        return None
    return MUC_TYPES.get(label)


def combine(
    extraction: Extraction,
    prediction: DocPrediction,
    sentence_of: SentenceOf,
    *,
    threshold: float,
    canonical: Callable[[str], str | None],
) -> Extraction:
    """Return `extraction` with the learned roles added (and an incident when the rules had none).

    Args:
        extraction: what the rules read from one document.
        prediction: what the learned model says about the same text.
        sentence_of: finds the sentence around a character span of the text.
        threshold: lowest incident-type probability at which the document is relevant.
        canonical: canonical actor name for a gazetteer alias, or None.
    """
    kind = best_type(prediction, threshold)
    if kind is None or not prediction.roles:
        return extraction
    document = extraction.documents[0]
    spans = [(span, sentence_of(span.start, span.end)) for span in prediction.roles]
    incidents = list(extraction.incidents)
    if not incidents:
        incidents.append(_new_incident(document, kind, spans))
    index = _host(incidents, kind, spans, sentence_of)
    if index is None:
        # The rules found incidents and none shares a sentence or a type with these roles:
        # they describe something the rules did not see as an event, so they are left out.
        return extraction
    incidents[index] = _with_roles(incidents[index], document, spans, canonical)
    return replace(extraction, incidents=tuple(incidents))


def _host(
    incidents: Sequence[Incident],
    kind: IncidentType,
    spans: Sequence[tuple[RoleSpan, tuple[int, int, str]]],
    sentence_of: SentenceOf,
) -> int | None:
    """Pick the rule incident the roles belong to: most shared sentences, then same type."""
    if not incidents:
        return None
    role_sentences = {bounds[:2] for _, bounds in spans}
    best: tuple[int, int, int] | None = None
    for number, incident in enumerate(incidents):
        sentences = {sentence_of(e.start, e.end)[:2] for e in incident.evidence}
        shared = len(sentences & role_sentences)
        same_type = int(_FAMILY.get(incident.type, incident.type) == _FAMILY.get(kind, kind))
        score = (shared, same_type, -number)
        if best is None or score > best:
            best = score
    assert best is not None
    shared, same_type, negative = best
    return -negative if shared or same_type else None


def _evidence(document: Document, span: RoleSpan, bounds: tuple[int, int, str]) -> Evidence:
    return Evidence(
        document_id=document.id,
        start=span.start,
        end=span.end,
        sentence=bounds[2],
        extractor=LEARNED_EXTRACTOR,
    )


def _new_incident(
    document: Document, kind: IncidentType, spans: Sequence[tuple[RoleSpan, tuple[int, int, str]]]
) -> Incident:
    first, bounds = spans[0]
    return Incident(
        id=make_id("inc", document.id, "learned", first.start),
        type=kind,
        stage=Stage.ACCOMPLISHED,
        date=DateValue.unresolved(),
        location=Location(),
        description=bounds[2],
        evidence=(_evidence(document, first, bounds),),
        document_ids=(document.id,),
    )


def _with_roles(
    incident: Incident,
    document: Document,
    spans: Sequence[tuple[RoleSpan, tuple[int, int, str]]],
    canonical: Callable[[str], str | None],
) -> Incident:
    def texts(role: str) -> tuple[str, ...]:
        return tuple(" ".join(s.text.split()) for s, _ in spans if s.role == role)

    known = {a.actor for a in incident.attributions}
    attributions = list(incident.attributions)
    for span, bounds in spans:
        if span.role != "PerpOrg":
            continue
        name = canonical(span.text) or " ".join(span.text.split())
        if name in known:
            continue
        known.add(name)
        attributions.append(
            Attribution(
                actor=name,
                actor_id=make_actor_id(name),
                status=AttributionStatus.REPORTED,
                asserted_by=document.publisher or "reporting source",
                evidence=_evidence(document, span, bounds),
            )
        )
    return replace(
        incident,
        perpetrators=tuple(dict.fromkeys((*incident.perpetrators, *texts("PerpInd")))),
        targets=tuple(dict.fromkeys((*incident.targets, *texts("Target")))),
        victims=tuple(dict.fromkeys((*incident.victims, *texts("Victim")))),
        weapons=tuple(dict.fromkeys((*incident.weapons, *texts("Weapon")))),
        attributions=tuple(attributions),
        evidence=(*incident.evidence, *(_evidence(document, s, b) for s, b in spans[:1])),
    )
