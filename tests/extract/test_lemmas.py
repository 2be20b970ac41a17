"""The cached lemmatizer gives exactly the lemmas of the spaCy lemmatizer it wraps."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from threatwatch.extract.lemmas import CachedLemmatizer
from threatwatch.extract.pipeline import build_nlp, load_language


class CountingLemmatizer:
    """A stand-in lemmatizer that strips a final "s" and counts how often it is asked."""

    overwrite = False

    def __init__(self) -> None:
        self.calls = 0

    def lemmatize(self, token: object) -> list[str]:
        self.calls += 1
        text = str(token).lower()
        return [text[:-1] if text.endswith("s") else text]


def test_each_form_is_asked_once_and_set_lemmas_stay() -> None:
    nlp = spacy.blank("en")
    doc = nlp("bombs and bombs and Bombs")
    doc[2].lemma_ = "kept"
    counting = CountingLemmatizer()
    cached = CachedLemmatizer()
    cached.wrap(counting)
    cached(doc)
    assert [t.lemma_ for t in doc] == ["bomb", "and", "kept", "and", "bomb"]
    assert counting.calls == 3  # "bombs", "and", "Bombs": one per distinct form


def test_unwrapped_lemmatizer_says_so() -> None:
    with pytest.raises(ValueError, match="wrap"):
        CachedLemmatizer()(spacy.blank("en")("text"))


@pytest.mark.model
def test_cached_lemmas_equal_spacy_on_the_sample_corpus() -> None:
    assert isinstance(build_nlp().get_pipe("lemmatizer"), CachedLemmatizer)
    nlp = load_language()
    reference = nlp.get_pipe("lemmatizer")
    cached = CachedLemmatizer()
    cached.wrap(reference)
    corpus = Path(__file__).resolve().parents[2] / "samples" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md"))]
    with nlp.select_pipes(disable=["lemmatizer", "ner"]):
        parsed = list(nlp.pipe(texts))
    tokens = 0
    for doc in parsed:
        copy = doc.copy()
        assert [t.lemma_ for t in cached(doc)] == [t.lemma_ for t in reference(copy)]
        tokens += len(doc)
    assert tokens > 4_000
