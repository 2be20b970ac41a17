"""Our incidents as MUC-4 templates: type mapping and the five role fillers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from threatwatch.eval.templates import ROLES, Entity, Template
from threatwatch.model import AttributionStatus, Incident, IncidentType

TYPE_TO_MUC: Mapping[IncidentType, str] = {
    IncidentType.ATTACK: "attack",
    IncidentType.ARMED_ASSAULT: "attack",
    # MUC-4 has no murder type: the keys turned MUC-3 murders into attacks.
    IncidentType.ASSASSINATION: "attack",
    IncidentType.BOMBING: "bombing",
    # MUC-4 "bombing" covers any explosive device, suicide bombings included.
    IncidentType.SUICIDE_ATTACK: "bombing",
    IncidentType.KIDNAPPING: "kidnapping",
    IncidentType.ARSON: "arson",
    IncidentType.ROBBERY: "robbery",
    IncidentType.FORCED_WORK_STOPPAGE: "forced work stoppage",
}
"""MUC-4 type of each incident type; `plot` is decided by its weapons (see `to_muc_type`)."""

PERP_ORG_STATUSES = frozenset(
    {
        AttributionStatus.CLAIMED,
        AttributionStatus.SUSPECTED,
        AttributionStatus.ACCUSED,
        AttributionStatus.CONFIRMED,
        AttributionStatus.REPORTED,
        AttributionStatus.UNCONFIRMED,
    }
)
"""Attribution statuses that make an actor a PerpOrg filler (MUC keeps POSSIBLE ones too)."""

EXPLOSIVE_WORDS = ("bomb", "explosive", "dynamite", "grenade", "mine", "ied", "tnt", "mortar")


def to_muc_type(incident: Incident) -> str:
    """Return the MUC-4 incident type of one of our incidents.

    A plot becomes a (threatened) bombing when its weapons are explosives, else an attack: the MUC
    keys keep threatened and attempted incidents as templates.
    """
    if incident.type is IncidentType.PLOT:
        weapons = " ".join(incident.weapons).lower()
        return "bombing" if any(w in weapons for w in EXPLOSIVE_WORDS) else "attack"
    return TYPE_TO_MUC.get(incident.type, "attack")


def _entities(strings: Iterable[str]) -> tuple[Entity, ...]:
    seen: list[Entity] = []
    for text in strings:
        entity = (" ".join(text.lower().split()),)
        if entity[0] and entity not in seen:
            seen.append(entity)
    return tuple(seen)


def to_template(incident: Incident) -> Template:
    """Return one incident as a MUC template: lowercase fillers, one mention per entity."""
    actors = [a.actor for a in incident.attributions if a.status in PERP_ORG_STATUSES]
    roles = {
        "PerpInd": _entities(incident.perpetrators),
        "PerpOrg": _entities(actors),
        "Target": _entities(incident.targets),
        "Victim": _entities(incident.victims),
        "Weapon": _entities(incident.weapons),
    }
    return Template(incident_type=to_muc_type(incident), roles={r: roles[r] for r in ROLES})


def to_templates(incidents: Sequence[Incident]) -> list[Template]:
    """Return the MUC templates of incidents, in the same order (one template each)."""
    return [to_template(incident) for incident in incidents]
