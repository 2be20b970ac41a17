"""Tests of `threatwatch.screen.v5`: the vowel check for token pairs across scripts.

Arabic script writes its long vowels (alif, waw, ya) and leaves out short ones, so a
romanisation of an Arabic-script name has a vowel wherever the Arabic-script spelling writes one.
v4 compares such pairs by consonant skeleton alone. Name pairs are made up from common given
names.
"""

from __future__ import annotations

import pytest

from threatwatch.model.screening import ScreeningQuery
from threatwatch.normalize import skeleton_token, transliterate, vowel_pattern
from threatwatch.screen.align import compare_names, vowel_coverage
from threatwatch.screen.index import ScreeningIndex, prepare_name
from threatwatch.screen.lists import make_actor_entries
from threatwatch.screen.match import (
    ALGORITHM_V4,
    ALGORITHM_V5,
    ALGORITHMS,
    THRESHOLDS,
    V4_ALIGN,
    V5_ALIGN,
    score,
    screen,
)


def two_people() -> ScreeningIndex:
    """Yasmin Rafiei and Simon Revivo, indexed as v5 expects (legal forms folded)."""
    people = [("Yasmin Rafiei", [], "y"), ("Simon Revivo", [], "s")]
    return ScreeningIndex(make_actor_entries(people), legal_forms=True)


def pair(a: str, b: str) -> tuple[float, float]:
    """The v4 and v5 scores of two names, prepared as v4 and v5 prepare them."""
    qa, qb = prepare_name(a, legal_forms=True), prepare_name(b, legal_forms=True)
    return compare_names(qa, qb, V4_ALIGN).score, compare_names(qa, qb, V5_ALIGN).score


def test_vowel_pattern_says_where_the_vowels_stand() -> None:
    yasmin = transliterate("ياسمين")
    # the consonants agree, which is all that the skeleton sees
    assert skeleton_token(yasmin) == skeleton_token("simon") == "smn"
    assert vowel_pattern(yasmin) == "asman"  # ya and alif: a vowel before the s
    assert vowel_pattern("simon") == "saman"
    assert vowel_pattern("yasmeen") == vowel_pattern("yasmin") == "asman"
    assert vowel_pattern("mohammad") == "mahamad"  # doubled consonants count once
    assert vowel_pattern("khalid") == "xalad"  # one letter per sound, as in the skeleton


@pytest.mark.parametrize(
    ("arabic", "wrong"),
    [
        ("ياسمين", "Simon"),  # no vowel before the s
        ("ريم", "Roma"),  # a final vowel that the Arabic-script spelling does not write
        ("ياسمين رفیعی", "Simon Revivo"),
    ],
)
def test_v5_wants_the_written_vowels(arabic: str, wrong: str) -> None:
    v4, v5 = pair(arabic, wrong)
    assert v4 >= THRESHOLDS[ALGORITHM_V4]  # v4 takes them for one name
    assert v5 < v4 - 0.05
    # the same from the other side: a Latin query against an Arabic-script list name
    assert pair(wrong, arabic)[1] == pytest.approx(v5)


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("ياسمين", "Yasmin"),
        ("ياسمين", "Yasmeen"),
        ("ريم", "Reem"),
        ("ياسمين رفیعی", "Yasmin Rafiei"),
        ("محمد عمر", "Muhammad Omar"),  # short vowels are never written: any will do
        ("كمال جرمان", "Kamel Djermane"),  # the silent final e of a French romanisation
        ("عبدالرحيم", "Abdul Rahim"),  # the vowels of the folded Abdul- are not asked for
    ],
)
def test_v5_keeps_romanisations_that_have_them(arabic: str, latin: str) -> None:
    v4, v5 = pair(arabic, latin)
    assert v5 == pytest.approx(v4)
    assert v5 >= 0.9


def test_v5_leaves_pairs_in_one_script_alone() -> None:
    for a, b in (("Simon Revivo", "Yasmin Rafiei"), ("Rima Kamel", "Roma Kamal")):
        v4, v5 = pair(a, b)
        assert v5 == pytest.approx(v4)


def test_v5_screens_an_index() -> None:
    assert ALGORITHM_V5 in ALGORITHMS
    index = two_people()
    query = ScreeningQuery(name="ياسمين رفیعی")
    v4 = {h.ref: h.score for h in screen(query, index, algorithm=ALGORITHM_V4, threshold=0.0)}
    hits = screen(query, index, algorithm=ALGORITHM_V5, threshold=0.0)
    v5 = {h.ref: h.score for h in hits}
    assert hits[0].algorithm == ALGORITHM_V5
    assert v4["y"] == pytest.approx(v4["s"])  # v4 cannot tell them apart
    assert v5["y"] == pytest.approx(v4["y"])
    assert v5["s"] < v5["y"] - 0.05


def test_vowel_coverage_of_one_pair_either_way() -> None:
    yasmin = transliterate("ياسمين")
    assert vowel_coverage(yasmin, "simon", query_abjad=True) == pytest.approx(0.8)
    assert vowel_coverage("simon", yasmin, query_abjad=False) == pytest.approx(0.8)
    assert vowel_coverage(yasmin, "yasmeen", query_abjad=True) == pytest.approx(1.0)


def test_v5_explains_the_vowels_it_missed() -> None:
    index = two_people()
    hits = screen(ScreeningQuery(name="ياسمين رفیعی"), index, threshold=0.0)
    features = {h.ref: {f.name: f for f in h.explanation} for h in hits}
    assert "vowels" not in features["y"]
    vowels = features["s"]["vowels"]
    assert vowels.value == pytest.approx(0.8)
    assert "simon" in vowels.detail and "revivo" not in vowels.detail
    # one script on both sides: nothing to say about written vowels
    latin = screen(ScreeningQuery(name="Simon Revivo"), index, threshold=0.0)
    assert all(f.name != "vowels" for h in latin for f in h.explanation)


def test_score_v5_without_index() -> None:
    both, simon_only = make_actor_entries([("Simon", ["Yasmeen"], "x"), ("Simon", [], "z")])
    hit = score(ScreeningQuery(name="ياسمين"), both, algorithm=ALGORITHM_V5)
    assert hit.algorithm == ALGORITHM_V5 and hit.name == "Yasmeen"
    simon = score(ScreeningQuery(name="ياسمين"), simon_only)
    assert [f.name for f in simon.explanation if f.name == "vowels"] == ["vowels"]
