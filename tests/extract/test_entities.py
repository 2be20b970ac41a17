"""Decoding spaCy's entity recogniser at beam width 1 gives exactly its greedy entities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from threatwatch.extract.entities import WidthOneRecognizer
from threatwatch.extract.learned import MODEL_DIR, SETTINGS_FILE, LearnedModel
from threatwatch.extract.pipeline import build_nlp, load_language

CORPUS = Path(__file__).resolve().parents[2] / "samples" / "corpus"


def corpus_texts() -> list[str]:
    """The sample reports as written, and again in capitals as old wire copy is set."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))]
    return texts + [t.upper() for t in texts]


def entities(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents]


def test_unwrapped_decoder_says_so() -> None:
    with pytest.raises(ValueError, match="wrap"):
        WidthOneRecognizer()(spacy.blank("en")("text"))


@pytest.mark.model
def test_width_one_entities_equal_spacy_greedy_ones() -> None:
    assert isinstance(build_nlp().get_pipe("ner"), WidthOneRecognizer)
    nlp = load_language()
    reference = nlp.get_pipe("ner")
    decoder = WidthOneRecognizer()
    decoder.wrap(reference)
    with nlp.select_pipes(disable=["ner"]):
        parsed = DocBin(docs=nlp.pipe(corpus_texts()))
    greedy = list(reference.pipe(parsed.get_docs(nlp.vocab)))
    beam = list(decoder.pipe(parsed.get_docs(nlp.vocab), batch_size=4))
    assert [entities(d) for d in beam] == [entities(d) for d in greedy]
    assert sum(len(d.ents) for d in greedy) > 300  # the check covers many entities
    empty = nlp.make_doc("")
    assert decoder(empty).ents == ()


@pytest.mark.model
def test_learned_role_fillers_are_unchanged() -> None:
    settings = json.loads((MODEL_DIR / SETTINGS_FILE).read_text(encoding="utf-8"))
    greedy = LearnedModel(spacy.load(MODEL_DIR), settings)
    width_one = LearnedModel.load()
    assert isinstance(width_one._nlp.get_pipe("ner"), WidthOneRecognizer)
    texts = corpus_texts()
    expected = greedy.predict(texts, all_roles=True)
    found = width_one.predict(texts, all_roles=True)
    assert [p.roles for p in found] == [p.roles for p in expected]
    assert sum(len(p.roles) for p in expected) > 20
