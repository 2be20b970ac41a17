"""A faster stand-in for spaCy's attribute ruler: the same patterns, the same token attributes.

`en_core_web_sm` sets part of speech, morphology and some lemmas with an `attribute_ruler` of
179 token patterns, run through spaCy's Matcher. On news text that costs about a tenth of the
whole extraction, more than the tagger and parser together. Every one of those patterns looks at
one or two neighbouring tokens and only at TAG, LOWER, DEP and IS_SPACE, so here they are
compiled into per-tag candidate lists and the outcome for each combination of token features is
cached. The semantics are spaCy's: every pattern is matched against the tokens as they were
before the component ran, then the matches are applied in pattern order (later patterns win), each
to the token at the pattern's `index`. `build_nlp` swaps this in only when every pattern of the
loaded pipeline is of a supported kind; `tests/extract/test_attributes.py` checks that the two
give identical tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

_FEATURES: dict[str, Callable[[Token], object]] = {
    "TAG": lambda token: token.tag_,
    "LOWER": lambda token: token.lower_,
    "DEP": lambda token: token.dep_,
    "IS_SPACE": lambda token: token.is_space,
}
_SETTABLE = frozenset({"POS", "TAG", "DEP", "LEMMA", "MORPH"})
_OPERATORS = frozenset({"IN", "NOT_IN", "REGEX"})

Test = Callable[[object], bool]
Features = tuple[str, str, str, bool]
"""TAG, LOWER, DEP and IS_SPACE of a token: all that a supported pattern can look at."""


def _value_test(value: object) -> Test:
    if isinstance(value, dict):
        [(operator, argument)] = value.items()
        if operator == "IN":
            members = frozenset(argument)
            return lambda feature: feature in members
        if operator == "NOT_IN":
            excluded = frozenset(argument)
            return lambda feature: feature not in excluded
        pattern = re.compile(argument)
        return lambda feature: isinstance(feature, str) and pattern.search(feature) is not None
    return lambda feature: feature == value


def _is_supported_value(value: object) -> bool:
    if not isinstance(value, dict):
        return isinstance(value, str | bool)
    return len(value) == 1 and next(iter(value)) in _OPERATORS


def is_supported(patterns: Iterable[Mapping[str, Any]]) -> bool:
    """Return whether every attribute-ruler pattern is of a kind this module compiles."""
    for entry in patterns:
        if not set(entry.get("attrs", {})) <= _SETTABLE:
            return False
        for alternative in entry.get("patterns", ()):
            if not 1 <= len(alternative) <= 2:
                return False
            for spec in alternative:
                if not set(spec) <= set(_FEATURES):
                    return False
                if not all(_is_supported_value(v) for v in spec.values()):
                    return False
    return True


@dataclass(frozen=True, slots=True)
class _Alternative:
    order: int
    """Position of the pattern entry: later entries overwrite earlier ones."""
    tests: tuple[tuple[tuple[int, Test], ...], ...]
    """Per token of the pattern: (feature position in Features, test) pairs."""
    index: int
    attrs: tuple[tuple[str, str], ...]


_POSITION = {name: number for number, name in enumerate(_FEATURES)}


class CompiledAttributeRuler:
    """Set token attributes from attribute-ruler patterns, as spaCy's `attribute_ruler` does."""

    def __init__(self) -> None:
        self._alternatives: list[_Alternative] = []
        self._by_tag: dict[str, tuple[_Alternative, ...]] = {}
        self._cache: dict[Features, tuple[_Alternative, ...]] = {}

    def set_patterns(self, patterns: Sequence[Mapping[str, Any]]) -> None:
        """Compile the patterns of an attribute ruler (`AttributeRuler.patterns`), in order.

        Raises:
            ValueError: a pattern uses something `is_supported` rejects.
        """
        if not is_supported(patterns):
            raise ValueError("attribute-ruler patterns of an unsupported kind")
        self._alternatives = [
            _Alternative(
                order=order,
                tests=tuple(
                    tuple((_POSITION[key], _value_test(value)) for key, value in spec.items())
                    for spec in alternative
                ),
                index=int(entry.get("index", 0)),
                attrs=tuple((key, str(value)) for key, value in entry["attrs"].items()),
            )
            for order, entry in enumerate(patterns)
            for alternative in entry["patterns"]
        ]
        self._by_tag = {}
        self._cache = {}

    def _for_tag(self, tag: str) -> tuple[_Alternative, ...]:
        """Alternatives whose first token may have this tag, in order (cached per tag)."""
        found = self._by_tag.get(tag)
        if found is None:
            position = _POSITION["TAG"]
            found = tuple(
                a
                for a in self._alternatives
                if all(test(tag) for p, test in a.tests[0] if p == position)
            )
            self._by_tag[tag] = found
        return found

    def _starting_at(self, features: Features) -> tuple[_Alternative, ...]:
        """Alternatives whose first token matches a token with these features (cached)."""
        found = self._cache.get(features)
        if found is None:
            found = tuple(
                a
                for a in self._for_tag(features[0])
                if all(test(features[position]) for position, test in a.tests[0])
            )
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[features] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        """Apply the patterns to `doc`, matching on its attributes before any change."""
        features: list[Features] = [
            (token.tag_, token.lower_, token.dep_, token.is_space) for token in doc
        ]
        matches: list[tuple[int, int, int, _Alternative]] = []
        for start, first in enumerate(features):
            for alternative in self._starting_at(first):
                length = len(alternative.tests)
                if length == 2:
                    if start + 1 >= len(features):
                        continue
                    following = features[start + 1]
                    if not all(test(following[p]) for p, test in alternative.tests[1]):
                        continue
                target = (
                    start + alternative.index
                    if alternative.index >= 0
                    else (start + length + alternative.index)
                )
                matches.append((alternative.order, start, target, alternative))
        matches.sort(key=lambda match: (match[0], match[1]))
        for _, _, target, alternative in matches:
            token = doc[target]
            for key, value in alternative.attrs:
                if key == "POS":
                    token.pos_ = value
                elif key == "TAG":
                    token.tag_ = value
                elif key == "DEP":
                    token.dep_ = value
                elif key == "LEMMA":
                    token.lemma_ = value
                else:
                    token.set_morph(value)  # type: ignore[attr-defined]  # missing from the stubs
        return doc
