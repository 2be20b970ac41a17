"""Tests of `threatwatch.screen.v3`: legal forms folded, and v1/v2 left exactly as they were."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from threatwatch.model.screening import ScreeningQuery
from threatwatch.normalize import name_tokens
from threatwatch.screen.forms import legal_form_tokens
from threatwatch.screen.index import ScreeningIndex
from threatwatch.screen.match import (
    ALGORITHM_V1,
    ALGORITHM_V2,
    ALGORITHM_V3,
    ALGORITHMS,
    THRESHOLDS,
    score,
    screen,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "screen"


def load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_v1_v2_outputs", FIXTURES / "make_v1_v2_outputs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Vellmar Feinwerk Aktiengesellschaft", ("vellmar", "feinwerk", "~ag")),
        ("Vellmar Feinwerk AG", ("vellmar", "feinwerk", "~ag")),
        ("Grupo Tenaztla SA de CV", ("grupo", "tenaztla", "~sa")),
        ("Public Joint Stock Company Severokamsk", ("~jsc", "severokamsk")),
        ("PJSC Severokamsk", ("~jsc", "severokamsk")),
        ("Severokamsk OAO", ("severokamsk", "~jsc")),
        ("\u041e\u041e\u041e Ромашка", ("~llc", "romashka")),  # Cyrillic OOO
        ("Blue Kestrel G.m.b.H.", ("blue", "kestrel", "~gmbh")),
        ("Orlanda Maritime S.R.L.", ("orlanda", "maritime", "~srl")),
        ("Orlanda Trading Co., Ltd.", ("orlanda", "trading", "~co", "~ltd")),
        ("Faberlic Europe Sp. z o.o.", ("faberlic", "europe", "~llc")),
    ],
)
def test_legal_forms_fold_to_one_canonical_token(name: str, expected: tuple[str, ...]) -> None:
    assert legal_form_tokens(name, organisation=True) == expected


def test_spelled_out_and_short_forms_fold_alike() -> None:
    long = legal_form_tokens("Northwind Limited Liability Company", organisation=True)
    short = legal_form_tokens("Northwind L.L.C.", organisation=True)
    assert long == short == ("northwind", "~llc")


def test_person_names_keep_look_alike_tokens() -> None:
    # "Sa", "Co" or "As" as a first token of a person's name is a name, not a legal form
    assert legal_form_tokens("Sa Ali") == ("sa", "ali")
    assert legal_form_tokens("Ag Hamid Musa") == name_tokens("Ag Hamid Musa")
    # a name made only of forms keeps them as ordinary tokens
    assert legal_form_tokens("Company Limited", organisation=True) == ("co", "ltd")


def test_v3_matches_an_organisation_across_legal_form_spellings(ofac_dir: Path) -> None:
    maker = load_maker()
    plain = maker.build_index(ofac_dir)
    folded = ScreeningIndex(plain.entries, legal_forms=True)
    for name, ref in [
        ("Vellmar Feinwerk AG", "org-1"),
        ("Grupo Tenaztla SA de CV", "org-2"),
        ("PJSC Severokamsk Shipyard", "org-3"),
        ("Blue Kestrel Holdings GmbH", "org-5"),
    ]:
        query = ScreeningQuery(name=name, schema="Company")
        hits = screen(query, folded, algorithm=ALGORITHM_V3)
        assert hits, name
        assert hits[0].ref == ref
        assert hits[0].algorithm == ALGORITHM_V3
        assert hits[0].score >= THRESHOLDS[ALGORITHM_V3]


def test_v3_legal_form_alone_does_not_make_a_match(ofac_dir: Path) -> None:
    maker = load_maker()
    folded = ScreeningIndex(maker.build_index(ofac_dir).entries, legal_forms=True)
    # shares only the legal form (and "Trading") with Orlanda Trading Company Limited
    query = ScreeningQuery(name="Zentrak Trading Company Limited", schema="Company")
    assert not screen(query, folded, algorithm=ALGORITHM_V3)
    v3 = score(query, folded.entries[-3], algorithm=ALGORITHM_V3)
    v2 = score(query, folded.entries[-3], algorithm=ALGORITHM_V2)
    assert folded.entries[-3].ref == "org-4"
    assert v3.score < v2.score


def test_v3_is_registered() -> None:
    assert ALGORITHM_V3 in ALGORITHMS
    assert ALGORITHM_V3 in THRESHOLDS


@pytest.mark.parametrize("algorithm", [ALGORITHM_V1, ALGORITHM_V2])
def test_v1_and_v2_outputs_are_unchanged(ofac_dir: Path, algorithm: str) -> None:
    """The outputs recorded before v3 existed (see make_v1_v2_outputs.py) are reproduced."""
    recorded = json.loads((FIXTURES / "v1_v2_outputs.json").read_text(encoding="utf-8"))
    now = json.loads(json.dumps(load_maker().collect(algorithm, ofac_dir), ensure_ascii=False))
    assert now == recorded[algorithm]


def test_lookalike_digits_read_as_letters_only_inside_words() -> None:
    assert legal_form_tokens("Ig0r Sech1n") == ("igor", "sechin")
    assert legal_form_tokens("Brigade 44") == ("brigade", "44")
    assert legal_form_tokens("Unit 731b") == ("unit", "731b")
    # v2 keeps the digits
    assert name_tokens("Ig0r Sech1n") == ("ig0r", "sech1n")
