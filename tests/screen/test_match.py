"""Tests of matching and screening against a tiny fictional index."""

from __future__ import annotations

from pathlib import Path

import pytest

from threatwatch.errors import InputError
from threatwatch.model.screening import ListEntry, ListName, NameKind, ScreeningQuery
from threatwatch.screen.index import ScreeningIndex, prepare_name
from threatwatch.screen.lists import load_ofac_csv, load_un_xml
from threatwatch.screen.match import (
    ALGORITHM,
    ALGORITHM_V1,
    ALGORITHM_V2,
    ALGORITHM_V3,
    ALGORITHM_V4,
    ALGORITHM_V5,
    ALGORITHM_V6,
    ALGORITHM_V7,
    ALGORITHMS,
    BASELINE,
    iter_screen,
    score,
    screen,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "screen"


@pytest.fixture(scope="module")
def index(ofac_dir: Path) -> ScreeningIndex:
    un = load_un_xml(FIXTURES / "un_mini.xml")
    ofac = load_ofac_csv(ofac_dir / "sdn.csv")
    return ScreeningIndex(un.entries + ofac.entries)


def refs(query: str, index: ScreeningIndex, **kwargs: object) -> list[str]:
    hits = screen(ScreeningQuery(name=query), index, threshold=0.75)
    return [h.ref for h in hits]


@pytest.mark.parametrize(
    "query",
    [
        "Zarif Qadir Noorzai",
        "NOORZAI, Zarif Qadir",
        "Mullah Zarif Qadir Noorzai",
        "Zareef Qadeer",
        "ظریف قادر نورزی",
        "ظريف قادر نورزي",  # Arabic yeh instead of Farsi yeh
    ],
)
def test_screen_finds_listed_person_across_spellings(query: str, index: ScreeningIndex) -> None:
    assert "TAi.901" in refs(query, index)


def test_screen_matches_tajik_cyrillic_to_latin(index: ScreeningIndex) -> None:
    assert set(refs("Дилшод Раҳмонов", index)) >= {"QDi.902", "9005"}
    assert "QDi.902" in refs("Dilshod Rahmonov", index)


def test_screen_does_not_hit_unrelated_name(index: ScreeningIndex) -> None:
    assert refs("Alice Fictional", index) == []
    assert refs("Zarif Smith", index) == []


def test_hit_json_has_list_ref_name_score_explanation(index: ScreeningIndex) -> None:
    (hit, *_) = screen(ScreeningQuery(name="Zareef Qadeer"), index)
    data = hit.to_dict()
    assert {"list", "ref", "name", "score", "explanation"} <= set(data)
    assert data["algorithm"] == ALGORITHM
    explanation = data["explanation"]
    assert isinstance(explanation, dict)
    assert {"name", "string", "phonetic"} <= set(explanation)


def test_birth_date_and_nationality_only_adjust_a_name_match(index: ScreeningIndex) -> None:
    # A name that matches well but not fully, so that agreeing details have room to raise the
    # score (v6 reads Zareef Qadir / Qadeer as one romanisation and scores it 1.0).
    plain = screen(ScreeningQuery(name="Zareef Qadar"), index, threshold=0.0)[0]
    assert plain.score < 0.99
    agree = screen(
        ScreeningQuery(name="Zareef Qadar", birth_date="1975-03-02", nationality="Afghanistan"),
        index,
        threshold=0.0,
    )[0]
    differ = screen(
        ScreeningQuery(name="Zareef Qadar", birth_date="1950", nationality="Norway"),
        index,
        threshold=0.0,
    )[0]
    assert agree.score > plain.score > differ.score
    assert {f.name for f in agree.explanation} >= {"birth_date", "nationality"}
    # nationality and birth date alone never make a hit
    assert (
        screen(
            ScreeningQuery(
                name="Alice Fictional", birth_date="1975-03-02", nationality="Afghanistan"
            ),
            index,
        )
        == []
    )


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x07", "--", "x" * 10_000])
def test_screen_rejects_bad_names_with_clear_errors(bad: str, index: ScreeningIndex) -> None:
    with pytest.raises(InputError, match="Name"):
        screen(ScreeningQuery(name=bad), index)


def test_control_characters_and_mixed_scripts_are_screened(index: ScreeningIndex) -> None:
    assert "TAi.901" in refs("Zar\x07if Qa\u200bdir Noorzai", index)
    hits = screen(ScreeningQuery(name="Zarif قادر Noorzai"), index, threshold=0.7)
    assert hits
    assert hits[0].ref == "TAi.901"
    assert any(f.name == "mixed_scripts" for f in hits[0].explanation)


def test_iter_screen_goes_on_after_a_bad_query(index: ScreeningIndex) -> None:
    queries = [ScreeningQuery(name=n) for n in ["Zarif Qadir", "", "Dilshod Rakhmonov"]]
    results = list(iter_screen(queries, index))
    assert isinstance(results[1][1], InputError)
    assert results[0][1] and results[2][1]


def test_index_accepts_threatwatch_actors(index: ScreeningIndex) -> None:
    local = ScreeningIndex(index.entries)
    local.add_actors([("Crimson Dune Brigade", ["Red Sand Battalion"], "actor-7")])
    hits = screen(ScreeningQuery(name="Red Sand Batallion"), local)
    assert {(h.list, h.ref) for h in hits} >= {("threatwatch", "actor-7"), ("un_sc", "QDe.903")}


def test_candidates_do_not_scan_the_whole_index() -> None:
    entries = [
        ListEntry(
            list="t",
            ref=str(i),
            schema="Person",
            names=(ListName(value=f"Person{i:05d} Surname{i % 97:03d}", kind=NameKind.PRIMARY),),
        )
        for i in range(3000)
    ]
    big = ScreeningIndex(entries)
    found = big.candidates(prepare_name("Person00042 Surname042"), limit=60)
    assert len(found) <= 60
    assert 42 in found


def test_score_registry_and_baseline(index: ScreeningIndex) -> None:
    entry = next(e for e in index.entries if e.ref == "TAi.901")
    assert set(ALGORITHMS) == {
        ALGORITHM_V1,
        ALGORITHM_V2,
        ALGORITHM_V3,
        ALGORITHM_V4,
        ALGORITHM_V5,
        ALGORITHM_V6,
        ALGORITHM_V7,
        BASELINE,
    }
    assert ALGORITHM == ALGORITHM_V7
    ours = score(ScreeningQuery(name="NOORZAI, Zareef"), entry)
    base = score(ScreeningQuery(name="NOORZAI, Zareef"), entry, algorithm=BASELINE)
    assert ours.algorithm == ALGORITHM and base.algorithm == BASELINE
    assert 0.0 <= base.score <= 1.0 and ours.score > 0.5
    with pytest.raises(ValueError, match="Unknown algorithm"):
        score(ScreeningQuery(name="x"), entry, algorithm="nope.v0")
