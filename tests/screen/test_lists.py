"""Tests of the list loaders on tiny fictional list files."""

from __future__ import annotations

from pathlib import Path

import pytest

from threatwatch.errors import InputError
from threatwatch.model.screening import ListEntry, NameKind
from threatwatch.screen.lists import (
    OFAC_LIST,
    UN_LIST,
    load_ftm_json,
    load_list_file,
    load_lists,
    load_ofac_csv,
    load_un_xml,
    make_actor_entries,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "screen"


def by_ref(entries: tuple[ListEntry, ...], ref: str) -> ListEntry:
    return next(e for e in entries if e.ref == ref)


def names_of(entry: ListEntry, kind: NameKind) -> list[str]:
    return [n.value for n in entry.names if n.kind is kind]


def test_un_xml_keeps_names_by_kind_and_identifiers() -> None:
    loaded = load_un_xml(FIXTURES / "un_mini.xml")
    assert loaded.list == UN_LIST
    assert loaded.generated == "2030-01-15"
    zarif = by_ref(loaded.entries, "TAi.901")
    assert zarif.caption == "ZARIF QADIR NOORZAI"
    assert names_of(zarif, NameKind.AKA) == ["Mullah Zarif Akhund", "Zareef Qadeer"]
    assert names_of(zarif, NameKind.LOW_QUALITY) == ["Zarif"]
    assert names_of(zarif, NameKind.ORIGINAL_SCRIPT) == ["ظریف قادر نورزی"]
    assert zarif.birth_dates == ("1975-03-02", "1976", "1977")
    assert zarif.birth_places == ("Spin Ghar, Afghanistan",)
    assert zarif.nationalities == ("Afghanistan",)
    assert zarif.programmes == ("Taliban",)
    brigade = by_ref(loaded.entries, "QDe.903")
    assert brigade.schema == "Organization"
    assert names_of(brigade, NameKind.FKA) == ["Red Sand Battalion"]


def test_un_xml_skips_and_counts_an_entry_without_reference() -> None:
    loaded = load_un_xml(FIXTURES / "un_mini.xml")
    assert len(loaded.entries) == 3
    assert loaded.skipped == 1
    assert "missing reference" in loaded.problems[0]


@pytest.mark.parametrize("name", ["un_broken.xml", "not_un.xml"])
def test_un_xml_malformed_raises_input_error(name: str) -> None:
    with pytest.raises(InputError, match=name):
        load_un_xml(FIXTURES / name)


def test_ofac_csv_handles_quirks(ofac_dir: Path) -> None:
    loaded = load_ofac_csv(ofac_dir / "sdn.csv")
    assert loaded.list == OFAC_LIST
    refs = {e.ref for e in loaded.entries}
    assert refs == {"9001", "9002", "9003", "9005"}  # 9004 has too few columns
    zarif = by_ref(loaded.entries, "9001")
    assert zarif.programmes == ("SDGT", "FTO")
    assert zarif.schema == "Person"
    assert names_of(zarif, NameKind.AKA) == ["QADEER, Zareef"]
    assert names_of(zarif, NameKind.LOW_QUALITY) == ["ZARIF THE ELDER"]
    assert zarif.birth_dates == ("1975-03-02", "1976")
    assert zarif.birth_places == ("Spin Ghar, Afghanistan",)
    assert zarif.nationalities == ("Afghanistan",)
    assert by_ref(loaded.entries, "9003").schema == "Vessel"
    assert by_ref(loaded.entries, "9002").schema == "Organization"
    assert names_of(by_ref(loaded.entries, "9002"), NameKind.FKA) == ["RED SAND COMMERCE"]
    # sdn_comments.csv continues Remarks, including its a.k.a.
    dilshod = by_ref(loaded.entries, "9005")
    assert names_of(dilshod, NameKind.LOW_QUALITY) == ["DILSHOD THE SHORT"]
    assert dilshod.nationalities == ("Tajikistan",)


def test_ofac_csv_counts_bad_rows_and_orphan_aliases(ofac_dir: Path) -> None:
    loaded = load_ofac_csv(ofac_dir / "sdn.csv")
    assert loaded.skipped == 2
    assert any("ORPHAN ALIAS" in p for p in loaded.problems)
    assert any("line 4" in p for p in loaded.problems)
    assert all(n.value != "ORPHAN ALIAS" for e in loaded.entries for n in e.names)


def test_ofac_csv_binary_or_empty_file_raises(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(InputError, match="binary"):
        load_ofac_csv(tmp_path / "sdn.csv")
    (tmp_path / "sdn.csv").write_bytes(b"1,2,3\r\n\x1a")
    with pytest.raises(InputError, match="no SDN rows"):
        load_ofac_csv(tmp_path / "sdn.csv")


def test_ftm_json_lines_keep_scripts_and_skip_bad_lines() -> None:
    loaded = load_ftm_json(FIXTURES / "entities.ftm.json")
    assert loaded.list == "ftm:fict_sanctions"
    assert [e.ref for e in loaded.entries] == ["ftm-1", "ftm-3"]
    assert loaded.skipped == 1
    person = loaded.entries[0]
    assert names_of(person, NameKind.ORIGINAL_SCRIPT) == ["Илья Петрович Морозкин"]
    assert person.birth_dates == ("1980-07-07",)


def test_ftm_json_with_no_entity_raises() -> None:
    with pytest.raises(InputError, match="no FtM entity"):
        load_ftm_json(FIXTURES / "bad.ftm.json")


def test_load_list_file_refuses_unknown_and_partial_files(ofac_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="part of OFAC"):
        load_list_file(ofac_dir / "alt.csv")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="Unknown list format"):
        load_list_file(tmp_path / "notes.txt")
    with pytest.raises(InputError, match="No list file"):
        load_lists([tmp_path])


def test_load_lists_walks_a_folder_once_per_list(ofac_dir: Path) -> None:
    loaded = load_lists([ofac_dir])
    assert [entry.list for entry in loaded] == [OFAC_LIST]


def test_make_actor_entries() -> None:
    (entry,) = make_actor_entries([("Crimson Dune", ["CDB", "Red Sand"], "actor-1")])
    assert entry.list == "threatwatch"
    assert entry.caption == "Crimson Dune"
    assert names_of(entry, NameKind.AKA) == ["CDB", "Red Sand"]
