"""Reading the raw MUC-3/4 texts, datelines and 25-slot keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from threatwatch.errors import InputError
from threatwatch.eval.muc4 import load_split, parse_dateline, parse_entities


@pytest.mark.parametrize(
    ("line", "place", "country", "published", "source"),
    [
        (
            "   SAN SALVADOR, 3 JAN 90 (RADIO VENCEREMOS) -- [TEXT] X",
            "SAN SALVADOR",
            None,
            date(1990, 1, 3),
            "RADIO VENCEREMOS",
        ),
        ("LIMA, 10 JAN 90 (EFE) -- [TEXT]", "LIMA", None, date(1990, 1, 10), "EFE"),
        (
            "PANAMA CITY (PANAMA), 21 DEC 89 -- [REPORT]",
            "PANAMA CITY",
            "PANAMA",
            date(1989, 12, 21),
            None,
        ),
        ("CLANDESTINE, NO DATE (RADIO LIBRE) -- [TEXT]", None, None, None, "RADIO LIBRE"),
        ("BOGOTA, 7 MAY -- [TEXT]", "BOGOTA", None, None, None),
    ],
)
def test_parse_dateline_reads_place_date_and_source(
    line: str, place: str | None, country: str | None, published: date | None, source: str | None
) -> None:
    dateline = parse_dateline(line)
    assert dateline is not None
    assert (dateline.place, dateline.country, dateline.published, dateline.source) == (
        place,
        country,
        published,
        source,
    )


def test_parse_dateline_rejects_body_text() -> None:
    assert parse_dateline("THE ARMY DENIED TODAY THAT GUERRILLAS ATTACKED THE FARM.") is None
    assert parse_dateline("LIMA, 31 FEB 90 -- X").published is None  # type: ignore[union-attr]


def test_parse_entities_takes_left_side_of_cross_references() -> None:
    lines = ('"MILITARY" / "SOME MILITARY"', '"FORMER MINISTER": "ANA VERO"', "-")
    assert list(parse_entities(lines)) == [("military", "some military"), ("former minister",)]


def test_load_split_reads_texts_datelines_and_relevant_keys(muc4_fixture_dir: Path) -> None:
    messages, keys = load_split(muc4_fixture_dir, "dev")
    assert [m.docid for m in messages] == ["TST1-MUC3-0001", "TST1-MUC3-0002", "TST2-MUC4-0001"]
    first = messages[0]
    assert first.text.lstrip().startswith("PORT LANTO, 12 MAR 90 (RADIO NORTE) --")
    assert "CLAIMED THE ATTACK." in first.text
    document = first.to_document()
    assert document.published == date(1990, 3, 12)
    assert document.title == "TST1-MUC3-0001"
    assert keys["TST1-MUC3-0002"] == []  # the `*` template of an irrelevant message is dropped
    (key,) = keys["TST1-MUC3-0001"]
    assert key.value(19) == ('"MAYOR": "ANA VERO"', '"BODYGUARDS"')  # continuation line
    assert key.value(12) == ()
    template = key.to_template()
    assert template.incident_type == "attack"
    assert template.entities("PerpOrg") == (("red hand front",),)
    assert template.entities("Victim") == (("ana vero",),)


def test_load_split_rejects_unknown_split(muc4_fixture_dir: Path) -> None:
    with pytest.raises(InputError, match="'train'"):
        load_split(muc4_fixture_dir, "train")


def test_load_split_reads_real_dev_split(shared_dir: Path) -> None:
    messages, keys = load_split(shared_dir / "data" / "muc4", "dev")
    assert len(messages) == 200
    assert sum(len(v) for v in keys.values()) == 191
    assert sum(1 for m in messages if m.dateline is None) == 0
