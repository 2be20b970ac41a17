"""spaCy's lemmatizer with every answer cached: the same lemmas, computed once per word form.

spaCy's rule lemmatizer caches only the answers that reach its rule tables; the base-form check
that comes first (`is_base_form`, which builds a morphology dict for each token) runs again for
every token, so on news text the lemmatizer costs about 5% of the whole extraction. Its answer
depends only on the token's form, part of speech and morphology, so here it is cached under
those three, for every path. `build_nlp` wraps the model's lemmatizer in this component;
`tests/extract/test_lemmas.py` checks that the lemmas are identical.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

CacheKey = tuple[int, int, int]
"""A token's form, part of speech and morphology, as spaCy's hashes."""


class CachedLemmatizer:
    """Set `token.lemma_` as a wrapped spaCy lemmatizer would, asking it once per key."""

    def __init__(self) -> None:
        self._lemmatizer: Any = None
        self._cache: dict[CacheKey, str] = {}

    def wrap(self, lemmatizer: Any) -> None:
        """Use `lemmatizer` (a `spacy.pipeline.Lemmatizer`) for the answers; clears the cache."""
        self._lemmatizer = lemmatizer
        self._cache = {}

    def __call__(self, doc: Doc) -> Doc:
        """Lemmatize the tokens of `doc` that have no lemma (all of them when overwriting)."""
        lemmatizer = self._lemmatizer
        if lemmatizer is None:
            raise ValueError("CachedLemmatizer.wrap(lemmatizer) was never called")
        overwrite = bool(lemmatizer.overwrite)
        cache = self._cache
        for token in doc:
            if not overwrite and token.lemma != 0:
                continue
            key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
            lemma = cache.get(key)
            if lemma is None:
                lemma = str(lemmatizer.lemmatize(token)[0])
                if len(cache) > 500_000:
                    cache.clear()
                cache[key] = lemma
            token.lemma_ = lemma
        return doc
