"""The compiled attribute ruler gives exactly what spaCy's attribute_ruler gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from threatwatch.extract.attributes import CompiledAttributeRuler, is_supported
from threatwatch.extract.pipeline import build_nlp, load_language

# Hand-written patterns exercising each supported form: literal and set values, NOT_IN, REGEX,
# two-token patterns with positive and negative index, alternatives, and a later pattern
# overwriting an earlier one on the same token.
PATTERNS: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBD"}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Past"}},
    {"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"TAG": {"IN": ["NNP", "NNPS"]}}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"TAG": "VBD", "LOWER": "was"}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
    {
        "patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": "DT"}]],
        "attrs": {"POS": "PRON"},
    },
    {"patterns": [[{"LOWER": {"REGEX": "^bomb"}}]], "attrs": {"LEMMA": "bomb"}},
    {"patterns": [[{"LOWER": "car"}, {"LOWER": "bomb"}]], "attrs": {"LEMMA": "car-bomb"}},
    {
        "patterns": [[{"LOWER": "was"}, {"TAG": "VBN"}]],
        "attrs": {"MORPH": "Voice=Pass"},
        "index": -1,
    },
    {"patterns": [[{"LOWER": "gets"}], [{"LOWER": "got"}]], "attrs": {"LEMMA": "get"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
]

WORDS = ["The", "car", "bomb", "was", "planted", "and", "that", "got", "him", "\n", "Lima"]
TAGS = ["DT", "NN", "NN", "VBD", "VBN", "CC", "DT", "VBD", "PRP", "_SP", "NNP"]
DEPS = ["det", "compound", "nsubjpass", "auxpass", "ROOT", "cc", "nsubj", "conj", "dobj", "", "npadvmod"]  # fmt: skip
HEADS = [2, 2, 4, 4, 4, 4, 7, 4, 7, 8, 4]


def _attributes(doc: Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.pos_, t.tag_, t.dep_, t.lemma_, str(t.morph)) for t in doc]


def _doc(nlp: Language) -> Doc:
    return Doc(nlp.vocab, words=WORDS, tags=TAGS, deps=DEPS, heads=HEADS)


def test_compiled_ruler_equals_spacy_on_every_pattern_form() -> None:
    nlp = spacy.blank("en")
    reference = nlp.add_pipe("attribute_ruler")
    reference.add_patterns(PATTERNS)  # type: ignore[attr-defined]
    compiled = CompiledAttributeRuler()
    compiled.set_patterns(PATTERNS)
    expected = _attributes(reference(_doc(nlp)))
    assert _attributes(compiled(_doc(nlp))) == expected
    # The cases the patterns were written for, so that the equality is not vacuous.
    by_word = dict(zip(WORDS, expected, strict=True))
    assert by_word["was"][0] == "AUX"  # a later pattern overwrites the VBD one
    assert by_word["that"][0] == "PRON"  # NOT_IN on the dependency
    assert by_word["car"][3] == "car-bomb"  # a two-token pattern sets its first token
    assert by_word["bomb"][3] == "bomb"  # REGEX on the lowercase form
    assert by_word["planted"][4] == "Voice=Pass"  # negative index: the last token
    assert by_word["got"][3] == "get"  # second alternative
    assert by_word["\n"][:2] == ("SPACE", "_SP")


def test_unsupported_patterns_are_refused() -> None:
    three_tokens = [{"patterns": [[{"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}]], "attrs": {}}]
    other_feature = [{"patterns": [[{"ENT_TYPE": "GPE"}]], "attrs": {"POS": "PROPN"}}]
    extension = [{"patterns": [[{"LOWER": "a"}]], "attrs": {"_": {"flag": True}}}]
    operator = [{"patterns": [[{"LENGTH": {">=": 3}}]], "attrs": {"POS": "X"}}]
    assert is_supported(PATTERNS)
    for patterns in (three_tokens, other_feature, extension, operator):
        assert not is_supported(patterns)
    with pytest.raises(ValueError, match="unsupported"):
        CompiledAttributeRuler().set_patterns(other_feature)


@pytest.mark.model
def test_build_nlp_swaps_in_the_compiled_ruler() -> None:
    assert isinstance(build_nlp().get_pipe("attribute_ruler"), CompiledAttributeRuler)


@pytest.mark.model
def test_compiled_ruler_equals_spacy_on_the_sample_corpus() -> None:
    nlp = load_language()
    reference = nlp.get_pipe("attribute_ruler")
    compiled = CompiledAttributeRuler()
    compiled.set_patterns(reference.patterns)  # type: ignore[attr-defined]
    corpus = Path(__file__).resolve().parents[2] / "samples" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md"))]
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        parsed = list(nlp.pipe(texts))
    tokens = 0
    for doc in parsed:
        copy = doc.copy()
        assert _attributes(compiled(doc)) == _attributes(reference(copy))
        tokens += len(doc)
    assert tokens > 4_000
