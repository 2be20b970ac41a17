"""Hand-built incidents for the eval tests (imported by the test modules)."""

from __future__ import annotations

from typing import Any

from threatwatch.model import (
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DatePrecision,
    DateValue,
    Evidence,
    Incident,
    IncidentType,
    Location,
    Stage,
)

EVIDENCE = Evidence(document_id="doc-x", start=0, end=1, sentence="x", extractor="test.v1")


def make_incident(
    incident_type: IncidentType = IncidentType.ATTACK,
    *,
    attributions: tuple[tuple[str, AttributionStatus], ...] = (),
    casualties: tuple[tuple[str, int, int | None], ...] = (),
    date: str | None = None,
    precision: DatePrecision = DatePrecision.DAY,
    **fields: Any,
) -> Incident:
    """Return an incident with defaults for everything the test does not set."""
    fields.setdefault("stage", Stage.ACCOMPLISHED)
    fields.setdefault("location", Location())
    return Incident(
        id="inc-1",
        type=incident_type,
        date=DateValue(value=date, precision=precision) if date else DateValue.unresolved(),
        description="x",
        attributions=tuple(
            Attribution(
                actor=a, actor_id=f"actor-{a}", status=s, asserted_by="police", evidence=EVIDENCE
            )
            for a, s in attributions
        ),
        casualties=tuple(
            CasualtyClaim(kind=k, min=lo, max=hi, text="x", evidence=EVIDENCE)
            for k, lo, hi in casualties
        ),
        **fields,
    )
