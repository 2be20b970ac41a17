"""Time three spaCy components against threatwatch's exact stand-ins, on the same documents.

Parses N MUC-4 messages once with `en_core_web_sm` up to the parser, then times, on copies of
the same parses: spaCy's `attribute_ruler` against `CompiledAttributeRuler` (cold cache),
spaCy's lemmatizer against `CachedLemmatizer` (cold cache), and spaCy's entity recogniser
(greedy decoder) against `WidthOneRecognizer` (its beam decoder at width 1), and the same
two decoders for the parser, which keeps its greedy one. It also checks that each pair gives
identical tokens. Writes its section into BENCHMARKS.md unless --no-write.

    .venv/bin/python bench/bench_components.py [--docs 150]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sections import publish
from spacy.tokens import Doc, DocBin

from threatwatch.eval.muc4 import corpora_dir, iter_messages
from threatwatch.extract.attributes import CompiledAttributeRuler
from threatwatch.extract.entities import WidthOneRecognizer
from threatwatch.extract.lemmas import CachedLemmatizer
from threatwatch.extract.pipeline import load_language

REPO = Path(__file__).resolve().parent.parent
SECTION = "## spaCy components against their stand-ins"


def texts(limit: int) -> list[str]:
    shared = Path(os.environ.get("THREATWATCH_SHARED", REPO.parent / "shared"))
    found: list[str] = []
    for path in sorted(corpora_dir(shared / "data" / "muc4").glob("*/*-muc*")):
        for message in iter_messages(path):
            found.append(message.text)
            if len(found) == limit:
                return found
    return found


def timed(component: Callable[[Doc], Doc], docs: list[Doc]) -> tuple[float, list[Doc]]:
    start = time.perf_counter()
    done = [component(doc) for doc in docs]
    return time.perf_counter() - start, done


def timed_pipe(component: Any, docs: list[Doc]) -> tuple[float, list[Doc]]:
    """Time `component.pipe` over `docs` in the pipeline's batches of 16."""
    start = time.perf_counter()
    done = list(component.pipe(docs, batch_size=16))
    return time.perf_counter() - start, done


def attributes(doc: Doc) -> list[tuple[str, str, str, str]]:
    return [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave BENCHMARKS.md.")
    args = parser.parse_args()
    nlp = load_language()
    ruler = nlp.get_pipe("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer")
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        parsed = DocBin(docs=nlp.pipe(texts(args.docs)))
    tokens = sum(len(doc) for doc in parsed.get_docs(nlp.vocab))

    def copies() -> list[Doc]:
        return list(parsed.get_docs(nlp.vocab))

    compiled = CompiledAttributeRuler()
    compiled.set_patterns(ruler.patterns)  # type: ignore[attr-defined]
    spacy_ruler_s, spacy_ruled = timed(ruler, copies())
    compiled_s, compiled_ruled = timed(compiled, copies())
    same_attributes = all(
        attributes(a) == attributes(b) for a, b in zip(spacy_ruled, compiled_ruled, strict=True)
    )
    cached = CachedLemmatizer()
    cached.wrap(lemmatizer)
    spacy_lemma_s, spacy_lemmas = timed(lemmatizer, spacy_ruled)
    cached_s, cached_lemmas = timed(cached, compiled_ruled)
    same_lemmas = all(
        [t.lemma_ for t in a] == [t.lemma_ for t in b]
        for a, b in zip(spacy_lemmas, cached_lemmas, strict=True)
    )
    # the entity recogniser: spaCy's greedy decoder against the beam decoder at width 1
    recognizer = nlp.get_pipe("ner")
    width_one = WidthOneRecognizer()
    width_one.wrap(recognizer)
    spacy_ner_s, spacy_ents = timed_pipe(recognizer, spacy_lemmas)
    width_one_s, width_one_ents = timed_pipe(width_one, cached_lemmas)
    same_ents = all(
        [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
        for a, b in zip(spacy_ents, width_one_ents, strict=True)
    )
    # the parser keeps its greedy loop: the same comparison shows why (fresh parses up to the
    # tagger, twice, since the parser reads the tok2vec output that a DocBin does not keep)
    dep_parser = nlp.get_pipe("parser")
    width_one_parser = WidthOneRecognizer()
    width_one_parser.wrap(dep_parser)
    with nlp.select_pipes(disable=["parser", "attribute_ruler", "lemmatizer", "ner"]):
        tagged = [list(nlp.pipe(texts(args.docs))) for _ in range(2)]
    greedy_parse_s, greedy_parsed = timed_pipe(dep_parser, tagged[0])
    beam_parse_s, beam_parsed = timed_pipe(width_one_parser, tagged[1])
    same_parses = all(
        [(t.head.i, t.dep_) for t in a] == [(t.head.i, t.dep_) for t in b]
        for a, b in zip(greedy_parsed, beam_parsed, strict=True)
    )
    lines = [
        SECTION,
        "",
        f"Command: `.venv/bin/python bench/bench_components.py --docs {args.docs}` "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}). "
        f"{args.docs} MUC-4 messages ({tokens:,} tokens), parsed once; each component runs on "
        "copies of the same parses, one process, caches cold.",
        "",
        "| component | spaCy (s) | threatwatch (s) | speed-up | identical output |",
        "| --- | --- | --- | --- | --- |",
        f"| attribute ruler / `CompiledAttributeRuler` | {spacy_ruler_s:.2f} | {compiled_s:.2f} "
        f"| {spacy_ruler_s / compiled_s:.1f}x | {'yes' if same_attributes else 'NO'} |",
        f"| lemmatizer / `CachedLemmatizer` | {spacy_lemma_s:.2f} | {cached_s:.2f} "
        f"| {spacy_lemma_s / cached_s:.1f}x | {'yes' if same_lemmas else 'NO'} |",
        f"| entity recogniser (greedy) / `WidthOneRecognizer` (beam of 1), batches of 16 "
        f"| {spacy_ner_s:.2f} | {width_one_s:.2f} | {spacy_ner_s / width_one_s:.1f}x "
        f"| {'yes' if same_ents else 'NO'} |",
        f"| parser (greedy) / its beam of 1, batches of 16 (not used: slower) "
        f"| {greedy_parse_s:.2f} | {beam_parse_s:.2f} | {greedy_parse_s / beam_parse_s:.1f}x "
        f"| {'yes' if same_parses else 'NO'} |",
    ]
    text = "\n".join(lines) + "\n"
    publish(text, write=not args.no_write)


if __name__ == "__main__":
    main()
