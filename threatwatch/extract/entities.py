"""spaCy's entity recogniser decoded by its own beam search at width 1: same entities, faster.

spaCy 3.8 decodes a transition-based component greedily in a C loop that runs without the GIL.
As compiled in the 3.8 wheels, though, the state accessor that loop calls most (`StateC::B`,
which reads the next tokens of the buffer) takes the GIL and gives it back on every call. The
entity recogniser calls it a few hundred times per token (it checks each of its 74 moves): under
`perf` on MUC-4 messages, locking and unlocking took about 37% of its time. The dependency
parser loses time the same way, but its beam search at width 1 is slower than its greedy loop
(two steps per token) and does not give all the same parses, so it keeps the greedy one
(`bench/bench_components.py`).

The beam decoder does the same arithmetic with the GIL held, a whole batch per step. At width 1
it keeps, at every step, the best-scoring valid move of the single state, which is the greedy
decoder's choice, so the entities are the same: `tests/extract/test_entities.py` checks this
against spaCy's own `ner` on real text, and `bench/bench_components.py` times both.
`build_nlp` and `LearnedModel.load` put this component in place of a pipeline's `ner`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from spacy.tokens import Doc


class WidthOneRecognizer:
    """Set `doc.ents` as a wrapped spaCy `EntityRecognizer` would, with its beam decoder at 1."""

    def __init__(self) -> None:
        self._recognizer: Any = None

    def wrap(self, recognizer: Any) -> None:
        """Decode with `recognizer` (a `spacy.pipeline.EntityRecognizer` with its weights)."""
        self._recognizer = recognizer

    def _get(self) -> Any:
        if self._recognizer is None:
            raise ValueError("WidthOneRecognizer.wrap(recognizer) was never called")
        return self._recognizer

    def _annotate(self, docs: list[Doc]) -> None:
        recognizer = self._get()
        tagged = [doc for doc in docs if len(doc)]
        if tagged:
            beams = recognizer.beam_parse(tagged, beam_width=1)
            recognizer.set_annotations(tagged, beams)

    def __call__(self, doc: Doc) -> Doc:
        """Find the entities of one document."""
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Find the entities of many documents, a batch at a time; yields them in order."""
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            self._annotate(batch)
            yield from batch
