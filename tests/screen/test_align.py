"""Tests of the v2 name scorer: vectorised alignment, IDF weights, blocking and the index cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from threatwatch.model.screening import ListEntry, ListName, NameKind, ScreeningQuery
from threatwatch.screen.align import (
    DEFAULT_ALIGN,
    AlignParams,
    QueryScorer,
    compare_names,
    find_candidates,
)
from threatwatch.screen.index import ScreeningIndex, prepare_name
from threatwatch.screen.lists import load_ofac_csv, load_un_xml
from threatwatch.screen.match import ALGORITHM_V1, ALGORITHM_V2, rank_entries, screen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "screen"


@pytest.fixture(scope="module")
def index(ofac_dir: Path) -> ScreeningIndex:
    un = load_un_xml(FIXTURES / "un_mini.xml")
    ofac = load_ofac_csv(ofac_dir / "sdn.csv")
    return ScreeningIndex(un.entries + ofac.entries)


def person(ref: str, *names: str) -> ListEntry:
    return ListEntry(
        list="t",
        ref=ref,
        schema="Person",
        names=tuple(ListName(value=n, kind=NameKind.PRIMARY) for n in names),
    )


@pytest.mark.parametrize(
    "query",
    [
        "Zareef Qadeer",
        "NOORZAI, Zarif",
        "ظریف قادر نورزی",
        "Дилшод Раҳмонов",
        "D. Rahmonov",
        "Abdul Ghani Baradar Akhund",
        "Red Sand Batallion",
    ],
)
def test_vectorised_alignment_equals_name_by_name(query: str, index: ScreeningIndex) -> None:
    prepared = prepare_name(query)
    compiled = index.compiled()
    scorer = QueryScorer(prepared, compiled)
    ids = find_candidates(prepared, compiled, DEFAULT_ALIGN)
    scorer.prepare(ids)
    together = scorer.score_all()
    assert len(ids) > 0
    for name_id, value in zip(ids.tolist(), together.tolist(), strict=True):
        assert value == pytest.approx(scorer.score_name(name_id).score, abs=1e-9)
        assert 0.0 <= value <= 1.0


def test_rare_tokens_outweigh_common_ones() -> None:
    entries = [person(str(i), f"Muhammad Karimzada{i:03d}x") for i in range(200)]
    entries.append(person("target", "Ahmad Baradar"))
    index = ScreeningIndex(entries)
    _, ranked = rank_entries(prepare_name("Muhammad Baradar"), index)
    top_score, top_entry, _ = ranked[0]
    assert index.entries[top_entry].ref == "target"
    # sharing only the common token scores far lower than sharing the rare one
    assert all(value < top_score - 0.3 for value, _, _ in ranked[1:])


def test_blocking_returns_at_most_the_candidate_limit() -> None:
    entries = [person(str(i), f"Person{i:05d} Surname{i % 97:03d}") for i in range(3000)]
    index = ScreeningIndex(entries)
    found = find_candidates(prepare_name("Person00042 Surname042"), index.compiled(), DEFAULT_ALIGN)
    assert 0 < len(found) <= DEFAULT_ALIGN.candidates
    assert 42 in found.tolist()


def test_index_recompiles_after_add() -> None:
    index = ScreeningIndex([person("1", "Ahmad Baradar")])
    assert screen(ScreeningQuery(name="Crimson Dune Brigade"), index) == []
    index.add_actors([("Crimson Dune Brigade", [], "actor-7")])
    hits = screen(ScreeningQuery(name="Crimson Dune Brigade"), index)
    assert [h.ref for h in hits] == ["actor-7"]


def test_v1_stays_available_and_differs_in_name(index: ScreeningIndex) -> None:
    query = ScreeningQuery(name="Zareef Qadeer")
    v1 = screen(query, index, algorithm=ALGORITHM_V1, threshold=0.7)
    v2 = screen(query, index, algorithm=ALGORITHM_V2, threshold=0.7)
    assert v1 and v2
    assert {h.algorithm for h in v1} == {ALGORITHM_V1}
    assert {h.algorithm for h in v2} == {ALGORITHM_V2}
    assert v1[0].ref == v2[0].ref == "TAi.901"
    with pytest.raises(ValueError, match="cannot screen"):
        screen(query, index, algorithm="threatwatch.token_sort.v1")


def test_explanation_lists_pairs_and_unmatched_tokens(index: ScreeningIndex) -> None:
    (hit, *_) = screen(ScreeningQuery(name="Zarif Qadir Noorzai Extraname"), index, threshold=0.5)
    detail = next(f.detail for f in hit.explanation if f.name == "name")
    assert "zarif~zarif" in detail
    assert "query only: extraname" in detail


def test_pair_score_without_index_is_symmetric_for_reordering() -> None:
    a = prepare_name("NOORZAI, Zarif Qadir")
    b = prepare_name("Zarif Qadir Noorzai")
    assert compare_names(a, b).score == pytest.approx(1.0)
    assert compare_names(a, prepare_name("Alice Fictional")).score < 0.5


def test_query_tokens_found_in_other_names_of_the_entry_count() -> None:
    entries = [
        person("target", "Abdul Qadeer Basir", "Haji Qadeer Kakarwal"),
        person("other", "Abdul Qadeer Basir Nooristani"),
    ]
    entries += [person(str(i), f"Filler{i:03d} Person{i:03d}") for i in range(60)]
    index = ScreeningIndex(entries)
    query = ScreeningQuery(name="Abdul Qadeer Basir Kakarwal")
    with_other = screen(query, index, threshold=0.0)
    without = screen(query, index, threshold=0.0, params=replace(DEFAULT_ALIGN, other_names=0.0))
    assert with_other[0].ref == "target"
    scores = {h.ref: h.score for h in with_other}
    assert scores["target"] > {h.ref: h.score for h in without}["target"]
    feature = next(f for f in with_other[0].explanation if f.name == "other_names")
    assert "kakarwal~kakarwal" in feature.detail
    assert feature.value > 0


def test_patronymic_glued_article_repeats_and_stopwords() -> None:
    off = replace(DEFAULT_ALIGN, patronymic=1.0, glued_article=0.0, stopword=1.0)

    def pair(a: str, b: str, params: AlignParams = DEFAULT_ALIGN, org: bool = False) -> float:
        return compare_names(
            prepare_name(a, organisation=org), prepare_name(b, organisation=org), params
        ).score

    patronymic = ("Aleksandr Gaevoy", "Aleksandr Andreyevich Gaevoy")
    assert pair(*patronymic) > pair(*patronymic, off)
    glued = ("Hany Elsayed Youssef", "Hani Sayed Youssef")
    assert pair(*glued) > pair(*glued, off)
    assert pair("Alexander Petrov", "Xander Petrov") == pair(
        "Alexander Petrov", "Xander Petrov", off
    )
    assert pair("Sergey Sergey Shoigu", "Sergey Shoigu") == pytest.approx(1.0)
    words = ("Bank of the Eastern Coast", "Eastern Coast Bank")
    assert pair(*words, org=True) > pair(*words, off, org=True)
