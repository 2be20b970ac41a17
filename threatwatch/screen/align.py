"""The name scorer of `threatwatch.screen.v2`: token alignment over precomputed similarity matrices.

For one query, every distinct token of the candidate names is compared with every query token in
two vectorised rapidfuzz calls (spelling and consonant skeleton). Each candidate name is then
aligned greedily, best token pair first, from those matrices. Tokens weigh by their rarity in the
index (IDF), so a shared Baradar says more than a shared Muhammad, and tokens left unmatched on
either side pull the score down.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from threatwatch.normalize import romanisation_key, skeleton_token, vowel_pattern
from threatwatch.screen.index import CompiledIndex, PreparedName, iter_keys, unglue_token
from threatwatch.screen.nicknames import NICKNAMES, nickname_partners


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignParams:
    """Tunable weights of the v2 name score; the defaults are the ones chosen on the dev split."""

    phonetic_weight: float = 0.7
    """A perfect skeleton match is worth this much of a perfect spelling match (Latin pairs)."""
    abjad_weight: float = 0.92
    """The same for a pair where one side is in Arabic script, so only skeletons compare."""
    vowel_slots: float = 0.0
    """For a pair across scripts: how much the similarity loses for the vowels that the
    Arabic-script side writes and the Latin side lacks. The factor on the pair is
    1 - vowel_slots * (1 - coverage), coverage as `vowel_coverage` computes it; 0 turns the
    check off (v1-v4)."""
    min_token: float = 0.6
    """Token pairs below this similarity count as unmatched."""
    query_extra: float = 0.85
    """Weight of query tokens that match nothing in the list name."""
    entry_extra: float = 0.4
    """Weight of list-name tokens the query does not mention (lists give more names)."""
    weight_floor: float = 0.45
    """Least weight of a very common token (IDF scaled to 0..1 and floored)."""
    idf_power: float = 2.0
    """Exponent on the scaled IDF: above 1, common tokens weigh less against rare ones."""
    short_token: float = 0.6
    """Weight factor of short tokens (at most `short_length` letters)."""
    short_length: int = 2
    patronymic: float = 0.6
    """Weight factor of a Russian or Turkic patronymic (-ovich, -evna, -ogly), often left out."""
    glued_article: float = 0.95
    """Factor on the similarity of a token with a glued article (Elsayed, Alshawa) once the
    article is taken off (Sayed, Shawa); 0 turns the comparison off."""
    stopword: float = 0.3
    """Weight factor of connecting words (of, the, and, de, al-...) inside names."""
    other_names: float = 0.9
    """Factor on the similarity of a query token that no token of the best name matches, but a
    token of another name of the same entry does (aliases recombine name parts); 0 turns it off."""
    romanised: float = 0.0
    """Factor on the similarity of the romanisation keys (`romanisation_key`) of a Latin pair
    of tokens that have the same consonants, so that they differ in vowels alone: two
    spellings of one name (Husayn / Hussein, Moammar / Muammar, Wolodymyr / Volodymyr), not two
    names (Gilbert / Gebert). 0 turns it off (v1-v5)."""
    romanised_floor: float = 0.9
    """Least similarity of two romanisation keys for it to count: keys that differ more are
    different names, not two spellings of one."""
    romanised_length: int = 5
    """Least length of both tokens for their romanisation keys to count: in a short token one
    vowel is too much of the name (Lee / Lie, Sun / Son)."""
    onset: float = 1.0
    """Factor on a Latin skeleton match whose tokens start one with a vowel, one with a consonant
    (Amin / Mann share the skeleton mn but do not sound alike)."""
    org_form: float = 0.15
    """Weight of an organisation form (Ltd, LLC)."""
    initial: float = 0.7
    """Similarity of an initial and a name starting with that letter."""
    nickname: float = 0.0
    """Similarity of two given names known to stand for one another (Ted / Edward, Sasha /
    Alexander: `threatwatch.screen.nicknames`); 0 turns the table off (v1-v3)."""
    joined: float = 0.95
    """Factor on the whole-string similarity of names written together or apart."""
    low_quality: float = 0.05
    """Taken off a match on a low-quality alias."""
    evidence: float = 0.0
    """Slope of the evidence term (v4): the score moves by `evidence` times how far the rarity
    of the matched tokens (`evidence_of`) lies from `evidence_pivot`, capped at `evidence_cap`,
    so two shared common names count less than two shared rare ones. 0 turns it off (v1-v3)."""
    evidence_pivot: float = 1.5
    evidence_cap: float = 2.5
    candidates: int = 40
    """Names scored per query, the best-sharing ones from the blocking keys."""
    max_postings: int = 12_000
    """Most postings read per query; the commonest keys past it are skipped."""
    split_tokens: bool = False
    """Also read the query with two adjacent tokens joined where the list writes them as one
    (Patr ushev / Patrushev, Mohammad Hasni / Mohammadhasni), and keep the better reading
    (`join_split_tokens`); False leaves the query as it is (v1-v6)."""


DEFAULT_ALIGN = AlignParams()
_VOWELS = frozenset("aeiouy")
_KEY_VOWELS = re.compile("[aiu]+")
"""The vowel classes of a romanisation key."""
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ovych|ivna|oglu|ogly|kyzy|qizi)$")
_STOPWORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "by",
        "de",
        "del",
        "la",
        "le",
        "les",
        "du",
        "des",
        "da",
        "do",
        "dos",
        "das",
        "di",
        "van",
        "von",
        "der",
        "den",
        "y",
        "e",
        "et",
        "und",
        "wa",
        "fi",
        "li",
        "min",
    ]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenPair:
    """One aligned pair: the query token, the list token and their similarities."""

    query: str
    listed: str
    string: float
    phonetic: float

    @property
    def similarity(self) -> float:
        """Return the similarity the pair counted with."""
        return max(self.string, self.phonetic)


@dataclass(frozen=True, slots=True, kw_only=True)
class NameScore:
    """The score of a list name against the query and the alignment behind it."""

    score: float
    pairs: tuple[TokenPair, ...] = ()
    unmatched_query: tuple[str, ...] = ()
    unmatched_entry: tuple[str, ...] = ()
    joined: bool = False
    """The score came from the whole-string comparison (names written together or apart)."""
    matched: float = 0.0
    """Numerator of the score: similarity times weight of the aligned pairs."""
    denominator: float = 0.0
    unmatched_at: tuple[int, ...] = ()
    """Positions of the unmatched query tokens."""
    evidence: float = 0.0
    """Sum over the aligned pairs of similarity times the rarity of the list token (v4)."""
    adjustment: float = 0.0
    """What the evidence term added to the score (v4 over an index; 0 otherwise)."""


def rarity(df: float, total: int) -> float:
    """Return the IDF of a token scaled to 0..1 (1 for a token no more common than 3 in `total`).

    Without index statistics (`total` under 50) every token counts 1.0.
    """
    if total < 50 or df <= 0:
        return 1.0
    return max(0.0, min(1.0, math.log(total / df) / math.log(total / 3)))


def evidence_adjustment(evidence: float, params: AlignParams) -> float:
    """Return what the evidence of an alignment adds to its score (negative below the pivot)."""
    if not params.evidence:
        return 0.0
    return params.evidence * (min(evidence, params.evidence_cap) - params.evidence_pivot)


def weigh_token(token: str, df: float, total: int, params: AlignParams) -> float:
    """Return how much a token says about identity: 1.0 for rare tokens, less for common ones."""
    if token.startswith("~"):
        return params.org_form
    weight = params.patronymic if _PATRONYMIC.search(token) else 1.0
    if token in _STOPWORDS:
        weight *= params.stopword
    if total >= 50 and df > 0:
        idf = min(1.0, math.log(total / df) / math.log(total / 3))
        weight *= max(params.weight_floor, idf**params.idf_power)
    return weight * (params.short_token if len(token) <= params.short_length else 1.0)


class _Matrix:
    """Similarities of each query token (rows) with a set of list tokens (columns).

    The arrays serve the vectorised scorer; the nested lists, built on first use, serve the
    one-name alignment that explains a hit.
    """

    def __init__(
        self,
        latin: npt.NDArray[np.float64],
        abjad: npt.NDArray[np.float64],
        string: npt.NDArray[np.float64],
        phonetic: npt.NDArray[np.float64],
    ) -> None:
        self.latin_array = latin
        self.abjad_array = abjad
        self._arrays = {"latin": latin, "abjad": abjad, "string": string, "phonetic": phonetic}
        self._lists: dict[str, list[list[float]]] = {}

    def rows(self, kind: str) -> list[list[float]]:
        """Return one matrix (latin, abjad, string or phonetic) as nested lists."""
        cached = self._lists.get(kind)
        if cached is None:
            cached = self._lists[kind] = self._arrays[kind].tolist()
        return cached


def _apply_nicknames(
    string: npt.NDArray[np.float64], q_tokens: Sequence[str], tokens: Sequence[str], value: float
) -> None:
    """Raise the spelling similarity of known nickname pairs (Ted / Edward) to `value`, in place."""
    asked = [(i, nickname_partners(t)) for i, t in enumerate(q_tokens) if t in NICKNAMES]
    if not asked:
        return
    present = NICKNAMES.intersection(tokens)
    wanted = [(i, partners & present) for i, partners in asked]
    if not any(found for _, found in wanted):
        return
    for j, other in enumerate(tokens):
        if other in present:
            for i, found in wanted:
                if other in found and string[i, j] < value:
                    string[i, j] = value


def _compare_tokens(
    query: PreparedName,
    tokens: Sequence[str],
    skeletons: Sequence[str],
    params: AlignParams,
    unglued: Sequence[str] | None = None,
    across: npt.NDArray[np.bool_] | None = None,
) -> _Matrix:
    """Return the similarity matrices of the query tokens against `tokens` (vectorised).

    `tokens` are bare (no `~` organisation marker); `unglued` are the same without a glued
    article (computed here when not given). `across` marks the tokens that occur in a name of
    the other script than the query's, the only ones whose cross-script similarity is read
    (None: all of them).
    """
    q_tokens = [t.lstrip("~") for t in query.tokens]
    string = process.cdist(q_tokens, tokens, scorer=fuzz.ratio, dtype=np.float64) / 100.0
    phonetic = process.cdist(query.skeletons, skeletons, scorer=fuzz.ratio, dtype=np.float64)
    phonetic /= 100.0
    if params.glued_article:
        q_bare = [unglue_token(t) for t in q_tokens]
        l_bare = list(unglued) if unglued is not None else [unglue_token(t) for t in tokens]
        if q_bare != q_tokens or l_bare != list(tokens):
            glued = np.maximum(
                process.cdist(q_bare, tokens, scorer=fuzz.ratio, dtype=np.float64),
                process.cdist(q_tokens, l_bare, scorer=fuzz.ratio, dtype=np.float64),
            )
            string = np.maximum(string, glued / 100.0 * params.glued_article)
    q_len = np.fromiter(map(len, q_tokens), np.int32, len(q_tokens))[:, None]
    l_len = np.fromiter(map(len, tokens), np.int32, len(tokens))[None, :]
    qs_len = np.fromiter(map(len, query.skeletons), np.int32, len(q_tokens))[:, None]
    ls_len = np.fromiter(map(len, skeletons), np.int32, len(tokens))[None, :]
    # one-consonant skeletons say little: equal ones count 0.8, others nothing
    one = (qs_len == 1) | (ls_len == 1)
    phonetic = np.where(one, np.where(phonetic == 1.0, 0.8, 0.0), phonetic)
    phonetic[(qs_len == 0) | (ls_len == 0)] = 0.0
    # an initial stands for any name with that first letter
    initial = (q_len == 1) | (l_len == 1)
    if initial.any():
        same_first = (
            np.fromiter((ord(t[0]) for t in q_tokens), np.int32, len(q_tokens))[:, None]
            == np.fromiter((ord(t[0]) for t in tokens), np.int32, len(tokens))[None, :]
        )
        phonetic[initial] = 0.0
        string = np.where(initial & same_first, np.maximum(string, params.initial), string)
    if params.nickname:
        _apply_nicknames(string, q_tokens, tokens, params.nickname)
    equal = string == 1.0  # Indel ratio is 1 only for identical tokens
    abjad = phonetic * params.abjad_weight
    if params.vowel_slots:
        (columns,) = (np.ones(len(tokens), np.bool_) if across is None else across).nonzero()
        if len(columns):
            picked = [tokens[j] for j in columns.tolist()]
            coverage = _vowel_coverage(query, q_tokens, picked)
            abjad[:, columns] *= 1.0 - params.vowel_slots * (1.0 - coverage)
    phonetic *= params.phonetic_weight
    if params.onset != 1.0:
        q_vowel = np.fromiter((t[0] in _VOWELS for t in q_tokens), np.bool_, len(q_tokens))
        l_vowel = np.fromiter((t[0] in _VOWELS for t in tokens), np.bool_, len(tokens))
        phonetic[q_vowel[:, None] != l_vowel[None, :]] *= params.onset
    if params.romanised:
        phonetic = np.maximum(phonetic, _compare_romanised(q_tokens, tokens, params))
    phonetic[equal] = 1.0
    abjad[equal] = 1.0
    return _Matrix(
        latin=np.maximum(string, phonetic), abjad=abjad, string=string, phonetic=phonetic
    )


def _compare_romanised(
    q_tokens: Sequence[str], tokens: Sequence[str], params: AlignParams
) -> npt.NDArray[np.float64]:
    """Return the romanisation-key similarity of each Latin token pair (see `romanised`).

    Only pairs whose keys have the same consonants can count, so the list tokens are grouped by
    those consonants and each query token is compared with its own group alone.
    """
    similar = np.zeros((len(q_tokens), len(tokens)), np.float64)
    short = params.romanised_length
    groups: dict[str, list[tuple[int, str]]] = {}
    for j, token in enumerate(tokens):
        if len(token) >= short:
            key, consonants = _romanised_parts(token)
            groups.setdefault(consonants, []).append((j, key))
    for i, token in enumerate(q_tokens):
        if len(token) < short:
            continue
        key, consonants = _romanised_parts(token)
        for j, other in groups.get(consonants, ()):
            value = fuzz.ratio(key, other) / 100.0
            if value >= params.romanised_floor:
                similar[i, j] = value * params.romanised
    return similar


@lru_cache(maxsize=200_000)
def _romanised_parts(token: str) -> tuple[str, str]:
    """Return a token's romanisation key and the consonants of that key."""
    key = romanisation_key(token)
    return key, _KEY_VOWELS.sub("", key)


@lru_cache(maxsize=200_000)
def _vowel_shape(token: str, *, latin: bool) -> str:
    """Return a token's vowel shape: its vowel pattern with each consonant as "c" (yasmin: accac).

    The affixes that name folding writes (abdul-, -ullah, -uddin) are left out: their vowels
    come from the folding, not from the spelling. A Latin token loses a final e after a
    consonant, silent in French romanisations (Abderrahmane, Djermane).
    """
    if latin and len(token) > 2 and token[-1] == "e" and token[-2] not in _VOWELS:
        token = token[:-1]
    if token.startswith("abdul") and len(token) > 5:
        token = token[5:]
    if token.endswith(("ullah", "uddin")) and len(token) > 5:
        token = token[:-5]
    shape = "".join("a" if ch == "a" else "c" for ch in vowel_pattern(token))
    if token.endswith("h") and shape.endswith("c"):
        shape += "a"  # a final h is often a vowel (Persian zadeh, Arabic hamzah)
    return shape


def _vowel_coverage(
    query: PreparedName, q_tokens: Sequence[str], tokens: Sequence[str]
) -> npt.NDArray[np.float64]:
    """Return, per token pair, how far the Latin side has the vowels of the Arabic-script side.

    That is the longest common subsequence of their vowel shapes, less one when only the Latin
    side ends in a vowel (Arabic script writes a final vowel), over the length of the shorter
    shape (a compound is not charged for the part that the other token lacks). The
    Arabic-script side is the query when it is written so (`abjad`), otherwise the list
    token: the matrix is only read for pairs across scripts.
    """
    q_shapes = [_vowel_shape(t, latin=not query.abjad) for t in q_tokens]
    l_shapes = [_vowel_shape(t, latin=query.abjad) for t in tokens]
    common = process.cdist(q_shapes, l_shapes, scorer=LCSseq.similarity, dtype=np.float64)
    q_end = np.fromiter((s.endswith("a") for s in q_shapes), np.bool_, len(q_shapes))[:, None]
    l_end = np.fromiter((s.endswith("a") for s in l_shapes), np.bool_, len(l_shapes))[None, :]
    common -= (l_end & ~q_end) if query.abjad else (q_end & ~l_end)
    q_len = np.fromiter(map(len, q_shapes), np.float64, len(q_shapes))[:, None]
    l_len = np.fromiter(map(len, l_shapes), np.float64, len(l_shapes))[None, :]
    lengths = np.minimum(q_len, l_len)
    coverage: npt.NDArray[np.float64] = np.divide(
        common, lengths, out=np.ones_like(common), where=lengths > 0
    )
    return coverage


def vowel_coverage(query_token: str, listed_token: str, *, query_abjad: bool) -> float:
    """Return how far the Latin token of a pair across scripts has the other token's vowels.

    The same as `_vowel_coverage`, for one pair: 1.0 when the Latin token has a vowel wherever
    the Arabic-script one writes one. `query_abjad` says that the query token is the
    Arabic-script one.
    """
    query = PreparedName(tokens=(query_token,), skeletons=("",), abjad=query_abjad)
    return float(_vowel_coverage(query, [query_token], [listed_token])[0, 0])


def _pick_rows(matrix: _Matrix, abjad: bool, only: str) -> list[list[float]]:
    """Return the similarities to align with: both kinds, or spelling or skeleton alone."""
    if only == "phonetic":
        return matrix.rows("abjad" if abjad else "phonetic")
    if only == "string":
        # an unvowelled spelling only compares by its skeleton
        string = matrix.rows("string")
        return [[0.0] * len(r) for r in string] if abjad else string
    return matrix.rows("abjad" if abjad else "latin")


def _explain_rows(matrix: _Matrix, abjad: bool) -> tuple[list[list[float]], list[list[float]]]:
    """Return the string and phonetic rows that describe a pair's similarity."""
    return _pick_rows(matrix, abjad, "string"), _pick_rows(matrix, abjad, "phonetic")


def align_tokens(
    query: PreparedName,
    weights_q: Sequence[float],
    name_tokens: Sequence[str],
    columns: Sequence[int],
    weights_n: Sequence[float],
    sims: list[list[float]],
    joined: Callable[[], float] | None,
    params: AlignParams,
    *,
    explain: tuple[list[list[float]], list[list[float]]] | None = None,
    rarity_n: Sequence[float] | None = None,
) -> NameScore:
    """Align the query with one list name through the similarity matrix `sims`.

    Args:
        columns: the matrix column of each token of the list name.
        joined: returns the whole-string similarity, or None where it does not apply.
        explain: the string and phonetic similarity rows to describe the pairs with;
            without them only the score is returned.
        rarity_n: the rarity of each list token (`rarity`), for the evidence term; without
            it the term is left out.
    """
    nq = len(weights_q)
    candidates = []
    minimum = params.min_token
    for i in range(nq):
        row = sims[i]
        for j, column in enumerate(columns):
            value = row[column]
            if value >= minimum:
                candidates.append((-value, i, j))
    candidates.sort()  # best first; ties go to the earlier query token, then list token
    used_q = [False] * nq
    used_n = [False] * len(columns)
    matched = denominator = evidence = 0.0
    chosen = []
    for negative, i, j in candidates:
        if used_q[i] or used_n[j]:
            continue
        value = -negative
        used_q[i] = used_n[j] = True
        weight = weights_q[i] + weights_n[j]
        matched += value * weight
        denominator += weight
        if rarity_n is not None and weights_q[i]:
            evidence += value * rarity_n[j]
        chosen.append((i, j))
    any_extra = False
    for i in range(nq):
        if not used_q[i]:
            denominator += params.query_extra * weights_q[i]
            any_extra = True
    for j in range(len(columns)):
        if not used_n[j]:
            denominator += params.entry_extra * weights_n[j]
            any_extra = True
    score = matched / denominator if denominator else 0.0
    from_joined = False
    if joined is not None and any_extra and nq != len(columns):
        whole = joined() * params.joined
        if whole > score:
            score, from_joined = whole, True
    adjustment = evidence_adjustment(evidence, params) if rarity_n is not None else 0.0
    score += adjustment
    if explain is None:
        return NameScore(
            score=score,
            joined=from_joined,
            matched=matched,
            denominator=denominator,
            evidence=evidence,
            adjustment=adjustment,
        )
    string_rows, phonetic_rows = explain
    pairs = tuple(
        TokenPair(
            query=query.tokens[i],
            listed=name_tokens[j],
            string=string_rows[i][columns[j]],
            phonetic=phonetic_rows[i][columns[j]],
        )
        for i, j in chosen
    )
    return NameScore(
        score=score,
        pairs=pairs,
        unmatched_query=tuple(t for i, t in enumerate(query.tokens) if not used_q[i]),
        unmatched_entry=tuple(t for j, t in enumerate(name_tokens) if not used_n[j]),
        joined=from_joined,
        matched=matched,
        denominator=denominator,
        unmatched_at=tuple(i for i in range(nq) if not used_q[i]),
        evidence=evidence,
        adjustment=adjustment,
    )


def find_candidates(
    query: PreparedName,
    compiled: CompiledIndex,
    params: AlignParams,
    skip: frozenset[int] = frozenset(),
    kind: int = 0,
) -> npt.NDArray[np.int64]:
    """Return the ids of the names that share the most informative blocking keys with a query.

    Keys are read rarest first, each weighted by log(1 + N/postings), until `max_postings`;
    the `candidates` best-scoring names are returned (never the whole list). Names in `skip`
    are never returned, nor, when `kind` (`schema_kind` of the query) is set, names of entries
    of another kind.
    """
    postings = compiled.postings
    found = [postings[k] for k in set(iter_keys(query)) if k in postings]
    if not found:
        return np.empty(0, dtype=np.int64)
    found.sort(key=len)
    total = max(compiled.size, 1)
    arrays = []
    read = 0
    for array in found:
        if read and read + len(array) > params.max_postings:
            break
        read += len(array)
        arrays.append(array)
    sizes = np.fromiter(map(len, arrays), np.float64, len(arrays))
    ids = np.concatenate(arrays)
    weights = np.repeat(np.log1p(total / sizes), sizes.astype(np.int64))
    scores = np.bincount(ids, weights=weights, minlength=compiled.size)
    if skip:
        scores[list(skip)] = 0.0
    (nonzero,) = (scores > 0).nonzero()
    if kind:
        entry_kind = compiled.name_kind[nonzero]
        nonzero = nonzero[(entry_kind == 0) | (entry_kind == kind)]
    limit = params.candidates
    if len(nonzero) <= limit:
        return nonzero
    best = np.argpartition(-scores[nonzero], limit - 1)[:limit]
    return np.sort(nonzero[best])


def _drop_repeats(tokens: Sequence[str], weights: list[float]) -> list[float]:
    """Give a query token repeated in the query no weight after its first time (Sergey Sergey)."""
    seen: set[str] = set()
    for k, token in enumerate(tokens):
        if token in seen:
            weights[k] = 0.0
        seen.add(token)
    return weights


def weigh_vocabulary(compiled: CompiledIndex, params: AlignParams) -> npt.NDArray[np.float64]:
    """Return the weight of every vocabulary token (cached on the compiled index per params)."""
    key = (
        params.weight_floor,
        params.short_token,
        params.org_form,
        float(params.short_length),
        params.patronymic,
        params.idf_power,
        params.stopword,
    )
    cached = compiled.weights.get(key)
    if cached is None:
        vocabulary = compiled.vocabulary
        total = compiled.size
        cached = np.array(
            [
                weigh_token(t, float(df), total, params)
                for t, df in zip(vocabulary.tokens, vocabulary.name_df.tolist(), strict=True)
            ],
            dtype=np.float64,
        )
        compiled.weights[key] = cached
    return cached


def vocabulary_rarity(compiled: CompiledIndex) -> npt.NDArray[np.float64]:
    """Return the rarity (`rarity`) of every vocabulary token, cached on the compiled index."""
    key = (-1.0,)
    cached = compiled.weights.get(key)
    if cached is None:
        total = compiled.size
        cached = np.array(
            [rarity(df, total) for df in compiled.vocabulary.name_df.tolist()], dtype=np.float64
        )
        compiled.weights[key] = cached
    return cached


class QueryScorer:
    """Scores the candidate names of one query against an index with `threatwatch.screen.v2`."""

    def __init__(
        self, query: PreparedName, compiled: CompiledIndex, params: AlignParams = DEFAULT_ALIGN
    ) -> None:
        self.query = query
        self.compiled = compiled
        self.params = params
        vocabulary = compiled.vocabulary
        total = compiled.size
        self.weights_q = _drop_repeats(
            query.tokens,
            [
                weigh_token(t, vocabulary.skeleton_df.get(s, 0), total, params)
                for t, s in zip(query.tokens, query.skeletons, strict=True)
            ],
        )
        self.joined_query = "".join(t.lstrip("~") for t in query.tokens)
        self._vocabulary_weights = weigh_vocabulary(compiled, params)
        self._rarity = vocabulary_rarity(compiled) if params.evidence else None
        self._ids: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._unique: npt.NDArray[np.int32] = np.empty(0, dtype=np.int32)
        self._columns: dict[int, int] = {}
        self._matrix: _Matrix | None = None

    def prepare(self, name_ids: npt.NDArray[np.int64]) -> None:
        """Compare the query with every token of these names at once."""
        vocabulary = self.compiled.vocabulary
        self._ids = name_ids
        rows = self.compiled.token_matrix[name_ids]
        unique = np.unique(rows[rows >= 0])
        self._unique = unique
        self._columns = {}
        if not len(unique):
            empty = np.zeros((len(self.query.tokens), 0))
            self._matrix = _Matrix(latin=empty, abjad=empty, string=empty, phonetic=empty)
            return
        across = None
        if self.params.vowel_slots:
            other = rows[self.compiled.abjad_array[name_ids] != self.query.abjad]
            across = np.isin(unique, other[other >= 0])
        self._matrix = _compare_tokens(
            self.query,
            vocabulary.bare[unique].tolist(),
            vocabulary.skeleton_array[unique].tolist(),
            self.params,
            vocabulary.unglued[unique].tolist(),
            across,
        )

    def score_all(self) -> npt.NDArray[np.float64]:
        """Return the name score of every prepared name, aligned for all of them at once.

        The same greedy alignment as `align_tokens` (best pair first, ties to the earlier query
        token, then list token), run over a (names x query tokens x list tokens) array.
        """
        assert self._matrix is not None
        ids = self._ids
        count = len(ids)
        nq = len(self.query.tokens)
        if not count or not len(self._unique):
            return np.zeros(count)
        compiled = self.compiled
        params = self.params
        lengths = compiled.name_length[ids]
        width = int(lengths.max())
        rows = compiled.token_matrix[ids, :width]
        valid = rows >= 0
        columns = np.searchsorted(self._unique, np.where(valid, rows, self._unique[0]))
        abjad = compiled.abjad_array[ids] != self.query.abjad
        latin = self._matrix.latin_array[:, columns]  # (nq, names, width)
        if abjad.any():
            latin = np.where(abjad[None, :, None], self._matrix.abjad_array[:, columns], latin)
        sims = np.ascontiguousarray(latin.transpose(1, 0, 2))  # (names, nq, width)
        sims[~np.broadcast_to(valid[:, None, :], sims.shape)] = -1.0
        sims[sims < params.min_token] = -1.0
        weights_q = np.array(self.weights_q)
        weights_n = np.where(valid, self._vocabulary_weights[np.where(valid, rows, 0)], 0.0)
        rarity_n = None if self._rarity is None else self._rarity[np.where(valid, rows, 0)]
        evidence = np.zeros(count)
        counts_q = weights_q > 0
        matched = np.zeros(count)
        denominator = np.zeros(count)
        used_q = np.zeros((count, nq), dtype=np.bool_)
        used_n = np.zeros((count, width), dtype=np.bool_)
        everyone = np.arange(count)
        flat = sims.reshape(count, -1)
        for _ in range(min(nq, width)):
            best = flat.argmax(axis=1)
            value = flat[everyone, best]
            ok = value >= params.min_token
            if not ok.any():
                break
            who = everyone[ok]
            i = best[ok] // width
            j = best[ok] % width
            weight = weights_q[i] + weights_n[who, j]
            matched[who] += value[ok] * weight
            denominator[who] += weight
            if rarity_n is not None:
                evidence[who] += value[ok] * rarity_n[who, j] * counts_q[i]
            used_q[who, i] = True
            used_n[who, j] = True
            sims[who, i, :] = -1.0
            sims[who, :, j] = -1.0
        extra_q = ~used_q
        extra_n = ~used_n & valid
        denominator += params.query_extra * (extra_q * weights_q).sum(axis=1)
        denominator += params.entry_extra * (extra_n * weights_n).sum(axis=1)
        scores = np.divide(matched, denominator, out=np.zeros(count), where=denominator > 0)
        joinable = (extra_q.any(axis=1) | extra_n.any(axis=1)) & (lengths != nq) & ~abjad
        if joinable.any():
            joined = compiled.name_joined
            others = [joined[k] for k in ids[joinable].tolist()]
            whole = process.cdist([self.joined_query], others, scorer=fuzz.ratio, dtype=np.float64)[
                0
            ]
            scores[joinable] = np.maximum(scores[joinable], whole / 100.0 * params.joined)
        if rarity_n is not None:
            scores += params.evidence * (
                np.minimum(evidence, params.evidence_cap) - params.evidence_pivot
            )
        return scores

    def score_entry(
        self, name_id: int, skip: frozenset[int] = frozenset()
    ) -> tuple[NameScore, float, tuple[TokenPair, ...]]:
        """Score the entry of a name: its alignment, then query tokens found in its other names.

        Returns:
            The name's score, what the entry's other names add to it, and the pairs they gave.
        """
        name = self.score_name(name_id, explain=True)
        factor = self.params.other_names
        if not factor or name.joined or not name.unmatched_at or not name.denominator:
            return name, 0.0, ()
        compiled = self.compiled
        own = set(compiled.name_tokens[name_id])
        mismatch: dict[int, bool] = {}
        for other in compiled.entry_names[compiled.name_entry[name_id]]:
            if other == name_id or other in skip:
                continue
            differs = compiled.name_abjad[other] != self.query.abjad
            for token in compiled.name_tokens[other]:
                if token not in own:
                    mismatch[token] = mismatch.get(token, True) and differs
        if not mismatch:
            return name, 0.0, ()
        vocabulary = compiled.vocabulary
        ids = list(mismatch)
        rows = list(name.unmatched_at)
        part = PreparedName(
            tokens=tuple(self.query.tokens[i] for i in rows),
            skeletons=tuple(self.query.skeletons[i] for i in rows),
            abjad=self.query.abjad,
        )
        matrix = _compare_tokens(
            part,
            vocabulary.bare[ids].tolist(),
            vocabulary.skeleton_array[ids].tolist(),
            self.params,
            vocabulary.unglued[ids].tolist(),
        )
        sims = np.where(
            np.array([mismatch[t] for t in ids])[None, :], matrix.abjad_array, matrix.latin_array
        )
        matched, denominator, evidence = name.matched, name.denominator, name.evidence
        found = []
        for row, i in enumerate(rows):
            column = int(sims[row].argmax())
            value = float(sims[row, column])
            weight = self.weights_q[i]
            if value < self.params.min_token or not weight:
                continue
            matched += factor * value * 2 * weight
            denominator += (2 - self.params.query_extra) * weight
            if self._rarity is not None:
                evidence += factor * value * float(self._rarity[ids[column]])
            found.append(
                TokenPair(
                    query=self.query.tokens[i],
                    listed=vocabulary.tokens[ids[column]],
                    string=float(matrix.rows("string")[row][column]),
                    phonetic=float(sims[row, column]),
                )
            )
        if not found:
            return name, 0.0, ()
        rescored = matched / denominator
        if self._rarity is not None:
            rescored += evidence_adjustment(evidence, self.params)
        return name, max(0.0, rescored - name.score), tuple(found)

    def score_name(self, name_id: int, *, explain: bool = False, only: str = "") -> NameScore:
        """Return the score of one prepared candidate name (call `prepare` with it first).

        Args:
            explain: also return the aligned pairs and unmatched tokens.
            only: "string" or "phonetic" to score with that similarity alone.
        """
        assert self._matrix is not None
        compiled = self.compiled
        ids = compiled.name_tokens[name_id]
        if not self._columns:
            self._columns = {u: c for c, u in enumerate(self._unique.tolist())}
        columns = [self._columns[u] for u in ids]
        abjad = self.query.abjad != compiled.name_abjad[name_id]
        sims = _pick_rows(self._matrix, abjad, only)
        joined: Callable[[], float] | None = None
        if not abjad and only != "phonetic":
            other = compiled.name_joined[name_id]

            def joined() -> float:
                return fuzz.ratio(self.joined_query, other) / 100.0

        vocabulary = compiled.vocabulary
        weights = self._vocabulary_weights
        return align_tokens(
            self.query,
            self.weights_q,
            [vocabulary.tokens[u] for u in ids] if explain else (),
            columns,
            [float(weights[u]) for u in ids],
            sims,
            joined,
            self.params,
            explain=_explain_rows(self._matrix, abjad) if explain else None,
            rarity_n=None if self._rarity is None else [float(self._rarity[u]) for u in ids],
        )


def join_split_tokens(query: PreparedName, known: Container[str]) -> PreparedName | None:
    """Return the query with each two adjacent tokens that `known` holds as one token joined.

    A name split by a stray space or written apart ("Patr ushev", "Mohammad Hasni") meets its
    list form ("patrushev", "mohammadhasni"). Legal forms are never joined. Returns None when
    no two tokens join.
    """
    tokens = query.tokens
    out: list[str] = []
    k = 0
    while k < len(tokens):
        if k + 1 < len(tokens) and "~" not in tokens[k][:1] + tokens[k + 1][:1]:
            together = tokens[k] + tokens[k + 1]
            if together in known:
                out.append(together)
                k += 2
                continue
        out.append(tokens[k])
        k += 1
    if len(out) == len(tokens):
        return None
    return PreparedName(
        tokens=tuple(out), skeletons=tuple(map(skeleton_token, out)), abjad=query.abjad
    )


def compare_names(
    query: PreparedName, name: PreparedName, params: AlignParams = DEFAULT_ALIGN, only: str = ""
) -> NameScore:
    """Score two prepared names on their own, every token weighing the same (no index).

    With `split_tokens`, the query is also read with the adjacent tokens that the name writes
    as one joined (`join_split_tokens`), and the better reading counts.

    Args:
        only: "string" or "phonetic" to score with that similarity alone.
    """
    scored = _compare_pair(query, name, params, only)
    if params.split_tokens and query.tokens and name.tokens:
        joined = join_split_tokens(query, frozenset(name.tokens))
        if joined is not None:
            other = _compare_pair(joined, name, params, only)
            if other.score > scored.score:
                return other
    return scored


def _compare_pair(
    query: PreparedName, name: PreparedName, params: AlignParams, only: str
) -> NameScore:
    """Score two prepared names as they are (`compare_names` without joined tokens)."""
    if not query.tokens or not name.tokens:
        return NameScore(score=0.0)
    matrix = _compare_tokens(query, [t.lstrip("~") for t in name.tokens], name.skeletons, params)
    abjad = query.abjad != name.abjad
    sims = _pick_rows(matrix, abjad, only)
    weights_q = _drop_repeats(query.tokens, [weigh_token(t, 0, 0, params) for t in query.tokens])
    weights_n = [weigh_token(t, 0, 0, params) for t in name.tokens]
    joined_a = "".join(t.lstrip("~") for t in query.tokens)
    joined_b = "".join(t.lstrip("~") for t in name.tokens)
    return align_tokens(
        query,
        weights_q,
        name.tokens,
        list(range(len(name.tokens))),
        weights_n,
        sims,
        None if abjad or only == "phonetic" else (lambda: fuzz.ratio(joined_a, joined_b) / 100.0),
        params,
        explain=_explain_rows(matrix, abjad),
    )
