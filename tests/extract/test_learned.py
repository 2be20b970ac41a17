"""Tests of the learned MUC-4 model: text handling, templates, and the committed model."""

from __future__ import annotations

import pytest

from threatwatch.errors import ConfigError
from threatwatch.extract.learned import (
    INCIDENT_TYPES,
    LEARNED_EXTRACTOR,
    SPLIT_FROM,
    DocPrediction,
    LearnedModel,
    RoleSpan,
    group_templates,
    model_text,
    split_sentences,
    to_lower_same_offsets,
    to_templates,
)


def test_to_lower_same_offsets_keeps_length_for_non_ascii() -> None:
    text = "İSTANBUL\nCAFÉ ẞ Straße"
    lowered = to_lower_same_offsets(text)
    assert len(lowered) == len(text)
    assert lowered.startswith("İstanbul ")
    assert "café" in lowered


def test_model_text_spaces_like_the_training_text_and_maps_back() -> None:
    text = "  GUERRILLAS  ATTACKED\nTHE FARM [TEXT].\n\n   TROOPS ARRIVED  \n"
    seen, origin = model_text(text)
    assert seen == "guerrillas  attacked the farm (text).    troops arrived"
    assert len(origin) == len(seen)
    start = seen.index("attacked the farm")
    end = start + len("attacked the farm")
    assert text[origin[start] : origin[end - 1] + 1] == "ATTACKED\nTHE FARM"
    assert model_text("Keep Case", lowercase=False)[0] == "Keep Case"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("   SAN ISIDRO, 4 FEB 90 (RADIO NORTE) -- [TEXT] THE ARMY\nDENIED IT.", "the army"),
        (
            "   PUERTO LEON, 9 MAR 89 -- [REPORT] [BY A CORRESPONDENT]\n[TEXT] TROOPS LEFT.",
            "troops",
        ),
        ("   VALLE ALTO (COLOMBIA), 2 MAY 89 (EFE) -- GUERRILLAS STRUCK.", "guerrillas"),
        ("KABUL (AP) \u2014 A suicide bomber struck.", "a suicide"),
        ("MOSCOW, March 22 (Reuters) - Gunmen opened fire.", "gunmen"),
    ],
)
def test_model_text_skips_a_wire_dateline(text: str, first: str) -> None:
    seen, origin = model_text(text)
    assert seen.startswith(first)
    assert text[origin[0] : origin[0] + len(first)].lower() == first


@pytest.mark.parametrize(
    "text",
    ["The army denied (AP) - today", "ISIS-K - the group", "Attack in Kabul, 3 dead", ""],
)
def test_model_text_keeps_a_start_that_is_no_dateline(text: str) -> None:
    assert model_text(text)[0] == " ".join(text.lower().split())


def test_to_lower_same_offsets_reads_brackets_as_parentheses() -> None:
    assert to_lower_same_offsets("[WORDS INDISTINCT]") == "(words indistinct)"


def test_split_sentences_keeps_wrapped_lines_and_notes_cues() -> None:
    text = to_lower_same_offsets(
        "GUERRILLAS KIDNAPPED THE MAYOR\nOF TOWN. A CAR BOMB EXPLODED.\n\n   NOTHING ELSE"
    )
    first, second, third = split_sentences(text)
    assert text[first.start : first.end].strip() == "guerrillas kidnapped the mayor of town."
    assert first.cues == {"kidnapping"}
    assert second.cues == {"bombing"}
    assert text[third.start : third.end].strip() == "nothing else"
    assert third.cues == frozenset()


MIXED = (
    "Rebels attacked the barracks in Tolu. "
    "Later a car bomb exploded at the bank. "
    "Police said the mayor was kidnapped. "
    "The army blamed the Omega Brigade."
)


def _predict(text: str, best: str, fillers: list[tuple[str, str]]) -> DocPrediction:
    """A prediction of `text`: type `best` at 0.8, a span per (role, filler), its sentences."""

    def role(name: str, filler: str) -> RoleSpan:
        start = text.index(filler)
        return RoleSpan(role=name, start=start, end=start + len(filler), text=filler, score=0.9)

    types = dict.fromkeys(INCIDENT_TYPES, 0.01)
    types[best] = 0.8
    return DocPrediction(
        incident_types=types,
        roles=tuple(role(name, filler) for name, filler in fillers),
        sentences=split_sentences(to_lower_same_offsets(text)),
    )


def _story(best: str) -> DocPrediction:
    fillers = [
        ("Target", "barracks"),
        ("Weapon", "car bomb"),
        ("Target", "bank"),
        ("Victim", "mayor"),
        ("PerpOrg", "Omega Brigade"),
    ]
    return _predict(MIXED, best, fillers)


def test_group_templates_one_incident_per_cued_type() -> None:
    groups = group_templates(_story("attack"), threshold=0.5)
    texts = {g.incident_type: [span.text for span in g.roles] for g in groups}
    assert groups[0].incident_type == "attack"  # the main type comes first
    # Fillers go to the type cued in their sentence; the blamed group, in a sentence that cues
    # no type, goes to the main incident.
    assert texts == {
        "attack": ["barracks", "Omega Brigade"],
        "bombing": ["car bomb", "bank"],
        "kidnapping": ["mayor"],
    }


def test_to_templates_follows_the_grouping_unless_told_not_to() -> None:
    grouped = to_templates(_story("attack"), threshold=0.5)
    assert [t["incident_type"] for t in grouped] == ["attack", "bombing", "kidnapping"]
    assert grouped[1]["Weapon"] == [["car bomb"]]
    [single] = to_templates(_story("attack"), threshold=0.5, grouped=False)
    assert single["incident_type"] == "attack"
    assert single["Target"] == [["barracks"], ["bank"]]


def test_group_templates_drops_an_uncued_generic_attack() -> None:
    story = _story("attack")
    without_attack = DocPrediction(
        incident_types=story.incident_types,
        roles=tuple(span for span in story.roles if span.text != "barracks"),
        sentences=story.sentences,
    )
    groups = group_templates(without_attack, threshold=0.5)
    assert sorted(g.incident_type for g in groups) == ["bombing", "kidnapping"]
    # The orphan filler goes to the first kept type in name order.
    assert [s.text for s in groups[0].roles] == ["car bomb", "bank", "Omega Brigade"]


TWO_BOMBINGS = (
    "A bomb exploded at the power station in Tolu. "
    "The blast damaged two pylons. "
    "The army blamed the Omega Brigade. "
    "Police gave no more details. "
    "In another attack, dynamite destroyed the bridge at Sarna. "
    "Witnesses said a truck bomb was used."
)


def _two_bombings() -> DocPrediction:
    fillers = [
        ("Target", "power station"),
        ("Target", "pylons"),
        ("PerpOrg", "Omega Brigade"),
        ("Target", "bridge"),
        ("Weapon", "truck bomb"),
    ]
    return _predict(TWO_BOMBINGS, "bombing", fillers)


def test_group_templates_splits_a_type_cued_in_many_sentences() -> None:
    story = _two_bombings()
    # bombing is cued beside fillers in sentences 0, 1, 4 and 5: two incidents, cut at the
    # widest gap (between sentences 1 and 4); the blamed group goes with the first
    first, second = group_templates(story, threshold=0.5)
    assert (first.incident_type, second.incident_type) == ("bombing", "bombing")
    assert [s.text for s in first.roles] == ["power station", "pylons", "Omega Brigade"]
    assert [s.text for s in second.roles] == ["bridge", "truck bomb"]
    # below SPLIT_FROM cued sentences, or with the split off, one incident keeps every filler
    [whole] = group_templates(story, threshold=0.5, split_from=None)
    assert whole.roles == story.roles
    assert len(group_templates(story, threshold=0.5, split_from=5)) == 1
    assert SPLIT_FROM <= 4
    # the templates follow the incidents
    assert [t["Target"] for t in to_templates(story, threshold=0.5)] == [
        [["power station"], ["pylons"]],
        [["bridge"]],
    ]


def test_group_templates_without_sentences_keeps_one_template() -> None:
    story = _story("bombing")
    flat = DocPrediction(incident_types=story.incident_types, roles=story.roles)
    [group] = group_templates(flat, threshold=0.5)
    assert group.incident_type == "bombing"
    assert group.roles == story.roles
    assert group_templates(flat, threshold=0.9) == []


def _prediction(best: float) -> DocPrediction:
    types = dict.fromkeys(INCIDENT_TYPES, 0.01)
    types["kidnapping"] = best
    roles = (
        RoleSpan(role="Victim", start=0, end=5, text="Tomas", score=best),
        RoleSpan(role="Victim", start=20, end=25, text="TOMAS", score=best),
        RoleSpan(role="PerpOrg", start=30, end=43, text="Omega  Brigade", score=best),
    )
    return DocPrediction(incident_types=types, roles=roles)


def test_to_templates_one_template_with_deduplicated_lowercase_entities() -> None:
    [template] = to_templates(_prediction(0.9), threshold=0.5)
    assert template["incident_type"] == "kidnapping"
    assert template["Victim"] == [["tomas"]]
    assert template["PerpOrg"] == [["omega brigade"]]
    assert template["Weapon"] == []


def test_to_templates_below_threshold_is_irrelevant() -> None:
    assert to_templates(_prediction(0.3), threshold=0.5) == []


def test_load_missing_folder_raises_config_error(tmp_path: object) -> None:
    with pytest.raises(ConfigError, match="threatwatch train muc4"):
        LearnedModel.load(tmp_path / "nothing")  # type: ignore[operator]


@pytest.fixture(scope="module")
def committed() -> LearnedModel:
    return LearnedModel.load()


STORY = (
    "Urban guerrillas of the fictional Xyz Front detonated a car bomb at the Ministry of "
    "Defense in the capital today, killing two soldiers and wounding several passers-by. "
    "Police sources said the Xyz Front claimed responsibility for the attack."
)


@pytest.mark.model
def test_committed_model_finds_weapon_and_perpetrator(committed: LearnedModel) -> None:
    assert committed.name == LEARNED_EXTRACTOR
    [prediction] = committed.predict([STORY])
    roles = {span.role for span in prediction.roles}
    assert "Weapon" in roles
    assert roles & {"PerpInd", "PerpOrg"}
    for span in prediction.roles:
        assert STORY[span.start : span.end] == span.text
    weapons = {span.text.lower() for span in prediction.roles if span.role == "Weapon"}
    assert any("bomb" in weapon for weapon in weapons)
    assert committed.to_templates(prediction), "a bombing story must yield a template"


@pytest.mark.model
def test_committed_model_reads_wrapped_capitals_like_prose(committed: LearnedModel) -> None:
    # The same story as a wire message: upper case, hard-wrapped lines, an indented paragraph.
    words = STORY.upper().split(" ")
    lines = [" ".join(words[i : i + 9]) for i in range(0, len(words), 9)]
    wire = "   " + "\n".join(lines[:2]) + "\n\n   " + "\n".join(lines[2:]) + "\n"
    [flat, wrapped] = committed.predict([STORY, wire])
    for span in wrapped.roles:
        assert wire[span.start : span.end] == span.text

    def strings(prediction: DocPrediction) -> list[tuple[str, str]]:
        return [(s.role, " ".join(s.text.lower().split())) for s in prediction.roles]

    assert strings(wrapped)
    assert set(strings(wrapped)) & set(strings(flat))


@pytest.mark.model
def test_fillers_are_looked_for_only_above_the_relevance_threshold() -> None:
    model = LearnedModel.load()
    [full] = model.predict([STORY], all_roles=True)
    assert full.roles
    [gated] = model.predict([STORY])
    assert gated == full  # a relevant story: the same prediction either way
    model.threshold = 0.999  # now the story counts as irrelevant
    [skipped] = model.predict([STORY])
    assert skipped.roles == ()
    assert skipped.incident_types == full.incident_types  # the classifier still ran
    assert model.to_templates(skipped) == []


@pytest.mark.model
def test_committed_model_irrelevant_story_has_no_roles(committed: LearnedModel) -> None:
    text = (
        "The national orchestra gave a concert of baroque music in the capital on Sunday. "
        "The minister of culture praised the musicians and announced a festival for next year."
    )
    [quiet, violent] = committed.predict([text, STORY])
    assert quiet.roles == ()
    assert quiet.incident_types["bombing"] < violent.incident_types["bombing"]
    # Not asserted: that `to_templates` yields nothing here. The bag-of-words classifier is
    # poorly calibrated on short texts (every type near its prior, ~0.3-0.5) and the tuned
    # threshold is 0.03, so a short irrelevant text still gets a role-less template
    # (MODEL_CARD.md, limits).
