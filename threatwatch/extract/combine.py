"""Combine the rules' incidents with the learned model's incident type and role fillers.

The learned model (trained on MUC-4) says per document which incident types are present and
marks role fillers: perpetrator individuals and organisations, targets, victims, weapons;
`group_templates` turns that into incidents, one per type cued beside the fillers. The rules find
incidents with dates, places, stages and attributions. Here each learned incident joins the rule
incident of the same type family it shares most sentences with (a generic rule "attack" sharing a
sentence takes the learned, more specific type). On an incident it joins, the model's role
fillers (perpetrators, targets, victims, weapons) replace the rules' ones in text set in capitals
(old wire copy, which the model was trained on and the rules parse poorly); elsewhere they fill
only roles the rules left empty. The rules' dates, places, stage, casualties and attributions
stay.

Who decides which events there are depends on the text. In mixed-case prose the rules do: a
learned incident that no rule incident hosts is added only when the rules found nothing, and
only with role fillers. In text set in capitals the model does: its incidents are added even
without fillers (the type cued in a sentence is the evidence), and when it finds the document
irrelevant, the rules' incidents are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from threatwatch.extract.dates import find_date
from threatwatch.extract.gazetteer import make_actor_id
from threatwatch.extract.learned import (
    LEARNED_EXTRACTOR,
    DocPrediction,
    RoleSpan,
    group_templates,
)
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
    "forced work stoppage": IncidentType.FORCED_WORK_STOPPAGE,
}
"""MUC-4 incident types as ours."""

_FAMILY = {
    IncidentType.ATTACK: IncidentType.ATTACK,
    IncidentType.ARMED_ASSAULT: IncidentType.ATTACK,
    IncidentType.ASSASSINATION: IncidentType.ATTACK,
    IncidentType.BOMBING: IncidentType.BOMBING,
    IncidentType.SUICIDE_ATTACK: IncidentType.BOMBING,
}


def is_wire_capitals(text: str) -> bool:
    """Return whether a text is set in capitals, as old wire copy is (MUC-4): 80% of its letters.

    The statistical parser and so the rules read such text poorly (docs/evaluation.md), while
    the learned model was trained on it.
    """
    letters = [char for char in text[:5_000] if char.isalpha()]
    return len(letters) >= 20 and sum(char.isupper() for char in letters) >= 0.8 * len(letters)


def _family(kind: IncidentType) -> IncidentType:
    return _FAMILY.get(kind, kind)


def combine(
    extraction: Extraction,
    prediction: DocPrediction,
    sentence_of: SentenceOf,
    *,
    threshold: float,
    canonical: Callable[[str], str | None],
) -> Extraction:
    """Return `extraction` with the learned incidents merged in.

    Args:
        extraction: what the rules read from one document.
        prediction: what the learned model says about the same text.
        sentence_of: finds the sentence around a character span of the text.
        threshold: lowest incident-type probability at which the document is relevant.
        canonical: canonical actor name for a gazetteer alias, or None.
    """
    groups = group_templates(prediction, threshold=threshold)
    document = extraction.documents[0]
    model_first = is_wire_capitals(document.text)
    if not groups:
        if model_first and prediction.incident_types and extraction.incidents:
            return replace(extraction, incidents=())  # in capitals the model decides relevance
        return extraction
    incidents = list(extraction.incidents)
    hosted: set[int] = set()
    for group in groups:
        kind = MUC_TYPES.get(group.incident_type)
        if kind is None or not (group.roles or model_first):
            continue
        spans = [(span, sentence_of(span.start, span.end)) for span in group.roles]
        index = _host(incidents, kind, spans, sentence_of, taken=hosted)
        if index is None and extraction.incidents and not model_first:
            continue  # in mixed-case prose the rules decide which events there are
        if index is None:
            if spans:
                anchor = (spans[0][0].start, spans[0][0].end)
                sentences = [bounds for _, bounds in spans]
            else:  # no filler: the sentence cueing the type is the evidence
                cue = _cue_sentence(document, group.incident_type, prediction)
                if cue is None:
                    continue
                anchor, sentences = cue[:2], [cue]
            incidents.append(_new_incident(document, kind, anchor, sentences))
            index = len(incidents) - 1
        elif _family(incidents[index].type) is IncidentType.ATTACK and _family(kind) is not (
            IncidentType.ATTACK
        ):
            incidents[index] = replace(incidents[index], type=kind)
        hosted.add(index)
        if spans:
            incidents[index] = _with_roles(
                incidents[index], document, spans, canonical, model_first=model_first
            )
    return replace(extraction, incidents=tuple(incidents))


def _cue_sentence(
    document: Document, muc_type: str, prediction: DocPrediction
) -> tuple[int, int, str] | None:
    """The first sentence whose words cue `muc_type`, as (start, end, text); None if none does."""
    for sentence in prediction.sentences:
        if muc_type in sentence.cues:
            text = document.text[sentence.start : sentence.end]
            return sentence.start, sentence.end, " ".join(text.split())
    return None


def _host(
    incidents: Sequence[Incident],
    kind: IncidentType,
    spans: Sequence[tuple[RoleSpan, tuple[int, int, str]]],
    sentence_of: SentenceOf,
    *,
    taken: set[int],
) -> int | None:
    """Pick the rule incident a learned incident belongs to, or None.

    The host shares the learned incident's type family and the most sentences with its fillers
    (the first such incident when none shares a sentence). A generic attack (or a plot) sharing
    a sentence also hosts a more specific type, such as kidnapping. An incident hosts only one
    learned incident.
    """
    role_sentences = {bounds[:2] for _, bounds in spans}
    family = _family(kind)
    best: tuple[int, int, int] | None = None
    for number, incident in enumerate(incidents):
        if number in taken:
            continue
        own = _family(incident.type)
        shared = len({sentence_of(e.start, e.end)[:2] for e in incident.evidence} & role_sentences)
        # A plot is a threatened attack or bombing: MUC-4 keys keep those as templates.
        same_family = own is family or (
            own is IncidentType.PLOT and family in (IncidentType.ATTACK, IncidentType.BOMBING)
        )
        generic = own in (IncidentType.ATTACK, IncidentType.PLOT) and not same_family
        if not (same_family or (generic and shared)):
            continue
        score = (int(same_family), shared, -number)
        if best is None or score > best:
            best = score
    return None if best is None else -best[2]


def _evidence(document: Document, start: int, end: int, sentence: str) -> Evidence:
    return Evidence(
        document_id=document.id,
        start=start,
        end=end,
        sentence=sentence,
        extractor=LEARNED_EXTRACTOR,
    )


def _sentence_date(
    document: Document, sentences: Sequence[tuple[int, int, str]]
) -> DateValue | None:
    """The first date phrase in the given sentences, resolved against publication."""
    for sentence in dict.fromkeys(bounds[2] for bounds in sentences):
        found = find_date(sentence, document.published)
        if found is not None:
            return found
    return None


def _new_incident(
    document: Document,
    kind: IncidentType,
    anchor: tuple[int, int],
    sentences: Sequence[tuple[int, int, str]],
) -> Incident:
    """A learned incident of its own, evidenced by `anchor` (a filler or a cue sentence) and
    dated from `sentences` (the first is the anchor's)."""
    start, end = anchor
    return Incident(
        id=make_id("inc", document.id, "learned", start),
        type=kind,
        stage=Stage.ACCOMPLISHED,
        date=_sentence_date(document, sentences) or DateValue.unresolved(),
        location=Location(),
        description=sentences[0][2],
        evidence=(_evidence(document, start, end, sentences[0][2]),),
        document_ids=(document.id,),
    )


def _with_roles(
    incident: Incident,
    document: Document,
    spans: Sequence[tuple[RoleSpan, tuple[int, int, str]]],
    canonical: Callable[[str], str | None],
    *,
    model_first: bool,
) -> Incident:
    """Return `incident` with the learned fillers and perpetrator organisations added.

    With `model_first`, the model's fillers replace the rules' ones; otherwise the rules'
    fillers stay and the model's fill only the roles the rules left empty.
    """

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
                evidence=_evidence(document, span.start, span.end, bounds[2]),
            )
        )

    def fillers(ruled: tuple[str, ...], role: str) -> tuple[str, ...]:
        learned = tuple(dict.fromkeys(texts(role)))
        return learned if model_first else ruled or learned

    dated = incident.date
    if model_first and dated.value is None:
        dated = _sentence_date(document, [bounds for _, bounds in spans]) or dated
    # The rules' attributions, with their statuses, stay in both cases.
    return replace(
        incident,
        date=dated,
        perpetrators=fillers(incident.perpetrators, "PerpInd"),
        targets=fillers(incident.targets, "Target"),
        victims=fillers(incident.victims, "Victim"),
        weapons=fillers(incident.weapons, "Weapon"),
        attributions=tuple(attributions),
        evidence=(
            *incident.evidence,
            *(_evidence(document, s.start, s.end, b[2]) for s, b in spans[:1]),
        ),
    )
