"""Statement: one claim about one entity, with the evidence it came from."""

from __future__ import annotations

from dataclasses import dataclass

from threatwatch.model.evidence import Evidence
from threatwatch.model.ids import make_id


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """`entity_id` has `prop` = `value`, says `evidence` (FtM's Statement, with offsets).

    `schema` names the kind of entity (Incident, Actor, Warning, ThreatLevelChange, Statistic,
    Facility). Structured values (an attribution, a casualty range) are JSON text in `value`.
    """

    entity_id: str
    schema: str
    prop: str
    value: str
    evidence: Evidence
    original_value: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            key = make_id(
                "stmt",
                self.entity_id,
                self.prop,
                self.value,
                self.evidence.document_id,
                self.evidence.start,
                self.evidence.end,
            )
            object.__setattr__(self, "id", key)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "id": self.id,
            "entity_id": self.entity_id,
            "schema": self.schema,
            "prop": self.prop,
            "value": self.value,
            "original_value": self.original_value,
            "evidence": self.evidence.to_dict(),
        }
