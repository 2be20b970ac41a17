"""Matching algorithms, registered by versioned name, and `screen` over a candidate index.

`threatwatch.screen.v7` (the default) is v6 over names read word by word: titles of address
dropped, numbers in words read as digits, misspelt or cut legal-form words mended, and a
query's split tokens also read joined (Patr ushev / Patrushev). `threatwatch.screen.v6` is v5
that also compares Latin token pairs by their
romanisation keys when they differ in vowels alone, so two transliterations of one name
(Husayn / Hussein, Moammar / Muammar) count nearly as one spelling. `threatwatch.screen.v5` is
v4 that also checks, for a pair of tokens across scripts, that the romanisation has a vowel
wherever the Arabic-script spelling writes one (Arabic script writes its long vowels): ياسمين (Yasmin) no longer matches Simon on the
consonants alone. `threatwatch.screen.v4` is v3 with an evidence term: the score moves up or down
with how rare the matched tokens are in the index, so two shared common names (Ali Ahmad) count
less than two shared rare ones; it also knows common nicknames (Ted / Edward) and counts an
initial for more. `threatwatch.screen.v3` is v2 with organisation legal forms folded to one
token weighed near zero (`threatwatch.screen.forms`). `threatwatch.screen.v2` scores with
`threatwatch.screen.align`: the same token alignment as v1 but over similarity matrices computed
once per query, with parameters tuned on the dev split. `threatwatch.screen.v1` aligns the
tokens of two names; each token pair scores the better of its string similarity (rapidfuzz) and
the similarity of its consonant skeletons (our phonetic key, which also lines up Arabic-script
spellings with romanisations). Unmatched tokens pull the score down; birth date and nationality
only adjust a name match, they never make one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from threatwatch.errors import InputError
from threatwatch.model.screening import (
    FeatureScore,
    ListEntry,
    ListName,
    NameKind,
    ScreeningHit,
    ScreeningQuery,
)
from threatwatch.normalize import MAX_NAME_LENGTH, clean_text, detect_scripts
from threatwatch.screen.align import (
    DEFAULT_ALIGN,
    AlignParams,
    NameScore,
    QueryScorer,
    TokenPair,
    compare_names,
    find_candidates,
    join_split_tokens,
    vowel_coverage,
)
from threatwatch.screen.index import (
    ORGANISATION_SCHEMAS,
    PreparedName,
    ScreeningIndex,
    prepare_name,
    schema_kind,
)

ALGORITHM_V1 = "threatwatch.screen.v1"
ALGORITHM_V2 = "threatwatch.screen.v2"
ALGORITHM_V3 = "threatwatch.screen.v3"
ALGORITHM_V4 = "threatwatch.screen.v4"
ALGORITHM_V5 = "threatwatch.screen.v5"
ALGORITHM_V6 = "threatwatch.screen.v6"
ALGORITHM_V7 = "threatwatch.screen.v7"
ALGORITHM = ALGORITHM_V7
"""The default algorithm."""
BASELINE = "threatwatch.token_sort.v1"
THRESHOLDS = {
    ALGORITHM_V1: 0.86,
    ALGORITHM_V2: 0.84,
    ALGORITHM_V3: 0.84,
    ALGORITHM_V4: 0.81,
    ALGORITHM_V5: 0.815,
    ALGORITHM_V6: 0.815,
    ALGORITHM_V7: 0.815,
}
"""Default threshold of each algorithm, chosen on the dev split (docs/screening.md)."""
DEFAULT_THRESHOLD = THRESHOLDS[ALGORITHM]
"""Default score at which a candidate becomes a hit (chosen on the dev split; docs/screening.md)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Tunable weights of `threatwatch.screen.v1`; the defaults are the ones tuned on dev."""

    phonetic_weight: float = 0.92
    """A perfect skeleton match is worth this much of a perfect spelling match."""
    min_token: float = 0.6
    """Token pairs below this similarity count as unmatched."""
    query_extra: float = 1.0
    """Weight of query tokens that match nothing in the list name."""
    entry_extra: float = 0.5
    """Weight of list-name tokens the query does not mention (lists give more names)."""
    low_quality: float = 0.05
    """Taken off a match on a low-quality alias."""
    dob_match: float = 0.05
    dob_mismatch: float = 0.1
    nationality_match: float = 0.02
    nationality_mismatch: float = 0.05
    adjust_floor: float = 0.5
    """Birth date and nationality adjust only name scores at or above this."""
    candidates: int = 30


DEFAULT_PARAMS = Params()

Weigher = Callable[[str], float]


def _flat(_skeleton: str) -> float:
    return 1.0


@lru_cache(maxsize=500_000)
def score_tokens(a: str, sa: str, b: str, sb: str, abjad: bool) -> tuple[float, float]:
    """Return (string similarity, skeleton similarity) of two tokens, each 0..1."""
    if a == b:
        return 1.0, 1.0
    string = 0.0 if abjad else fuzz.ratio(a, b) / 100.0
    if len(a) == 1 or len(b) == 1:
        # an initial stands for any name with that first letter
        initial = 0.7 if a[0] == b[0] and not abjad else 0.0
        return max(string, initial), 0.0
    if not sa or not sb:
        return string, 0.0
    if len(sa) == 1 or len(sb) == 1:
        return string, (0.8 if sa == sb else 0.0)
    return string, fuzz.ratio(sa, sb) / 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """Which query token went with which list-name token, and how well."""

    score: float
    pairs: tuple[tuple[str, str, float, float], ...]
    unmatched_query: tuple[str, ...]
    unmatched_entry: tuple[str, ...]


def _weight(token: str, skeleton: str, weigher: Weigher) -> float:
    if token.startswith("~"):
        return 0.15
    weight = weigher(skeleton) if skeleton else 0.5
    return weight * (0.6 if len(token) <= 2 else 1.0)


def align_names(
    query: PreparedName,
    name: PreparedName,
    *,
    params: Params = DEFAULT_PARAMS,
    weigher: Weigher = _flat,
    use_string: bool = True,
    use_phonetic: bool = True,
) -> Alignment:
    """Align the tokens of two prepared names greedily, best pairs first, and score the result."""
    abjad = query.abjad != name.abjad
    weights_q = [_weight(t, s, weigher) for t, s in zip(query.tokens, query.skeletons, strict=True)]
    weights_n = [_weight(t, s, weigher) for t, s in zip(name.tokens, name.skeletons, strict=True)]
    sims: list[tuple[float, int, int, float, float]] = []
    for i, (a, sa) in enumerate(zip(query.tokens, query.skeletons, strict=True)):
        for j, (b, sb) in enumerate(zip(name.tokens, name.skeletons, strict=True)):
            string, phonetic = score_tokens(a, sa, b, sb, abjad)
            string = string if use_string else 0.0
            phonetic = phonetic * params.phonetic_weight if use_phonetic else 0.0
            sim = max(string, phonetic)
            if sim >= params.min_token:
                sims.append((sim, i, j, string, phonetic))
    sims.sort(reverse=True)
    used_q: set[int] = set()
    used_n: set[int] = set()
    pairs = []
    matched = 0.0
    denominator = 0.0
    for sim, i, j, string, phonetic in sims:
        if i in used_q or j in used_n:
            continue
        used_q.add(i)
        used_n.add(j)
        weight = weights_q[i] + weights_n[j]
        matched += sim * weight
        denominator += weight
        pairs.append((query.tokens[i], name.tokens[j], string, phonetic))
    extra_q = tuple(t for i, t in enumerate(query.tokens) if i not in used_q)
    extra_n = tuple(t for j, t in enumerate(name.tokens) if j not in used_n)
    for i, weight in enumerate(weights_q):
        if i not in used_q:
            denominator += params.query_extra * weight
    for j, weight in enumerate(weights_n):
        if j not in used_n:
            denominator += params.entry_extra * weight
    score = matched / denominator if denominator else 0.0
    if use_string and not abjad and (extra_q or extra_n) and len(query.tokens) != len(name.tokens):
        # names written together or apart (Abubakr / Abu Bakr) align badly token by token
        joined = fuzz.ratio("".join(query.tokens), "".join(name.tokens)) / 100.0
        score = max(score, joined * 0.95)
    return Alignment(
        score=score, pairs=tuple(pairs), unmatched_query=extra_q, unmatched_entry=extra_n
    )


def check_query(query: ScreeningQuery) -> ScreeningQuery:
    """Return the query with a cleaned name, or raise InputError for a name that is not one.

    Raises:
        InputError: the name is empty, longer than MAX_NAME_LENGTH, or has no letters.
    """
    if len(query.name) > MAX_NAME_LENGTH:
        raise InputError(
            f"Name of {len(query.name)} characters is too long to screen "
            f"(at most {MAX_NAME_LENGTH}): {query.name[:40]!r}...; pass one name per query",
            {"name": "too long"},
        )
    name = clean_text(query.name)
    if not name or not any(ch.isalnum() for ch in name):
        raise InputError(
            f"Name {query.name!r} is empty once control characters and spaces are removed; "
            "pass a person or organisation name",
            {"name": "empty"},
        )
    return replace(query, name=name)


def _birth_feature(query: ScreeningQuery, entry: ListEntry, params: Params) -> FeatureScore | None:
    if not query.birth_date or not entry.birth_dates:
        return None
    wanted = query.birth_date.strip()
    for listed in entry.birth_dates:
        size = min(len(wanted), len(listed))
        if size >= 4 and wanted[:size] == listed[:size]:
            return FeatureScore(
                name="birth_date",
                value=params.dob_match,
                detail=f"{wanted!r} agrees with listed {listed!r}",
            )
    years = [d[:4] for d in entry.birth_dates if d[:4].isdigit()]
    if wanted[:4].isdigit() and any(abs(int(y) - int(wanted[:4])) <= 1 for y in years):
        return FeatureScore(
            name="birth_date", value=0.0, detail=f"{wanted!r} is within a year of {years}"
        )
    return FeatureScore(
        name="birth_date",
        value=-params.dob_mismatch,
        detail=f"{wanted!r} differs from listed {list(entry.birth_dates)}",
    )


def _same_country(a: str, b: str) -> bool:
    a, b = a.strip().casefold(), b.strip().casefold()
    return a == b or (len(a) == 2 and b.startswith(a)) or (len(b) == 2 and a.startswith(b))


def _nationality_feature(
    query: ScreeningQuery, entry: ListEntry, params: Params
) -> FeatureScore | None:
    if not query.nationality or not entry.nationalities:
        return None
    if any(_same_country(query.nationality, n) for n in entry.nationalities):
        return FeatureScore(
            name="nationality",
            value=params.nationality_match,
            detail=f"{query.nationality!r} is a listed nationality",
        )
    return FeatureScore(
        name="nationality",
        value=-params.nationality_mismatch,
        detail=f"{query.nationality!r} is not among {list(entry.nationalities)}",
    )


def _describe(alignment: Alignment) -> str:
    parts = [f"{a}~{b} {max(s, p):.2f}" for a, b, s, p in alignment.pairs]
    if alignment.unmatched_query:
        parts.append(f"query only: {' '.join(alignment.unmatched_query)}")
    if alignment.unmatched_entry:
        parts.append(f"list only: {' '.join(alignment.unmatched_entry)}")
    return "; ".join(parts)


def make_hit(
    query: ScreeningQuery,
    prepared: PreparedName,
    entry: ListEntry,
    name_index: int,
    *,
    params: Params = DEFAULT_PARAMS,
    weigher: Weigher = _flat,
) -> ScreeningHit:
    """Score one name of an entry against the query, with every feature explained."""
    listed = entry.names[name_index]
    organisation = entry.schema in ORGANISATION_SCHEMAS
    other = prepare_name(listed.value, organisation=organisation)
    full = align_names(prepared, other, params=params, weigher=weigher)
    string = align_names(prepared, other, params=params, weigher=weigher, use_phonetic=False)
    phonetic = align_names(prepared, other, params=params, weigher=weigher, use_string=False)
    features = [
        FeatureScore(name="name", value=full.score, detail=_describe(full)),
        FeatureScore(name="string", value=string.score, detail="spelling alone (rapidfuzz)"),
        FeatureScore(name="phonetic", value=phonetic.score, detail="consonant skeletons alone"),
    ]
    return _build_hit(
        query, entry, listed, features, full.score,
        low_quality=params.low_quality, adjust=params, algorithm=ALGORITHM_V1,
    )  # fmt: skip


def score_v1(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry against a query with `threatwatch.screen.v1` (best name of the entry)."""
    query = check_query(query)
    prepared = prepare_name(query.name, organisation=query.schema in ORGANISATION_SCHEMAS)
    organisation = entry.schema in ORGANISATION_SCHEMAS
    best = max(
        range(len(entry.names)),
        key=lambda k: (
            align_names(
                prepared, prepare_name(entry.names[k].value, organisation=organisation)
            ).score
        ),
    )
    return make_hit(query, prepared, entry, best)


def score_token_sort(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry with plain rapidfuzz token-sort ratio on the raw names (the baseline)."""
    query = check_query(query)
    scores = [
        (fuzz.token_sort_ratio(query.name.lower(), n.value.lower()) / 100.0, k)
        for k, n in enumerate(entry.names)
    ]
    score, best = max(scores)
    listed = entry.names[best]
    return ScreeningHit(
        list=entry.list,
        ref=entry.ref,
        name=listed.value,
        name_kind=listed.kind,
        caption=entry.caption,
        score=score,
        algorithm=BASELINE,
        explanation=(FeatureScore(name="token_sort", value=score, detail="rapidfuzz"),),
    )


def _describe_v2(name: NameScore) -> str:
    parts = [f"{p.query}~{p.listed} {p.similarity:.2f}" for p in name.pairs]
    if name.unmatched_query:
        parts.append(f"query only: {' '.join(name.unmatched_query)}")
    if name.unmatched_entry:
        parts.append(f"list only: {' '.join(name.unmatched_entry)}")
    if name.joined:
        parts.append("compared as one string (written together or apart)")
    if name.adjustment:
        parts.append(
            f"rarity of the matched tokens {name.evidence:.2f}: {name.adjustment:+.2f} "
            "(common names say less)"
        )
    return "; ".join(parts)


def _vowel_feature(full: NameScore, query_abjad: bool) -> list[FeatureScore]:
    """v5's vowel check, for the pairs of a match across scripts where it took something off."""
    short = []
    for pair in full.pairs:
        coverage = vowel_coverage(pair.query, pair.listed, query_abjad=query_abjad)
        if coverage < 1.0:
            short.append((coverage, f"{pair.query}~{pair.listed} {coverage:.2f}"))
    if not short:
        return []
    return [
        FeatureScore(
            name="vowels",
            value=min(coverage for coverage, _ in short),
            detail="the romanisation lacks vowels that the Arabic-script spelling writes: "
            + ", ".join(text for _, text in short),
        )
    ]


def _finish_hit(
    query: ScreeningQuery,
    entry: ListEntry,
    name_no: int,
    full: NameScore,
    string: NameScore,
    phonetic: NameScore,
    params: AlignParams,
    other: tuple[float, tuple[TokenPair, ...]] = (0.0, ()),
    algorithm: str = ALGORITHM_V2,
    query_abjad: bool | None = None,
    reading: FeatureScore | None = None,
) -> ScreeningHit:
    """Return the v2 hit for an entry name from its name scores, adding the other features.

    `query_abjad` is set when the query and the list name are in different scripts: whether
    the query is the one in Arabic script (for v5's vowel check). `reading` says how v7 read
    the query (`_reading`).
    """
    listed = entry.names[name_no]
    features = [
        FeatureScore(name="name", value=full.score, detail=_describe_v2(full)),
        FeatureScore(name="string", value=string.score, detail="spelling alone (rapidfuzz)"),
        FeatureScore(name="phonetic", value=phonetic.score, detail="consonant skeletons alone"),
    ]
    if params.vowel_slots and query_abjad is not None:
        features += _vowel_feature(full, query_abjad)
    if reading is not None:
        features.append(reading)
    total = full.score
    extra, found = other
    if found:
        pairs = ", ".join(f"{p.query}~{p.listed} {p.similarity:.2f}" for p in found)
        features.append(
            FeatureScore(
                name="other_names",
                value=extra,
                detail=f"query tokens found in the entry's other names: {pairs}",
            )
        )
        total += extra
    return _build_hit(
        query, entry, listed, features, total,
        low_quality=params.low_quality, adjust=DEFAULT_PARAMS, algorithm=algorithm,
    )  # fmt: skip


def score_v2(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry against a query with `threatwatch.screen.v2` (best name of the entry).

    Without an index every token weighs the same; `screen` weighs tokens by their rarity.
    """
    query = check_query(query)
    prepared = prepare_name(query.name, organisation=query.schema in ORGANISATION_SCHEMAS)
    organisation = entry.schema in ORGANISATION_SCHEMAS
    names = [prepare_name(n.value, organisation=organisation) for n in entry.names]
    scores = [compare_names(prepared, n) for n in names]
    best = max(range(len(names)), key=lambda k: scores[k].score)
    return _finish_hit(
        query,
        entry,
        best,
        scores[best],
        compare_names(prepared, names[best], only="string"),
        compare_names(prepared, names[best], only="phonetic"),
        DEFAULT_ALIGN,
    )


V3_ALIGN = replace(DEFAULT_ALIGN, org_form=0.02)
"""v3's alignment parameters: v2's, with organisation legal forms weighing near zero."""


def _reading(written: Sequence[str], read: Sequence[str]) -> FeatureScore | None:
    """Say how v7 read a query whose tokens differ from those written (v6's reading), if so."""
    if tuple(written) == tuple(read):
        return None
    shown = " ".join(t.lstrip("~") for t in read)
    plain = " ".join(t.lstrip("~") for t in written)
    return FeatureScore(
        name="reading",
        value=0.0,
        detail=f"query read as '{shown}' (as written: '{plain}'); titles of address, number "
        "words, legal-form words and split names are read as v7 reads them",
    )


def _score_folded(
    query: ScreeningQuery,
    entry: ListEntry,
    align: AlignParams,
    algorithm: str,
    *,
    words: bool = False,
) -> ScreeningHit:
    """Score an entry's best name with legal forms folded in query and names (v3 to v7).

    `words` reads the names' words as v7 does (`threatwatch.screen.forms.read_words`).
    """
    query = check_query(query)
    organisation_query = query.schema in ORGANISATION_SCHEMAS
    prepared = prepare_name(
        query.name, organisation=organisation_query, legal_forms=True, words=words
    )
    organisation = entry.schema in ORGANISATION_SCHEMAS
    names = [
        prepare_name(n.value, organisation=organisation, legal_forms=True, words=words)
        for n in entry.names
    ]
    scores = [compare_names(prepared, n, align) for n in names]
    best = max(range(len(names)), key=lambda k: scores[k].score)
    reading = None
    if words:
        read = prepared.tokens
        joined = join_split_tokens(prepared, frozenset(names[best].tokens))
        if joined is not None and any(p.query not in read for p in scores[best].pairs):
            read = joined.tokens  # compare_names kept the joined reading
        written = prepare_name(query.name, organisation=organisation_query, legal_forms=True)
        reading = _reading(written.tokens, read)
    return _finish_hit(
        query,
        entry,
        best,
        scores[best],
        compare_names(prepared, names[best], align, only="string"),
        compare_names(prepared, names[best], align, only="phonetic"),
        align,
        algorithm=algorithm,
        query_abjad=prepared.abjad if prepared.abjad != names[best].abjad else None,
        reading=reading,
    )


def score_v3(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry with `threatwatch.screen.v3`: v2 with legal forms folded and weighed ~0."""
    return _score_folded(query, entry, V3_ALIGN, ALGORITHM_V3)


V4_ALIGN = replace(
    V3_ALIGN, evidence=0.1, evidence_pivot=1.5, evidence_cap=2.5, idf_power=1.0, nickname=0.9,
    initial=0.85,
)  # fmt: skip
"""v4's alignment parameters: v3's, with the evidence term (rarity of the matched tokens), a
flatter IDF inside the ratio, the nickname table and initials worth more (tuned on dev)."""


def score_v4(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry with `threatwatch.screen.v4` (best name of the entry).

    Without an index there are no token frequencies, so the evidence term is left out and
    every token weighs the same; `screen` over an index applies both.
    """
    return _score_folded(query, entry, V4_ALIGN, ALGORITHM_V4)


V5_ALIGN = replace(V4_ALIGN, vowel_slots=1.0)
"""v5's alignment parameters: v4's, with the vowel check across scripts (`vowel_slots`, chosen
on dev)."""


def score_v5(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry with `threatwatch.screen.v5` (best name of the entry; as `score_v4`)."""
    return _score_folded(query, entry, V5_ALIGN, ALGORITHM_V5)


V6_ALIGN = replace(V5_ALIGN, romanised=0.92, romanised_floor=0.9, romanised_length=5)
"""v6's alignment parameters: v5's, with romanisation keys for Latin token pairs that differ
in vowels alone (`romanised`; chosen on the dev half of name_bench and fresh dev negatives)."""


def score_v6(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry with `threatwatch.screen.v6` (best name of the entry; as `score_v4`)."""
    return _score_folded(query, entry, V6_ALIGN, ALGORITHM_V6)


V7_ALIGN = replace(V6_ALIGN, split_tokens=True)
"""v7's alignment parameters: v6's, with a query's split tokens also read joined
(`split_tokens`); v7 also reads names' words (`words`)."""


def score_v7(query: ScreeningQuery, entry: ListEntry) -> ScreeningHit:
    """Score an entry with `threatwatch.screen.v7`: v6 over names read by `read_words`.

    v7 drops titles of address (Monsieur, Herr), writes numbers in
    digits (Three Percenters, Brigade Forty 4) and mends misspelt or cut legal-form words.
    """
    return _score_folded(query, entry, V7_ALIGN, ALGORITHM_V7, words=True)


_FOLDED_ALIGN = {
    ALGORITHM_V4: V4_ALIGN,
    ALGORITHM_V5: V5_ALIGN,
    ALGORITHM_V6: V6_ALIGN,
    ALGORITHM_V7: V7_ALIGN,
}
"""The default parameters of each version that screens over an index with legal forms folded."""

WORDS_ALGORITHMS = frozenset({ALGORITHM_V7})
"""The versions that read names' words (`ScreeningIndex(..., words=True)`)."""


ALGORITHMS: dict[str, Callable[[ScreeningQuery, ListEntry], ScreeningHit]] = {
    ALGORITHM_V1: score_v1,
    ALGORITHM_V2: score_v2,
    ALGORITHM_V3: score_v3,
    ALGORITHM_V4: score_v4,
    ALGORITHM_V5: score_v5,
    ALGORITHM_V6: score_v6,
    ALGORITHM_V7: score_v7,
    BASELINE: score_token_sort,
}
"""Every matching algorithm by its versioned name; a change of behaviour gets a new name."""


def score(query: ScreeningQuery, entry: ListEntry, *, algorithm: str = ALGORITHM) -> ScreeningHit:
    """Score one list entry against a query with the named algorithm.

    Raises:
        InputError: the query name is not usable.
        ValueError: no algorithm has that name.
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"Unknown algorithm {algorithm!r}; choose one of {sorted(ALGORITHMS)}")
    return ALGORITHMS[algorithm](query, entry)


def rank_candidates(
    prepared: PreparedName, index: ScreeningIndex, *, params: Params = DEFAULT_PARAMS
) -> list[tuple[float, int, int]]:
    """Return (name score, entry number, name number within entry) per candidate entry, best first."""
    best: dict[int, tuple[float, int]] = {}
    for name_id in index.candidates(prepared, params.candidates):
        indexed = index.names[name_id]
        value = align_names(
            prepared, indexed.prepared, params=params, weigher=index.token_weight
        ).score
        if indexed.name.kind is NameKind.LOW_QUALITY:
            value -= params.low_quality
        if value > best.get(indexed.entry, (-1.0, 0))[0]:
            best[indexed.entry] = (value, name_id)
    ranked = []
    for entry_no, (value, name_id) in best.items():
        entry = index.entries[entry_no]
        ranked.append((value, entry_no, entry.names.index(index.names[name_id].name)))
    ranked.sort(key=lambda r: r[0], reverse=True)
    return ranked


def rank_entries(
    prepared: PreparedName,
    index: ScreeningIndex,
    *,
    params: AlignParams = DEFAULT_ALIGN,
    skip: frozenset[int] = frozenset(),
    schema: str | None = None,
) -> tuple[QueryScorer, list[tuple[float, int, int]]]:
    """Rank the candidate entries of a query with `threatwatch.screen.v2`.

    Args:
        skip: ids of indexed names to leave out (held-out names in an evaluation).
        schema: the query's schema; entries of another kind (a company for a person) are
            never candidates (`threatwatch.screen.index.schema_kind`).

    With `params.split_tokens`, the query is also ranked with the adjacent tokens that the
    index holds as one token joined (`join_split_tokens`); the reading whose best entry scores
    higher is kept, whole, so that one scorer explains every hit.

    Returns:
        The query's scorer, and (name score, entry number, name id) per entry, best first.
    """
    scorer, ranked = _rank_reading(prepared, index, params, skip, schema)
    if params.split_tokens:
        joined = join_split_tokens(prepared, index.compiled().vocabulary.ids)
        if joined is not None:
            other, other_ranked = _rank_reading(joined, index, params, skip, schema)
            if other_ranked and (not ranked or other_ranked[0][0] > ranked[0][0]):
                return other, other_ranked
    return scorer, ranked


def _rank_reading(
    prepared: PreparedName,
    index: ScreeningIndex,
    params: AlignParams,
    skip: frozenset[int],
    schema: str | None,
) -> tuple[QueryScorer, list[tuple[float, int, int]]]:
    """Rank the candidate entries of one reading of the query (`rank_entries`)."""
    compiled = index.compiled()
    scorer = QueryScorer(prepared, compiled, params)
    ids = find_candidates(prepared, compiled, params, skip, schema_kind(schema))
    scorer.prepare(ids)
    values = scorer.score_all().tolist()
    best: dict[int, tuple[float, int]] = {}
    entries = compiled.name_entry
    low = compiled.name_low_quality
    for name_id, value in zip(ids.tolist(), values, strict=True):
        if low[name_id]:
            value -= params.low_quality
        entry_no = entries[name_id]
        if value > best.get(entry_no, (-1.0, 0))[0]:
            best[entry_no] = (value, name_id)
    ranked = [(value, entry_no, name_id) for entry_no, (value, name_id) in best.items()]
    ranked.sort(key=lambda r: r[0], reverse=True)
    if params.other_names:
        # the best few entries: query tokens that their other names hold count as matched
        for k, (value, entry_no, name_id) in enumerate(ranked[:OTHER_NAMES_TOP]):
            if value >= OTHER_NAMES_FLOOR:
                _, extra, _ = scorer.score_entry(name_id, skip)
                ranked[k] = (value + extra, entry_no, name_id)
        ranked.sort(key=lambda r: r[0], reverse=True)
    return scorer, ranked


OTHER_NAMES_TOP = 3
"""Entries per query whose other names are consulted (the best-scoring ones)."""
OTHER_NAMES_FLOOR = 0.65
"""Least name score for an entry's other names to be consulted."""


def _screen_v1(
    query: ScreeningQuery,
    prepared: PreparedName,
    index: ScreeningIndex,
    threshold: float,
    limit: int,
    params: Params,
) -> list[ScreeningHit]:
    # birth date and nationality can add at most this much, so weaker names cannot become hits
    reach = params.dob_match + params.nationality_match
    hits = []
    for value, entry_no, name_no in rank_candidates(prepared, index, params=params):
        if value + reach < threshold:
            break
        hit = make_hit(
            query,
            prepared,
            index.entries[entry_no],
            name_no,
            params=params,
            weigher=index.token_weight,
        )
        if hit.score >= threshold:
            hits.append(hit)
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits[:limit]


def _screen_v2(
    query: ScreeningQuery,
    prepared: PreparedName,
    index: ScreeningIndex,
    threshold: float,
    limit: int,
    params: AlignParams,
    algorithm: str = ALGORITHM_V2,
) -> list[ScreeningHit]:
    reach = DEFAULT_PARAMS.dob_match + DEFAULT_PARAMS.nationality_match
    scorer, ranked = rank_entries(prepared, index, params=params, schema=query.schema)
    names = index.names
    reading = None
    if index.words or params.split_tokens:
        written = prepare_name(
            query.name,
            organisation=query.schema in ORGANISATION_SCHEMAS,
            legal_forms=index.legal_forms,
            person=query.schema == "Person",
        )
        reading = _reading(written.tokens, scorer.query.tokens)
    hits = []
    for value, entry_no, name_id in ranked:
        if value + reach < threshold:
            break
        entry = index.entries[entry_no]
        full, extra, found = scorer.score_entry(name_id)
        if not params.other_names or value < OTHER_NAMES_FLOOR:
            extra, found = 0.0, ()
        hit = _finish_hit(
            query,
            entry,
            entry.names.index(names[name_id].name),
            full,
            scorer.score_name(name_id, only="string"),
            scorer.score_name(name_id, only="phonetic"),
            params,
            other=(extra, found),
            algorithm=algorithm,
            query_abjad=prepared.abjad if prepared.abjad != names[name_id].prepared.abjad else None,
            reading=reading,
        )
        if hit.score >= threshold:
            hits.append(hit)
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits[:limit]


def screen(
    query: ScreeningQuery,
    index: ScreeningIndex,
    *,
    threshold: float | None = None,
    limit: int = 10,
    algorithm: str = ALGORITHM,
    params: Params | AlignParams | None = None,
) -> list[ScreeningHit]:
    """Return the entries of `index` that match `query` at or above `threshold`, best first.

    Args:
        threshold: defaults to the algorithm's dev-chosen threshold (`THRESHOLDS`).
        algorithm: `threatwatch.screen.v7` (default, best over an index built with
            `ScreeningIndex(..., legal_forms=True, words=True)`), `threatwatch.screen.v6`,
            `threatwatch.screen.v5` or `threatwatch.screen.v4` (all best over an index built
            with `ScreeningIndex(..., legal_forms=True)`; over a plain index they prepare the
            query as v2 does), `threatwatch.screen.v3` (best over such
            an index too), `threatwatch.screen.v2` or `threatwatch.screen.v1`. The query is
            prepared as the index prepared its names.
        params: the algorithm's parameters (`AlignParams` for v2, `Params` for v1).

    Raises:
        InputError: the query name is empty, too long or has no letters.
        ValueError: the algorithm cannot screen over an index.
    """
    indexed = (
        ALGORITHM_V7, ALGORITHM_V6, ALGORITHM_V5, ALGORITHM_V4, ALGORITHM_V3, ALGORITHM_V2,
        ALGORITHM_V1,
    )  # fmt: skip
    if algorithm not in indexed:
        raise ValueError(
            f"Algorithm {algorithm!r} cannot screen an index; use one of {', '.join(indexed)}"
        )
    cutoff = THRESHOLDS[algorithm] if threshold is None else threshold
    query = check_query(query)
    prepared = prepare_name(
        query.name,
        organisation=query.schema in ORGANISATION_SCHEMAS,
        # v4 to v6 prepare the query as the index prepared its names
        legal_forms=algorithm == ALGORITHM_V3 or (algorithm in _FOLDED_ALIGN and index.legal_forms),
        person=query.schema == "Person",
        words=algorithm in _FOLDED_ALIGN and index.words,
    )
    if not prepared.tokens:
        raise InputError(f"Name {query.name!r} has no name tokens to screen", {"name": "empty"})
    if algorithm == ALGORITHM_V1:
        v1 = params if isinstance(params, Params) else DEFAULT_PARAMS
        return _screen_v1(query, prepared, index, cutoff, limit, v1)
    if algorithm == ALGORITHM_V3:
        v3 = params if isinstance(params, AlignParams) else V3_ALIGN
        return _screen_v2(query, prepared, index, cutoff, limit, v3, ALGORITHM_V3)
    if algorithm in _FOLDED_ALIGN:
        default = _FOLDED_ALIGN[algorithm]
        chosen = params if isinstance(params, AlignParams) else default
        return _screen_v2(query, prepared, index, cutoff, limit, chosen, algorithm)
    v2 = params if isinstance(params, AlignParams) else DEFAULT_ALIGN
    return _screen_v2(query, prepared, index, cutoff, limit, v2)


def iter_screen(
    queries: Iterable[ScreeningQuery],
    index: ScreeningIndex,
    *,
    threshold: float | None = None,
    limit: int = 10,
    algorithm: str = ALGORITHM,
) -> Iterator[tuple[ScreeningQuery, list[ScreeningHit] | InputError]]:
    """Screen many queries; a bad query yields its InputError and the others go on."""
    for query in queries:
        try:
            yield query, screen(query, index, threshold=threshold, limit=limit, algorithm=algorithm)
        except InputError as exc:
            yield query, exc


def _build_hit(
    query: ScreeningQuery,
    entry: ListEntry,
    listed: ListName,
    features: list[FeatureScore],
    score: float,
    *,
    low_quality: float,
    adjust: Params,
    algorithm: str,
) -> ScreeningHit:
    """Apply what every algorithm shares after the name score (the low-quality penalty, birth
    date and nationality adjustments, the mixed-script note), then build the hit."""
    if listed.kind is NameKind.LOW_QUALITY:
        features.append(
            FeatureScore(name="low_quality", value=-low_quality, detail="weak alias on the list")
        )
        score -= low_quality
    if score >= adjust.adjust_floor:
        for feature in (
            _birth_feature(query, entry, adjust),
            _nationality_feature(query, entry, adjust),
        ):
            if feature is not None:
                features.append(feature)
                score += feature.value
    scripts = detect_scripts(query.name)
    if len(scripts) > 1:
        features.append(
            FeatureScore(
                name="mixed_scripts",
                value=0.0,
                detail=f"query mixes {sorted(scripts)}; each letter was transliterated",
            )
        )
    return ScreeningHit(
        list=entry.list,
        ref=entry.ref,
        name=listed.value,
        name_kind=listed.kind,
        caption=entry.caption,
        score=max(0.0, min(1.0, score)),
        algorithm=algorithm,
        explanation=tuple(features),
    )
