"""Our incidents as MUC-4 templates."""

from __future__ import annotations

from threatwatch.eval.mapping import to_templates
from threatwatch.model import AttributionStatus, IncidentType

from .incidents import make_incident


def test_to_templates_maps_types_to_muc() -> None:
    cases = {
        IncidentType.ATTACK: "attack",
        IncidentType.ARMED_ASSAULT: "attack",
        IncidentType.ASSASSINATION: "attack",
        IncidentType.BOMBING: "bombing",
        IncidentType.SUICIDE_ATTACK: "bombing",
        IncidentType.KIDNAPPING: "kidnapping",
        IncidentType.ARSON: "arson",
        IncidentType.ROBBERY: "robbery",
    }
    templates = to_templates([make_incident(t) for t in cases])
    assert [t.incident_type for t in templates] == list(cases.values())


def test_to_templates_plot_type_follows_weapons() -> None:
    bomb_plot = make_incident(IncidentType.PLOT, weapons=("Car Bomb",))
    gun_plot = make_incident(IncidentType.PLOT, weapons=("rifles",))
    assert [t.incident_type for t in to_templates([bomb_plot, gun_plot])] == ["bombing", "attack"]


def test_to_templates_fills_roles_lowercase_without_duplicates() -> None:
    incident = make_incident(
        perpetrators=("Gunmen", "gunmen"),
        targets=("Ossa Bridge",),
        victims=("Ana Vero",),
        weapons=("AK-47",),
        attributions=(
            ("Red Hand Front", AttributionStatus.CLAIMED),
            ("Blue Column", AttributionStatus.DENIED),
            ("Green Cell", AttributionStatus.UNCONFIRMED),
        ),
    )
    (template,) = to_templates([incident])
    assert template.entities("PerpInd") == (("gunmen",),)
    assert template.entities("PerpOrg") == (("red hand front",), ("green cell",))
    assert template.entities("Target") == (("ossa bridge",),)
    assert template.entities("Victim") == (("ana vero",),)
    assert template.entities("Weapon") == (("ak-47",),)
