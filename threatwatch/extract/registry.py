"""Registered spaCy factories; every name is versioned (a behaviour change means a new name)."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from threatwatch.extract.attributes import CompiledAttributeRuler
from threatwatch.extract.components import ActorRuler, InitialSplitter
from threatwatch.extract.entities import WidthOneRecognizer
from threatwatch.extract.gazetteer import load_gazetteer
from threatwatch.extract.lemmas import CachedLemmatizer

ACTOR_RULER = "threatwatch_actor_ruler_v1"
INITIAL_SPLITTER = "threatwatch_initial_splitter_v1"
COMPILED_ATTRIBUTES = "threatwatch_compiled_attribute_ruler_v1"
CACHED_LEMMATIZER = "threatwatch_cached_lemmatizer_v1"
WIDTH_ONE_NER = "threatwatch_width_one_ner_v1"


@Language.factory(ACTOR_RULER, default_config={"gazetteer": None})
def make_actor_ruler(nlp: Language, name: str, gazetteer: str | None) -> ActorRuler:
    """Create the actor ruler from the built-in gazetteer plus an optional user file."""
    return ActorRuler(nlp, load_gazetteer(Path(gazetteer) if gazetteer else None))


@Language.factory(INITIAL_SPLITTER)
def make_initial_splitter(nlp: Language, name: str) -> InitialSplitter:
    """Create the splitter of sentence-final capitals (`ISIS-K.`)."""
    return InitialSplitter()


@Language.factory(COMPILED_ATTRIBUTES)
def make_compiled_attribute_ruler(nlp: Language, name: str) -> CompiledAttributeRuler:
    """Create an empty compiled attribute ruler; `set_patterns` fills it."""
    return CompiledAttributeRuler()


@Language.factory(CACHED_LEMMATIZER)
def make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    """Create an empty cached lemmatizer; `wrap` gives it the lemmatizer to ask."""
    return CachedLemmatizer()


@Language.factory(WIDTH_ONE_NER)
def make_width_one_ner(nlp: Language, name: str) -> WidthOneRecognizer:
    """Create an empty width-one entity decoder; `wrap` gives it the recogniser to decode with."""
    return WidthOneRecognizer()


def decode_entities_at_width_one(nlp: Language) -> None:
    """Put a `WidthOneRecognizer` in place of `nlp`'s `ner` (if it has one), under that name."""
    if "ner" not in nlp.pipe_names:
        return
    recognizer = nlp.get_pipe("ner")
    if not hasattr(recognizer, "beam_parse"):
        return
    decoder = nlp.replace_pipe("ner", WIDTH_ONE_NER)
    assert isinstance(decoder, WidthOneRecognizer)
    decoder.wrap(recognizer)
