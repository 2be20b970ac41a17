"""Document -> incidents, actors and statements; the only package that imports spaCy."""

from threatwatch.extract.gazetteer import GazetteerEntry, load_gazetteer, make_actor_id
from threatwatch.extract.pipeline import DEFAULT_MODEL, Extractor, build_nlp, load_language
from threatwatch.extract.rules import EXTRACTOR

__all__ = [
    "DEFAULT_MODEL",
    "EXTRACTOR",
    "Extractor",
    "GazetteerEntry",
    "build_nlp",
    "load_gazetteer",
    "load_language",
    "make_actor_id",
]
