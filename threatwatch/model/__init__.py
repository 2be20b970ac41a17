"""Shared vocabulary of threatwatch: frozen dataclasses and enums, standard library only."""

from threatwatch.model.actor import Actor, ActorKind, Attribute, Relation, RelationKind
from threatwatch.model.document import Document
from threatwatch.model.evidence import Evidence
from threatwatch.model.extraction import Extraction, Issue
from threatwatch.model.geo import distance_km
from threatwatch.model.ids import make_id, stix_id
from threatwatch.model.incident import (
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DatePrecision,
    DateValue,
    Incident,
    IncidentType,
    Location,
    Stage,
    Suspects,
)
from threatwatch.model.screening import (
    FeatureScore,
    ListEntry,
    ListName,
    NameKind,
    ScreeningHit,
    ScreeningQuery,
)
from threatwatch.model.statement import Statement

__all__ = [
    "Actor",
    "ActorKind",
    "Attribute",
    "Attribution",
    "AttributionStatus",
    "CasualtyClaim",
    "DatePrecision",
    "DateValue",
    "Document",
    "Evidence",
    "Extraction",
    "FeatureScore",
    "Incident",
    "IncidentType",
    "Issue",
    "ListEntry",
    "ListName",
    "Location",
    "NameKind",
    "Relation",
    "RelationKind",
    "ScreeningHit",
    "ScreeningQuery",
    "Stage",
    "Statement",
    "Suspects",
    "distance_km",
    "make_id",
    "stix_id",
]
