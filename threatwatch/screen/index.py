"""The candidate index: every list name prepared once, and blocking keys that find candidates.

A query looks up its tokens' keys (consonant skeleton, first and last letters) in an inverted
index and scores only the names that share the rarest keys, never the whole list.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from threatwatch.model.screening import ListEntry, ListName, NameKind
from threatwatch.normalize import detect_scripts, name_tokens, skeleton_token
from threatwatch.screen.lists import make_actor_entries

ORGANISATION_SCHEMAS = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})
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


def prepare_name(value: str, *, organisation: bool = False) -> PreparedName:
    """Return the prepared form of a name (see `threatwatch.normalize.name_tokens`)."""
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


class ScreeningIndex:
    """List entries and their names, with an inverted index of blocking keys."""

    def __init__(self, entries: Iterable[ListEntry] = ()) -> None:
        self.entries: list[ListEntry] = []
        self.names: list[IndexedName] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._token_df: Counter[str] = Counter()
        self._weights: dict[str, float] = {}
        self.add(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entries: Iterable[ListEntry]) -> None:
        """Add entries (and each of their names) to the index."""
        self._weights.clear()
        for entry in entries:
            number = len(self.entries)
            self.entries.append(entry)
            organisation = entry.schema in ORGANISATION_SCHEMAS
            for name in entry.names:
                prepared = prepare_name(name.value, organisation=organisation)
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
