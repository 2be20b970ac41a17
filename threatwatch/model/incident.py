"""Incident and what is said about it: date, place, casualties, suspects, attributions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from threatwatch.model.evidence import Evidence


class IncidentType(StrEnum):
    """What happened; MUC-4 types plus the finer ones the seed reporting needs."""

    ATTACK = "attack"
    BOMBING = "bombing"
    SUICIDE_ATTACK = "suicide_attack"
    ARMED_ASSAULT = "armed_assault"
    KIDNAPPING = "kidnapping"
    ARSON = "arson"
    ASSASSINATION = "assassination"
    ROBBERY = "robbery"
    PLOT = "plot"
    FORCED_WORK_STOPPAGE = "forced_work_stoppage"
    """A strike imposed by threat ("armed strike"), such as a transport stoppage ordered by a
    rebel group; a MUC-4 type."""


class Stage(StrEnum):
    """How far the incident got."""

    ACCOMPLISHED = "accomplished"
    ATTEMPTED = "attempted"
    FOILED = "foiled"
    THREATENED = "threatened"
    PLANNED = "planned"


class AttributionStatus(StrEnum):
    """What the asserting party says about an actor's responsibility."""

    CLAIMED = "claimed"
    SUSPECTED = "suspected"
    ACCUSED = "accused"
    CONFIRMED = "confirmed"
    DENIED = "denied"
    UNCONFIRMED = "unconfirmed"
    REPORTED = "reported"


class DatePrecision(StrEnum):
    """How much of a date is known; `unresolved` means no date is given and none is guessed."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True, kw_only=True)
class DateValue:
    """A date known to some precision; `value` is ISO (YYYY, YYYY-MM or YYYY-MM-DD) or None."""

    value: str | None
    precision: DatePrecision
    text: str | None = None
    """The words the date was read from, e.g. `last year`."""

    @classmethod
    def unresolved(cls, text: str | None = None) -> DateValue:
        """Return a date that is explicitly not known."""
        return cls(value=None, precision=DatePrecision.UNRESOLVED, text=text)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {"value": self.value, "precision": str(self.precision), "text": self.text}


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where something happened; `country` is an ISO 3166-1 alpha-2 code."""

    place: str | None = None
    admin1: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: str = "unknown"
    """One of `place`, `admin1`, `country`, `unknown`."""

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "place": self.place,
            "admin1": self.admin1,
            "country": self.country,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "precision": self.precision,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class CasualtyClaim:
    """One source's figure for the killed or wounded: `more than 1,300` gives min 1301, max None."""

    kind: str
    """`killed`, `wounded` or `casualties` (killed and wounded together)."""
    min: int | None
    max: int | None
    text: str
    evidence: Evidence
    asserted_by: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "kind": self.kind,
            "min": self.min,
            "max": self.max,
            "text": self.text,
            "asserted_by": self.asserted_by,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Suspects:
    """People held or named as suspects: how many, of which nationality, and their names."""

    count: int | None
    nationality: str | None
    """ISO 3166-1 alpha-2 code of the country the suspects are nationals of."""
    names: tuple[str, ...]
    evidence: Evidence

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "count": self.count,
            "nationality": self.nationality,
            "names": list(self.names),
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribution:
    """Who (`asserted_by`) says that `actor` bears responsibility, and how (`status`)."""

    actor: str
    """Canonical actor name."""
    actor_id: str
    status: AttributionStatus
    asserted_by: str
    evidence: Evidence

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "actor": self.actor,
            "actor_id": self.actor_id,
            "status": str(self.status),
            "asserted_by": self.asserted_by,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    """An attack, plot or other event, with everything the sources say about it."""

    id: str
    type: IncidentType
    stage: Stage
    date: DateValue
    location: Location
    description: str
    """The sentence that reports the incident (from its first source)."""
    targets: tuple[str, ...] = ()
    victims: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    """Perpetrator individuals as written ("gunmen", a name), apart from attributed actors."""
    casualties: tuple[CasualtyClaim, ...] = ()
    suspects: tuple[Suspects, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    document_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form of the extract contract."""
        return {
            "id": self.id,
            "type": str(self.type),
            "stage": str(self.stage),
            "date": self.date.to_dict(),
            "location": self.location.to_dict(),
            "description": self.description,
            "targets": list(self.targets),
            "victims": list(self.victims),
            "weapons": list(self.weapons),
            "perpetrators": list(self.perpetrators),
            "casualties": [c.to_dict() for c in self.casualties],
            "suspects": [s.to_dict() for s in self.suspects],
            "attributions": [a.to_dict() for a in self.attributions],
            "evidence": [e.to_dict() for e in self.evidence],
            "document_ids": list(self.document_ids),
        }
