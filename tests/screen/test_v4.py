"""Tests of `threatwatch.screen.v4`: the evidence term, the nickname table and initials.

All names are fictional.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from threatwatch.model.screening import ListEntry, ListName, NameKind, ScreeningQuery
from threatwatch.screen.align import (
    DEFAULT_ALIGN,
    QueryScorer,
    compare_names,
    evidence_adjustment,
    find_candidates,
    rarity,
)
from threatwatch.screen.index import ScreeningIndex, prepare_name
from threatwatch.screen.match import (
    ALGORITHM_V2,
    ALGORITHM_V4,
    V4_ALIGN,
    rank_entries,
    score,
    screen,
)
from threatwatch.screen.nicknames import (
    NICKNAMES,
    are_nicknames,
    nickname_groups,
    nickname_partners,
)


def person(ref: str, *names: str) -> ListEntry:
    return ListEntry(
        list="t",
        ref=ref,
        schema="Person",
        names=tuple(ListName(value=n, kind=NameKind.PRIMARY) for n in names),
    )


def company(ref: str, name: str) -> ListEntry:
    return ListEntry(
        list="t",
        ref=ref,
        schema="Company",
        names=(ListName(value=name, kind=NameKind.PRIMARY),),
    )


@pytest.fixture(scope="module")
def crowded() -> ScreeningIndex:
    """An index where Tarek and Osman are common given names and the rest are rare."""
    entries = [person(f"c{i}", f"Tarek Osman Velkar{i:03d}q") for i in range(30)]
    entries += [person(f"f{i}", f"Brenvik{i:03d}a Holtzar{i:03d}b") for i in range(40)]
    entries += [
        person("common", "Tarek Osman"),
        person("rare", "Zorvath Quillenbeck"),
        person("mixed", "Tarek Quillenbeck Dravosz"),
    ]
    return ScreeningIndex(entries)


def top(query: str, index: ScreeningIndex, algorithm: str) -> tuple[str, float]:
    hits = screen(ScreeningQuery(name=query), index, algorithm=algorithm, threshold=0.0, limit=1)
    return hits[0].ref, hits[0].score


def test_rarity_scale() -> None:
    assert rarity(5, 10) == 1.0  # no index statistics: every token counts fully
    assert rarity(0, 1000) == 1.0
    assert rarity(3, 1000) == pytest.approx(1.0)
    assert rarity(1000, 1000) == pytest.approx(0.0)
    assert rarity(10, 1000) > rarity(100, 1000) > rarity(500, 1000) > 0.0


def test_evidence_adjustment_is_off_for_v2_and_capped_for_v4() -> None:
    assert evidence_adjustment(0.2, DEFAULT_ALIGN) == 0.0
    assert evidence_adjustment(5.0, DEFAULT_ALIGN) == 0.0
    below = evidence_adjustment(0.5, V4_ALIGN)
    assert below == pytest.approx(V4_ALIGN.evidence * (0.5 - V4_ALIGN.evidence_pivot))
    assert below < 0.0
    assert evidence_adjustment(V4_ALIGN.evidence_pivot, V4_ALIGN) == pytest.approx(0.0)
    assert evidence_adjustment(10.0, V4_ALIGN) == evidence_adjustment(
        V4_ALIGN.evidence_cap, V4_ALIGN
    )


def test_common_names_score_below_rare_names_in_v4_only(crowded: ScreeningIndex) -> None:
    # both queries are exact copies of a listed name: v2 scores them the same
    assert top("Tarek Osman", crowded, ALGORITHM_V2) == ("common", pytest.approx(1.0))
    assert top("Zorvath Quillenbeck", crowded, ALGORITHM_V2) == ("rare", pytest.approx(1.0))
    common_ref, common = top("Tarek Osman", crowded, ALGORITHM_V4)
    rare_ref, rare = top("Zorvath Quillenbeck", crowded, ALGORITHM_V4)
    assert (common_ref, rare_ref) == ("common", "rare")
    assert rare == pytest.approx(1.0)
    assert common < 0.95
    query = ScreeningQuery(name="Tarek Osman")
    hit = screen(query, crowded, threshold=0.0, limit=1, algorithm=ALGORITHM_V4)[0]
    assert hit.algorithm == ALGORITHM_V4
    name = next(f for f in hit.explanation if f.name == "name")
    assert name.value == pytest.approx(common)


def test_v4_vectorised_scores_equal_name_by_name(crowded: ScreeningIndex) -> None:
    compiled = crowded.compiled()
    for query in ("Tarek Osman", "Tarek Quillenbek", "Zorvath Quillenbeck Tarek", "T. Osman"):
        prepared = prepare_name(query)
        scorer = QueryScorer(prepared, compiled, V4_ALIGN)
        ids = find_candidates(prepared, compiled, V4_ALIGN)
        scorer.prepare(ids)
        together = scorer.score_all()
        assert len(ids) > 0
        for name_id, value in zip(ids.tolist(), together.tolist(), strict=True):
            single = scorer.score_name(name_id)
            assert value == pytest.approx(single.score, abs=1e-9)
            assert single.evidence >= 0.0


def test_other_names_of_an_entry_add_evidence_too(crowded: ScreeningIndex) -> None:
    index = ScreeningIndex([*crowded.entries, person("alias", "Dravosz Kelmir", "Yorrin Kelmir")])
    _, ranked = rank_entries(prepare_name("Yorrin Dravosz Kelmir"), index, params=V4_ALIGN)
    assert index.entries[ranked[0][1]].ref == "alias"
    alone = rank_entries(
        prepare_name("Yorrin Dravosz Kelmir"), index, params=replace(V4_ALIGN, other_names=0.0)
    )[1]
    # Yorrin is only in the other name: consulting it raises the score, evidence included
    assert ranked[0][0] > alone[0][0]


def test_nickname_table() -> None:
    assert are_nicknames("ted", "edward") and are_nicknames("ted", "theodore")
    assert are_nicknames("sasha", "alexander") and are_nicknames("bill", "william")
    assert not are_nicknames("edward", "theodore")  # Ted is both, they are not each other
    assert not are_nicknames("ted", "ted")
    assert nickname_groups("quillenbeck") == frozenset()
    assert {"edward", "theodore", "teddy"} <= nickname_partners("ted")
    assert "ted" not in nickname_partners("ted")
    assert nickname_partners("quillenbeck") == frozenset() and "quillenbeck" not in NICKNAMES


def test_v4_matches_nicknames_and_v2_does_not() -> None:
    a, b = prepare_name("Ted Quillenbeck"), prepare_name("Theodore Quillenbeck")
    assert compare_names(a, b, V4_ALIGN).score >= 0.9
    assert compare_names(a, b).score < 0.7
    pair = compare_names(a, b, V4_ALIGN).pairs
    assert ("ted", "theodore") in {(p.query, p.listed) for p in pair}
    # a nickname of another name gains nothing
    other = prepare_name("Ted Quillenbeck"), prepare_name("William Quillenbeck")
    assert compare_names(*other, V4_ALIGN).score == pytest.approx(compare_names(*other).score)


def test_v4_counts_an_initial_for_more() -> None:
    a, b = prepare_name("Z. Quillenbeck"), prepare_name("Zorvath Quillenbeck")
    assert compare_names(a, b, V4_ALIGN).score > compare_names(a, b).score
    assert compare_names(a, b, V4_ALIGN).score >= 0.9
    wrong = prepare_name("K. Quillenbeck")
    assert compare_names(wrong, b, V4_ALIGN).score < 0.8


def test_v4_over_a_legal_form_index_folds_the_query_too() -> None:
    entries = [company("q1", "QUILLENBECK DRAVOSZ AG"), company("q2", "QUILLENBECK TRADING LLC")]
    folded = ScreeningIndex(entries, legal_forms=True)
    query = ScreeningQuery(name="Quillenbeck Dravosz Aktiengesellschaft", schema="Company")
    hits = screen(query, folded, threshold=0.0)
    assert hits[0].ref == "q1" and hits[0].score >= 0.95
    plain = screen(query, ScreeningIndex(entries), threshold=0.0)
    assert plain[0].ref == "q1" and plain[0].score < hits[0].score


def test_score_v4_without_index() -> None:
    entry = person("x", "Theodore Quillenbeck", "Teddy Q")
    hit = score(ScreeningQuery(name="Ted Quillenbeck"), entry, algorithm=ALGORITHM_V4)
    assert hit.algorithm == ALGORITHM_V4 and hit.name == "Theodore Quillenbeck"
    assert hit.score >= 0.9


def test_explanation_says_what_rarity_added(crowded: ScreeningIndex) -> None:
    common = screen(ScreeningQuery(name="Tarek Osman"), crowded, threshold=0.0, limit=1)[0]
    detail = next(f.detail for f in common.explanation if f.name == "name")
    assert "rarity of the matched tokens" in detail and ": -0." in detail
    v2 = screen(ScreeningQuery(name="Tarek Osman"), crowded, algorithm=ALGORITHM_V2, threshold=0.0)[
        0
    ]
    assert "rarity" not in next(f.detail for f in v2.explanation if f.name == "name")


def test_a_person_query_never_matches_a_company_nor_the_reverse() -> None:
    entries = [company("co", "Quillenbeck Dravosz"), person("pe", "Quillenbeck Dravosz")]
    index = ScreeningIndex(entries, legal_forms=True)
    as_person = screen(ScreeningQuery(name="Quillenbeck Dravosz", schema="Person"), index)
    assert [h.ref for h in as_person] == ["pe"]
    as_company = screen(ScreeningQuery(name="Quillenbeck Dravosz", schema="Company"), index)
    assert [h.ref for h in as_company] == ["co"]
    unknown = screen(ScreeningQuery(name="Quillenbeck Dravosz"), index)
    assert sorted(h.ref for h in unknown) == ["co", "pe"]


def test_an_open_schema_entry_matches_any_query() -> None:
    open_entry = replace(company("le", "Quillenbeck Dravosz"), schema="LegalEntity")
    index = ScreeningIndex([open_entry], legal_forms=True)
    hits = screen(ScreeningQuery(name="Quillenbeck Dravosz", schema="Person"), index)
    assert [h.ref for h in hits] == ["le"]


def test_a_person_name_has_no_legal_forms() -> None:
    assert prepare_name("Brenvik Holding", legal_forms=True).tokens == ("brenvik", "~holding")
    assert prepare_name("Brenvik Holding", legal_forms=True, person=True).tokens == (
        "brenvik",
        "holding",
    )
    # a listed person "Brenvik" is not matched by "Brenvik Holding" as if the query were a firm
    index = ScreeningIndex(
        [person("p", "Brenvik Holtzar"), person("q", "Brenvik")], legal_forms=True
    )
    hits = screen(
        ScreeningQuery(name="Brenvik Holding", schema="Person"), index, threshold=0.0, limit=5
    )
    by_ref = {h.ref: h for h in hits}
    assert "holding" in next(f.detail for f in by_ref["q"].explanation if f.name == "name")
