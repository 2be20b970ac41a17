"""Word lists the rules read: event triggers, cues of attribution, weapons, perpetrators."""

from __future__ import annotations

from threatwatch.model import AttributionStatus, IncidentType

TRIGGER_NOUNS: dict[str, IncidentType] = {
    "attack": IncidentType.ATTACK,
    "bombing": IncidentType.BOMBING,
    "blast": IncidentType.BOMBING,
    "explosion": IncidentType.BOMBING,
    "shooting": IncidentType.ARMED_ASSAULT,
    "massacre": IncidentType.ARMED_ASSAULT,
    "assault": IncidentType.ARMED_ASSAULT,
    "ambush": IncidentType.ARMED_ASSAULT,
    "rampage": IncidentType.ARMED_ASSAULT,
    "siege": IncidentType.ARMED_ASSAULT,
    "kidnapping": IncidentType.KIDNAPPING,
    "abduction": IncidentType.KIDNAPPING,
    "hostage-taking": IncidentType.KIDNAPPING,
    "arson": IncidentType.ARSON,
    "assassination": IncidentType.ASSASSINATION,
    "murder": IncidentType.ATTACK,
    "plot": IncidentType.PLOT,
}
TRIGGER_VERBS: dict[str, IncidentType] = {
    "attack": IncidentType.ATTACK,
    "bomb": IncidentType.BOMBING,
    "detonate": IncidentType.BOMBING,
    "explode": IncidentType.BOMBING,
    "kidnap": IncidentType.KIDNAPPING,
    "abduct": IncidentType.KIDNAPPING,
    "assassinate": IncidentType.ASSASSINATION,
    "ambush": IncidentType.ARMED_ASSAULT,
    "massacre": IncidentType.ARMED_ASSAULT,
    "storm": IncidentType.ARMED_ASSAULT,
    "torch": IncidentType.ARSON,
    "burn": IncidentType.ARSON,
    "murder": IncidentType.ATTACK,
    "kill": IncidentType.ATTACK,
    "shoot": IncidentType.ATTACK,
}
WEAK_VERBS = frozenset({"kill", "murder", "shoot", "burn", "explode"})
"""Verbs that report an incident only when nothing else in the sentence does."""

# More specific types win when mentions of one incident disagree.
TYPE_RANK = {
    IncidentType.SUICIDE_ATTACK: 7,
    IncidentType.BOMBING: 6,
    IncidentType.KIDNAPPING: 5,
    IncidentType.ASSASSINATION: 5,
    IncidentType.ARSON: 5,
    IncidentType.ARMED_ASSAULT: 4,
    IncidentType.ROBBERY: 4,
    IncidentType.ATTACK: 1,
    IncidentType.PLOT: 0,
}

FOIL_WORDS = frozenset(
    {"thwart", "foil", "prevent", "avert", "disrupt", "stop", "intercept", "frustrate", "defuse",
     "dismantle", "uncover", "thwarting", "foiling"}
)  # fmt: skip
ATTEMPT_WORDS = frozenset({"attempted", "failed", "botched", "attempt"})
PLAN_WORDS = frozenset({"plan", "planning", "prepare", "plot", "intend"})
THREAT_WORDS = frozenset({"threaten", "threat"})
GENERIC_DETERMINERS = frozenset(
    {"these", "those", "such", "many", "several", "some", "any", "no", "further", "more", "other",
     "future", "frequent", "repeated", "numerous", "most"}
)  # fmt: skip
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "its", "their", "his", "her"})
NEW_DETERMINERS = frozenset({"another", "second", "new", "separate", "earlier", "previous"})

AFFILIATION_NOUNS = frozenset(
    {"affiliate", "branch", "wing", "franchise", "offshoot", "faction", "chapter", "network",
     "province", "cell", "arm", "splinter", "subsidiary", "parent", "member", "members"}
)  # fmt: skip
RIVAL_LEMMAS = frozenset(
    {"challenge", "combat", "fight", "counter", "battle", "clash", "rival", "oppose", "neutralize",
     "neutralise", "attack", "crack", "target", "combating"}
)  # fmt: skip
PERPETRATE_VERBS = frozenset(
    {"carry", "conduct", "stage", "launch", "perpetrate", "execute", "mount", "commit", "attack",
     "bomb", "kidnap", "abduct", "kill", "murder", "assassinate", "target", "orchestrate", "plan",
     "detonate", "ambush", "massacre", "storm", "shoot"}
)  # fmt: skip
REPORT_VERBS = frozenset({"report", "say", "state", "announce", "tell", "reveal", "add", "note"})
NEGATED_CONFIRM = frozenset(
    {"establish", "confirm", "verify", "prove", "substantiate", "corroborate"}
)
SUSPECT_NOUNS = frozenset({"suspicion", "suspicions"})
ACCUSE_NOUNS = frozenset({"accusation", "allegation", "accusations", "allegations"})
STATUS_OF_VERB: dict[str, AttributionStatus] = {
    "accuse": AttributionStatus.ACCUSED,
    "blame": AttributionStatus.ACCUSED,
    "deny": AttributionStatus.DENIED,
    "reject": AttributionStatus.DENIED,
    "suspect": AttributionStatus.SUSPECTED,
    "confirm": AttributionStatus.CONFIRMED,
}

WEAPONS = frozenset(
    {"bomb", "bombs", "car bomb", "explosive", "explosives", "dynamite", "rifle", "rifles", "gun",
     "guns", "grenade", "grenades", "machine gun", "machinegun", "mortar", "mortars", "rocket",
     "rockets", "vest", "belt", "ied", "firearm", "firearms", "weapon", "weapons", "pistol",
     "pistols", "revolver", "knife", "knives", "machete", "machetes", "molotov", "mine", "mines",
     "missile", "missiles", "submachine gun", "ak-47", "m-16", "tnt", "incendiary"}
)  # fmt: skip
PERPETRATOR_NOUNS = frozenset(
    {"gunman", "gunmen", "attacker", "attackers", "assailant", "assailants", "terrorist",
     "terrorists", "guerrilla", "guerrillas", "militant", "militants", "bomber", "bombers",
     "rebel", "rebels", "insurgent", "insurgents", "commando", "commandos", "hitman", "hitmen",
     "kidnapper", "kidnappers", "subversive", "subversives", "individuals", "men", "assassin",
     "assassins", "fighters", "jihadist", "jihadists", "extremist", "extremists"}
)  # fmt: skip
CAPTURE_WORDS = (
    r"arrested|detained|charged|held|presented|identified|apprehended|captured|custody|suspects"
)
