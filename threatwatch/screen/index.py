"""The candidate index: every list name prepared once, and blocking keys that find candidates.

A query looks up its tokens' keys (consonant skeleton, first and last letters) in an inverted
index and scores only the names that share the rarest keys, never the whole list.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from threatwatch.model.screening import ListEntry, ListName, NameKind
from threatwatch.normalize import detect_scripts, name_tokens, skeleton_token
from threatwatch.screen.forms import legal_form_tokens, read_words
from threatwatch.screen.lists import make_actor_entries

ORGANISATION_SCHEMAS = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
_KINDS = {
    "Person": 1,
    "Organization": 2,
    "Company": 2,
    "PublicBody": 2,
    "Vessel": 3,
    "Airplane": 4,
}


def schema_kind(schema: str | None) -> int:
    """Return the kind of thing a schema names: 1 person, 2 organisation, 3 vessel, 4 aircraft.

    0 leaves the kind open (no schema, or `LegalEntity`, which may be a person or a body). A
    query and an entry of two different non-zero kinds never match: a person is not a company.
    """
    return _KINDS.get(schema or "", 0)


MAX_POSTINGS = 6_000
"""Most postings one query reads; common keys past it are skipped (rarest keys come first)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PreparedName:
    """A name ready to score: its Latin tokens, their skeletons, and whether it was unvowelled."""

    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    abjad: bool
    """Written in Arabic script, so its Latin tokens lack short vowels; only skeletons compare."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexedName:
    """One list name in the index: the entry it belongs to, the name and its prepared form."""

    entry: int
    name: ListName
    prepared: PreparedName


@lru_cache(maxsize=100_000)
def prepare_name(
    value: str,
    *,
    organisation: bool = False,
    legal_forms: bool = False,
    person: bool = False,
    words: bool = False,
) -> PreparedName:
    """Return the prepared form of a name (see `threatwatch.normalize.name_tokens`).

    Cached: a batch that repeats a name, or a query screened twice, is normalised once.

    Args:
        legal_forms: fold organisation legal forms as `threatwatch.screen.v3` does
            (`threatwatch.screen.forms`); v1 and v2 leave it off.
        person: the name is known to be a person's, so no word of it is a legal form
            (George Holding keeps "holding").
        words: with `legal_forms`, read the name's words as `threatwatch.screen.v7` does
            (`threatwatch.screen.forms.read_words`: titles of address, number words,
            misspelt legal-form words).
    """
    if person:
        tokens = name_tokens(value, person=True)
        if words and legal_forms:
            tokens = read_words(tokens, numbers=False)
    elif legal_forms:
        tokens = legal_form_tokens(value, organisation=organisation, words=words)
    else:
        tokens = name_tokens(value, organisation=organisation)
    return PreparedName(
        tokens=tokens,
        skeletons=tuple(skeleton_token(t.lstrip("~")) for t in tokens),
        abjad="arabic" in detect_scripts(value),
    )


def iter_keys(prepared: PreparedName) -> Iterable[str]:
    """Yield the blocking keys of a prepared name."""
    for token, skel in zip(prepared.tokens, prepared.skeletons, strict=True):
        if token.startswith("~"):
            continue
        if skel:
            yield "s:" + skel
            if len(skel) >= 4:
                yield "b:" + skel[:3]
                yield "e:" + skel[-3:]
        if not prepared.abjad and len(token) >= 3:
            yield "p:" + token[:3]
            yield "x:" + token[-3:]


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """Every distinct token of the indexed names, with its skeleton and how many names hold it."""

    tokens: list[str]
    skeletons: list[str]
    ids: dict[str, int]
    skeleton_df: dict[str, int]
    name_df: npt.NDArray[np.float64]
    """Number of indexed names whose tokens share this token's skeleton."""
    bare: npt.NDArray[np.object_]
    """Tokens without the `~` organisation marker, as an array for fast selection."""
    skeleton_array: npt.NDArray[np.object_]
    unglued: npt.NDArray[np.object_]
    """Bare tokens with a glued Arabic article taken off (elsayed: sayed); others as they are."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledIndex:
    """Read-only arrays built once from a `ScreeningIndex` for fast candidate search and scoring.

    Built on first use and rebuilt only after `ScreeningIndex.add`, so every per-name value a
    query needs (token ids, joined spelling, kind) is computed once, not per query.
    """

    vocabulary: Vocabulary
    name_tokens: list[tuple[int, ...]]
    name_entry: list[int]
    name_abjad: list[bool]
    name_low_quality: list[bool]
    name_kind: npt.NDArray[np.int8]
    """`schema_kind` of each name's entry."""
    name_joined: list[str]
    entry_names: list[list[int]]
    """Name ids of each entry."""
    token_matrix: npt.NDArray[np.int32]
    """Token ids of each name (rows), padded with -1."""
    name_length: npt.NDArray[np.int32]
    abjad_array: npt.NDArray[np.bool_]
    postings: dict[str, npt.NDArray[np.int32]]
    size: int
    weights: dict[tuple[float, ...], npt.NDArray[np.float64]] = field(default_factory=dict)
    """Token weights of the vocabulary per weighting parameters, filled by the scorer."""


_GLUED = re.compile(r"^(?:al|el)(?=[b-df-hj-np-tv-z][a-z]{3,}$)")


def unglue_token(token: str) -> str:
    """Return a token without a glued Arabic article (Alshawa: shawa), others unchanged.

    Only before a consonant, so Alexander and Elena keep their first letters (Albert does not).
    """
    return _GLUED.sub("", token)


def compile_index(names: Sequence[IndexedName], kinds: Sequence[int] = ()) -> CompiledIndex:
    """Return the compiled arrays of a list of indexed names (see `CompiledIndex`).

    `kinds` holds the `schema_kind` of each entry (all open when empty).
    """
    ids: dict[str, int] = {}
    tokens: list[str] = []
    skeletons: list[str] = []
    name_tokens: list[tuple[int, ...]] = []
    skeleton_df: Counter[str] = Counter()
    postings: dict[str, list[int]] = defaultdict(list)
    for name_id, indexed in enumerate(names):
        prepared = indexed.prepared
        row = []
        for token, skel in zip(prepared.tokens, prepared.skeletons, strict=True):
            number = ids.get(token)
            if number is None:
                number = ids[token] = len(tokens)
                tokens.append(token)
                skeletons.append(skel)
            row.append(number)
        name_tokens.append(tuple(row))
        skeleton_df.update(set(prepared.skeletons))
        for key in set(iter_keys(prepared)):
            postings[key].append(name_id)
    vocabulary = Vocabulary(
        tokens=tokens,
        skeletons=skeletons,
        ids=ids,
        skeleton_df=dict(skeleton_df),
        name_df=np.array([skeleton_df[s] for s in skeletons], dtype=np.float64),
        bare=np.array([t.lstrip("~") for t in tokens] or [""], dtype=object),
        skeleton_array=np.array(skeletons or [""], dtype=object),
        unglued=np.array([unglue_token(t.lstrip("~")) for t in tokens] or [""], dtype=object),
    )
    width = max((len(t) for t in name_tokens), default=1) or 1
    token_matrix = np.full((len(name_tokens), width), -1, dtype=np.int32)
    for row_no, row_ids in enumerate(name_tokens):
        token_matrix[row_no, : len(row_ids)] = row_ids
    entry_names: list[list[int]] = [
        [] for _ in range(max((n.entry for n in names), default=-1) + 1)
    ]
    for name_id, indexed in enumerate(names):
        entry_names[indexed.entry].append(name_id)
    return CompiledIndex(
        vocabulary=vocabulary,
        entry_names=entry_names,
        token_matrix=token_matrix,
        name_length=np.array([len(t) for t in name_tokens], dtype=np.int32),
        abjad_array=np.array([n.prepared.abjad for n in names], dtype=np.bool_),
        name_tokens=name_tokens,
        name_entry=[n.entry for n in names],
        name_abjad=[n.prepared.abjad for n in names],
        name_low_quality=[n.name.kind is NameKind.LOW_QUALITY for n in names],
        name_kind=np.array([kinds[n.entry] if kinds else 0 for n in names], dtype=np.int8),
        name_joined=["".join(t.lstrip("~") for t in n.prepared.tokens) for n in names],
        postings={k: np.array(v, dtype=np.int32) for k, v in postings.items()},
        size=len(names),
    )


class ScreeningIndex:
    """List entries and their names, with an inverted index of blocking keys."""

    def __init__(
        self, entries: Iterable[ListEntry] = (), *, legal_forms: bool = False, words: bool = False
    ) -> None:
        """Index `entries`; `legal_forms` prepares the names as `threatwatch.screen.v3` does.

        `words` (with `legal_forms`) prepares them as `threatwatch.screen.v7` does.
        """
        self.legal_forms = legal_forms
        self.words = words and legal_forms
        self.entries: list[ListEntry] = []
        self.names: list[IndexedName] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._token_df: Counter[str] = Counter()
        self._weights: dict[str, float] = {}
        self._compiled: CompiledIndex | None = None
        self.add(entries)

    def compiled(self) -> CompiledIndex:
        """Return the compiled arrays of the index, building them on first use after a change."""
        if self._compiled is None:
            self._compiled = compile_index(
                self.names, [schema_kind(e.schema) for e in self.entries]
            )
        return self._compiled

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entries: Iterable[ListEntry]) -> None:
        """Add entries (and each of their names) to the index."""
        self._weights.clear()
        self._compiled = None
        for entry in entries:
            number = len(self.entries)
            self.entries.append(entry)
            organisation = entry.schema in ORGANISATION_SCHEMAS
            person = entry.schema == "Person"
            for name in entry.names:
                prepared = prepare_name(
                    name.value,
                    organisation=organisation,
                    legal_forms=self.legal_forms,
                    person=person,
                    words=self.words,
                )
                if not prepared.tokens:
                    continue
                name_id = len(self.names)
                self.names.append(IndexedName(entry=number, name=name, prepared=prepared))
                for key in set(iter_keys(prepared)):
                    self._postings[key].append(name_id)
                self._token_df.update(set(prepared.skeletons))

    def add_actors(self, actors: Iterable[tuple[str, Sequence[str], str]]) -> None:
        """Add threatwatch's own actors, given as (name, aliases, ref), as the list `threatwatch`."""
        self.add(make_actor_entries(actors))

    def token_weight(self, skeleton: str) -> float:
        """Return how much a token with this skeleton says about identity (rare tokens: 1.0)."""
        cached = self._weights.get(skeleton)
        if cached is not None:
            return cached
        total = len(self.names)
        df = self._token_df.get(skeleton, 0)
        weight = 1.0
        if total >= 50 and df > 0:
            # idf scaled to 0..1 against the rarest possible token, floored so common names count
            weight = max(0.2, min(1.0, math.log(total / df) / math.log(total / 3)))
        self._weights[skeleton] = weight
        return weight

    def candidates(self, prepared: PreparedName, limit: int) -> list[int]:
        """Return the ids of up to `limit` names that share the most informative keys."""
        keys = sorted(
            (k for k in set(iter_keys(prepared)) if k in self._postings),
            key=lambda k: len(self._postings[k]),
        )
        total = max(len(self.names), 1)
        scores: dict[int, float] = defaultdict(float)
        read = 0
        for key in keys:
            postings = self._postings[key]
            if read and read + len(postings) > MAX_POSTINGS:
                break
            read += len(postings)
            weight = math.log(1 + total / len(postings))
            for name_id in postings:
                scores[name_id] += weight
        if len(scores) <= limit:
            return list(scores)
        return sorted(scores, key=scores.__getitem__, reverse=True)[:limit]

    @property
    def kinds(self) -> Counter[NameKind]:
        """Return how many indexed names there are of each kind."""
        return Counter(n.name.kind for n in self.names)
