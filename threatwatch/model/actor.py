"""Actor: an armed group, person, state, organisation or population, with aliases and relations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from threatwatch.model.evidence import Evidence


class ActorKind(StrEnum):
    """What sort of actor this is."""

    ARMED_GROUP = "armed_group"
    PERSON = "person"
    STATE = "state"
    ORGANISATION = "organisation"
    POPULATION = "population"


class RelationKind(StrEnum):
    """How one actor stands to another (or to a place, for `operates_in`)."""

    AFFILIATE_OF = "affiliate_of"
    RIVAL_OF = "rival_of"
    MEMBER_OF = "member_of"
    LEADS = "leads"
    OPERATES_IN = "operates_in"


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """`kind` from the owning actor to `target` (a canonical actor name or a place)."""

    kind: RelationKind
    target: str
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "kind": str(self.kind),
            "target": self.target,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribute:
    """One attribute of an actor (`founded`, `base_region`, `aims`, `nationality`) and its source."""

    name: str
    value: str
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "name": self.name,
            "value": self.value,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """An actor with its canonical name; `aliases` holds every other name it is known by."""

    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    country: str | None = None
    """ISO code for states and populations (Ukraine -> UA, Tajik -> TJ)."""
    attributes: tuple[Attribute, ...] = ()
    relations: tuple[Relation, ...] = ()
    mentions: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": str(self.kind),
            "aliases": list(self.aliases),
            "country": self.country,
            "attributes": [a.to_dict() for a in self.attributes],
            "relations": [r.to_dict() for r in self.relations],
            "mentions": len(self.mentions),
        }
