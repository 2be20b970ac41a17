"""Our spaCy components: the actor ruler that tags gazetteer names with their canonical actor."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from threatwatch.extract.gazetteer import GazetteerEntry
from threatwatch.model import ActorKind

ACTOR_LABEL = "TW_ACTOR"
"""Entity label of gazetteer matches; `span.kb_id_` holds the canonical actor name."""


class InitialSplitter:
    """Splits a final capital and full stop (`ISIS-K.` -> `ISIS-K` `.`) at a sentence end.

    spaCy's tokenizer keeps `K.` whole, as it would an initial in a name, so a sentence ending
    in ISIS-K ran on into the next one. Only a letter after a hyphen and before a capitalised word
    is split: `John F. Kennedy` keeps its initial.
    """

    def __call__(self, doc: Doc) -> Doc:
        targets = [
            t
            for t in doc[1:]
            if len(t.text) == 2 and t.text[0].isupper() and t.text[1] == "."
            and t.nbor(-1).text == "-" and not t.nbor(-1).whitespace_
            and (t.i == len(doc) - 1 or t.nbor(1).is_title or t.nbor(1).is_space)
        ]  # fmt: skip
        self.mark_paragraphs(doc)
        if not targets:
            return doc
        with doc.retokenize() as retokenizer:
            for token in targets:
                retokenizer.split(token, [token.text[0], "."], heads=[(token, 0), (token, 0)])
        for token in doc[1:]:
            if token.nbor(-1).text == "." and token.nbor(-1).idx - 1 >= 0 and token.is_title:
                previous = token.nbor(-1)
                if (
                    previous.i >= 1
                    and len(previous.nbor(-1).text) == 1
                    and previous.nbor(-1).text.isupper()
                ):
                    token.is_sent_start = True
        return doc

    @staticmethod
    def mark_paragraphs(doc: Doc) -> None:
        """Start a sentence after a blank line, and after a short unpunctuated line (a headline,
        a byline) in mixed-case text. All-capital wire text wraps sentences across lines, so
        there only blank lines count.
        """
        text = doc.text  # built from the tokens on each access: read it once
        letters = [ch for ch in text[:2000] if ch.isalpha()]
        mixed_case = sum(ch.islower() for ch in letters) > len(letters) // 4
        for token in doc[1:]:
            previous = doc[token.i - 1]
            gap = previous.text if previous.is_space else previous.whitespace_
            if "\n" not in gap:
                continue
            line_start = text.rfind("\n", 0, previous.idx) + 1
            line = text[line_start : previous.idx + len(previous.text)].strip()
            headline = mixed_case and len(line) < 100 and not line.endswith((".", ",", ";", ":"))
            if gap.count("\n") >= 2 or headline:
                token.is_sent_start = True

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Split a stream of docs."""
        for doc in docs:
            yield self(doc)


class ActorRuler:
    """Tags every gazetteer alias as a TW_ACTOR entity, taking precedence over model entities."""

    def __init__(self, nlp: Language, entries: Sequence[GazetteerEntry]) -> None:
        self.kinds: dict[str, ActorKind] = {e.name: e.kind for e in entries}
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for entry in entries:
            folded = [n for n in (entry.name, *entry.aliases) if n not in entry.case_sensitive]
            self._lower.add(entry.name, [nlp.make_doc(n) for n in folded])
            if entry.case_sensitive:
                self._exact.add(entry.name, [nlp.make_doc(n) for n in entry.case_sensitive])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=ACTOR_LABEL, kb_id=doc.vocab.strings[match_id])
            for matcher in (self._lower, self._exact)
            for match_id, start, end in matcher(doc)
        ]
        if not spans:
            return doc
        ours = filter_spans(spans)
        taken = {i for span in ours for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = filter_spans(ours + kept)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Tag a stream of docs."""
        for doc in docs:
            yield self(doc)
