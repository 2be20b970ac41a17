"""The gazetteer and the actor ruler: aliases resolve to one canonical actor."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from threatwatch.errors import ConfigError
from threatwatch.extract.components import ACTOR_LABEL, ActorRuler, InitialSplitter
from threatwatch.extract.gazetteer import load_gazetteer, make_actor_id
from threatwatch.model import ActorKind


def test_builtin_gazetteer_merges_isis_k_aliases() -> None:
    entries = {e.name: e for e in load_gazetteer()}
    aliases = set(entries["ISIS-K"].aliases)
    assert {"ISKP", "IS-K", "ISIS-Khorasan", "Islamic State Khorasan Province"} <= aliases
    assert entries["ISIS-K"].kind is ActorKind.ARMED_GROUP
    assert make_actor_id("ISIS-K") == make_actor_id("isis-k")


def test_user_gazetteer_adds_actor_and_aliases(tmp_path: Path) -> None:
    extra = tmp_path / "extra.jsonl"
    extra.write_text(
        '{"name": "Northern Flame", "kind": "armed_group", "aliases": ["NFB"]}\n'
        '{"name": "ISIS-K", "kind": "armed_group", "aliases": ["Khorasan wing"]}\n'
    )
    entries = {e.name: e for e in load_gazetteer(extra)}
    assert entries["Northern Flame"].aliases == ("NFB",)
    assert "Khorasan wing" in entries["ISIS-K"].aliases
    assert "ISKP" in entries["ISIS-K"].aliases


def test_user_gazetteer_bad_line_names_file_and_line(tmp_path: Path) -> None:
    extra = tmp_path / "bad.jsonl"
    extra.write_text('{"name": "X", "kind": "armed_group"}\n{"name": "Y", "kind": "gang"}\n')
    with pytest.raises(ConfigError, match=r"line 2"):
        load_gazetteer(extra)
    with pytest.raises(ConfigError, match="Cannot read gazetteer"):
        load_gazetteer(tmp_path / "missing.jsonl")


def test_actor_ruler_tags_aliases_with_canonical_name() -> None:
    nlp = spacy.blank("en")
    ruler = ActorRuler(nlp, load_gazetteer())
    doc = ruler(nlp("Officials blamed ISKP, while IS denied that the Islamic State was involved."))
    found = [(e.text, e.kb_id_) for e in doc.ents if e.label_ == ACTOR_LABEL]
    assert ("ISKP", "ISIS-K") in found
    assert ("IS", "ISIS") in found
    assert ("Islamic State", "ISIS") in found


def test_actor_ruler_short_acronyms_are_case_sensitive() -> None:
    nlp = spacy.blank("en")
    ruler = ActorRuler(nlp, load_gazetteer())
    doc = ruler(nlp("It is what it is, said the un-named source."))
    assert not [e for e in doc.ents if e.label_ == ACTOR_LABEL]


def test_initial_splitter_ends_sentence_after_isis_k() -> None:
    nlp = spacy.blank("en")
    doc = InitialSplitter()(nlp("Suspicion fell on ISIS-K. While ISIS claimed it, John F. Kennedy"))
    words = [t.text for t in doc]
    assert words[words.index("K") + 1] == "."
    assert doc[words.index("While")].is_sent_start
    assert "F." in words  # an initial inside a name is left alone
