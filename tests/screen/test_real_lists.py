"""Checks on the real list snapshots in the shared data folder (skipped when it is absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from threatwatch.model.screening import ListEntry, NameKind, ScreeningQuery
from threatwatch.screen.index import ScreeningIndex
from threatwatch.screen.lists import LoadedList, load_ofac_csv, load_un_xml
from threatwatch.screen.match import screen

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def un(shared_dir: Path) -> LoadedList:
    return load_un_xml(shared_dir / "data" / "sanctions" / "un_sc" / "UN_consolidated.xml")


@pytest.fixture(scope="module")
def un_index(un: LoadedList) -> ScreeningIndex:
    return ScreeningIndex(un.entries)


def entry(loaded: LoadedList, ref: str) -> ListEntry:
    return next(e for e in loaded.entries if e.ref == ref)


def test_un_counts_and_isil_k(un: LoadedList) -> None:
    assert len(un.entries) == 1003
    assert sum(e.schema == "Person" for e in un.entries) == 730
    isil_k = entry(un, "QDe.161")
    aliases = [n.value for n in isil_k.names if n.kind is NameKind.AKA]
    assert len(aliases) == 12
    assert "ISIS-K" in aliases
    taliban = [e for e in un.entries if e.schema == "Person" and "Taliban" in e.programmes]
    assert len(taliban) == 135
    assert all(any(n.kind is NameKind.ORIGINAL_SCRIPT for n in e.names) for e in taliban)


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("ISIS-K", "QDe.161"),
        ("Islamic State Khorasan Province", "QDe.161"),
        ("GHAFARI, Sanaullah", "QDi.431"),
        ("Гулмурод Халимов", "QDi.372"),
        ("Mullah Baradar Akhund", "TAi.024"),
    ],
)
def test_screen_real_un_list(query: str, ref: str, un_index: ScreeningIndex) -> None:
    hits = screen(ScreeningQuery(name=query), un_index)
    assert hits and hits[0].ref == ref


def test_pashto_name_finds_latin_only_entry(un: LoadedList) -> None:
    latin_only = [
        ListEntry(
            list=e.list,
            ref=e.ref,
            schema=e.schema,
            names=tuple(n for n in e.names if n.kind is not NameKind.ORIGINAL_SCRIPT),
        )
        for e in un.entries
    ]
    hits = screen(ScreeningQuery(name="عبدالغنی برادر عبد الاحمد ترک"), ScreeningIndex(latin_only))
    assert hits and hits[0].ref == "TAi.024"


def test_ofac_set_drops_orphan_aliases(shared_dir: Path, tmp_path: Path) -> None:
    data = shared_dir / "data" / "sanctions"
    shutil.copy(data / "ofac_sdn_2024-05-03" / "sdn.csv", tmp_path)
    for name in ("alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(data / "ofac_alt_add_2025-02" / name, tmp_path)
    ofac = load_ofac_csv(tmp_path / "sdn.csv")
    assert len(ofac.entries) == 14965
    isil_k = entry(ofac, "18647")
    assert isil_k.programmes == ("FTO", "SDGT")
    assert len([n for n in isil_k.names if n.kind is NameKind.AKA]) == 11
    # 19,486 alias rows, of which 18,018 have their entity in this sdn.csv
    assert ofac.skipped == 19486 - 18018
