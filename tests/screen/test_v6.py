"""Tests of `threatwatch.screen.v6`: romanisation keys for Latin token pairs.

Two transliterations of one name often differ only in how they write its vowels and a few
sounds (ou / u, w / v, ei / i). v6 compares such pairs by their romanisation keys, as long as
the consonants agree. Name pairs are made up from common given and family names.
"""

from __future__ import annotations

import pytest

from threatwatch.model.screening import ScreeningQuery
from threatwatch.normalize import romanisation_key
from threatwatch.screen.align import compare_names
from threatwatch.screen.index import ScreeningIndex, prepare_name
from threatwatch.screen.lists import make_actor_entries
from threatwatch.screen.match import (
    ALGORITHM,
    ALGORITHM_V5,
    ALGORITHM_V6,
    ALGORITHMS,
    THRESHOLDS,
    V5_ALIGN,
    V6_ALIGN,
    score,
    screen,
)


def pair(a: str, b: str) -> tuple[float, float]:
    """The v5 and v6 scores of two names, prepared as v5 and v6 prepare them."""
    qa, qb = prepare_name(a, legal_forms=True), prepare_name(b, legal_forms=True)
    return compare_names(qa, qb, V5_ALIGN).score, compare_names(qa, qb, V6_ALIGN).score


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("wladimir", "vladimir"),  # w / v
        ("youssef", "yussef"),  # ou / u, y as a vowel
        ("hossein", "hussein"),  # o / u in one class
        ("tchernov", "chernov"),  # one sound, two spellings
        ("marcel", "marsel"),  # c read as it sounds
        ("nikolaj", "nikolay"),  # j after a vowel
    ],
)
def test_romanisation_key_reads_spellings_of_one_sound_alike(a: str, b: str) -> None:
    assert romanisation_key(a) == romanisation_key(b)


def test_romanisation_key_keeps_the_vowels() -> None:
    # the skeleton mn is shared; the keys are not
    assert romanisation_key("amin") != romanisation_key("mann")
    assert romanisation_key("hussein") == "husin"
    assert romanisation_key("hasan") == "hasan"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Youssouf Diallo", "Yusuf Diallo"),
        ("Wsewolod Orlow", "Vsevolod Orlov"),
        ("Housseini Karam", "Husaini Karam"),
    ],
)
def test_v6_matches_transliterations_that_differ_in_vowels(a: str, b: str) -> None:
    v5, v6 = pair(a, b)
    assert v6 > v5 + 0.04
    assert v6 >= 0.9
    assert pair(b, a)[1] == pytest.approx(v6)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gilbert Moreau", "Gebert Moreau"),  # a consonant differs: another name
        ("Jon Lee", "Jon Lie"),  # too short for one vowel to be a spelling
        ("Hasan Rahbari", "Hussein Rahbari"),  # keys too far apart
        ("Amin Taheri", "Mann Taheri"),
        ("يوسف ديالو", "Youssouf Diallo"),  # across scripts only skeletons compare, as in v5
    ],
)
def test_v6_leaves_other_pairs_as_v5_scores_them(a: str, b: str) -> None:
    v5, v6 = pair(a, b)
    assert v6 == pytest.approx(v5)


def test_v6_never_lowers_a_pair() -> None:
    for a, b in (("Mahmoud Karimov", "Mahmud Karimov"), ("Marcel Dubois", "Marsel Dubois")):
        v5, v6 = pair(a, b)
        assert v6 >= v5


def test_v6_is_registered_beside_v5() -> None:
    assert ALGORITHM != ALGORITHM_V5
    assert ALGORITHMS[ALGORITHM_V6] is not ALGORITHMS[ALGORITHM_V5]
    assert THRESHOLDS[ALGORITHM_V6] == 0.815
    assert V6_ALIGN.romanised and not V5_ALIGN.romanised


def test_v6_screens_an_index_and_scores_an_entry() -> None:
    people = [("Vsevolod Orlov", [], "o"), ("Gebert Moreau", [], "m")]
    index = ScreeningIndex(make_actor_entries(people), legal_forms=True)
    query = ScreeningQuery(name="Wsewolod Orlow")
    v5 = screen(query, index, algorithm=ALGORITHM_V5, threshold=THRESHOLDS[ALGORITHM_V5])
    v6 = screen(query, index, algorithm=ALGORITHM_V6)
    assert not v5
    assert [h.ref for h in v6] == ["o"] and v6[0].algorithm == ALGORITHM_V6
    assert "wsewolod~vsevolod 0.92" in next(f.detail for f in v6[0].explanation if f.name == "name")
    other = ScreeningQuery(name="Gilbert Moreau")
    gilbert = [
        {h.ref: h.score for h in screen(other, index, algorithm=algorithm, threshold=0.0)}
        for algorithm in (ALGORITHM_V5, ALGORITHM_V6)
    ]
    assert gilbert[1]["m"] == pytest.approx(gilbert[0]["m"])  # no romanisation key helps
    entry = index.entries[0]
    hit = score(query, entry, algorithm=ALGORITHM_V6)
    assert hit.algorithm == ALGORITHM_V6
    assert hit.score > score(query, entry, algorithm=ALGORITHM_V5).score
