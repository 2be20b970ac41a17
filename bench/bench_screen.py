"""Evaluate threatwatch.screen against nomenklatura's logic-v2 and ofac and a token-sort baseline.

Follows ../shared/data/sanctions/eval/README.md: entities split by hash into dev and test, the
threshold chosen on dev only, test reported once with Wilson 95% intervals. Prints the report
and writes the `## Screening` section of BENCHMARKS.md.

    .venv/bin/python bench/bench_screen.py [--quick] [--no-write] [--no-peers] [--speed-only]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import hashlib
import math
import multiprocessing
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from sections import write_section

from threatwatch.errors import InputError
from threatwatch.model.screening import NameKind, ScreeningQuery
from threatwatch.normalize import detect_scripts, normalize_name
from threatwatch.screen.align import DEFAULT_ALIGN, AlignParams, compare_names
from threatwatch.screen.index import ORGANISATION_SCHEMAS, ScreeningIndex, prepare_name
from threatwatch.screen.lists import load_ofac_csv, load_un_xml
from threatwatch.screen.match import (
    ALGORITHM_V1,
    ALGORITHM_V2,
    ALGORITHM_V6,
    ALGORITHM_V7,
    DEFAULT_PARAMS,
    THRESHOLDS,
    V6_ALIGN,
    V7_ALIGN,
    align_names,
    rank_entries,
    screen,
)

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("THREATWATCH_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data" / "sanctions"
EVAL = DATA / "eval"
SEED = 4
PEER_THRESHOLD = 0.7  # logic-v2's documented match threshold, also used for ofac
OURS = ALGORITHM_V7
V1 = ALGORITHM_V1
V2 = ALGORITHM_V2
V2_DEFAULT = f"v2 at its library default {THRESHOLDS[ALGORITHM_V2]}"
OURS_DEFAULT = f"v7 at its library default {THRESHOLDS[ALGORITHM_V7]}"
V6_DEFAULT = f"v6 at its library default {THRESHOLDS[ALGORITHM_V6]}"
LOGIC = "nomenklatura logic-v2"
OFAC = "nomenklatura ofac"
BASE = "rapidfuzz token-sort"


def split_of(key: str) -> str:
    """Return dev or test for an entity key, by hash, so that all its names share a split."""
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def fmt_rate(k: int, n: int, scale: float = 1.0) -> str:
    lo, hi = wilson(k, n)
    return f"{k / n * scale:.3f} [{lo * scale:.3f}, {hi * scale:.3f}] (n={n})" if n else "n/a"


@dataclass
class Query:
    """One evaluation query: the name, its target entity (None for negatives), what to hide."""

    name: str
    target: int | None
    stratum: str
    split: str
    exclude: frozenset[str] = frozenset()
    schema: str = "Person"
    tags: tuple[str, ...] = ()


@dataclass
class Outcome:
    """Per algorithm, per query: the top entity and its score."""

    top: dict[str, list[tuple[int | None, float]]] = field(default_factory=dict)


# --- data -------------------------------------------------------------------------------------


def load_index() -> tuple[ScreeningIndex, float, float]:
    tmp = Path(tempfile.mkdtemp(prefix="bench_screen_"))
    shutil.copy(DATA / "ofac_sdn_2024-05-03" / "sdn.csv", tmp)
    for name in ("alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(DATA / "ofac_alt_add_2025-02" / name, tmp)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    un = load_un_xml(DATA / "un_sc" / "UN_consolidated.xml")
    ofac = load_ofac_csv(tmp / "sdn.csv")
    index = ScreeningIndex(un.entries + ofac.entries)
    index.compiled()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    shutil.rmtree(tmp)
    return index, seconds, (after - before) / 1024


def similar_to_rest(alias: str, rest: Sequence[str]) -> float:
    norm = normalize_name(alias)
    return max((fuzz.token_sort_ratio(norm, normalize_name(r)) / 100 for r in rest), default=0.0)


def build_alias_queries(
    index: ScreeningIndex, rng: random.Random, ofac_per_split: int
) -> list[Query]:
    queries: list[Query] = []
    exact = 0
    ofac_pool: dict[str, list[Query]] = defaultdict(list)
    for number, entry in enumerate(index.entries):
        latin = [n for n in entry.names if n.kind is not NameKind.ORIGINAL_SCRIPT]
        if len(latin) < 2:
            continue
        split = split_of(entry.key)
        programme = entry.programmes[0] if entry.programmes else "-"
        group = (
            (programme if programme in ("Taliban", "Al-Qaida") else "other")
            if entry.list == "un_sc"
            else "ofac"
        )
        for name in latin:
            if name.kind is NameKind.PRIMARY:
                continue
            rest = [n.value for n in entry.names if n.value != name.value]
            if normalize_name(name.value) in {normalize_name(r) for r in rest}:
                exact += 1
                continue
            if name.kind is NameKind.LOW_QUALITY:
                stratum = "c_low_quality"
            elif (
                similar_to_rest(name.value, [r for r in rest if detect_scripts(r) <= {"latin"}])
                >= 0.6
            ):
                stratum = "a_variant"
            else:
                stratum = "b_different"
            query = Query(
                name=name.value,
                target=number,
                stratum=stratum,
                split=split,
                exclude=frozenset({name.value}),
                schema=entry.schema,
                tags=(entry.list, group),
            )
            if entry.list == "un_sc":
                queries.append(query)
            elif name.kind in (NameKind.AKA, NameKind.FKA):
                ofac_pool[split].append(query)
    for pool in ofac_pool.values():
        # OFAC has ~18k aliases: sample within each stratum in proportion
        rng.shuffle(pool)
        queries.extend(pool[:ofac_per_split])
    print(f"held-out aliases: {len(queries)} queries; {exact} dropped as exact after normalising")
    return queries


def build_native_queries(index: ScreeningIndex) -> list[Query]:
    queries = []
    for number, entry in enumerate(index.entries):
        originals = [n.value for n in entry.names if n.kind is NameKind.ORIGINAL_SCRIPT]
        for value in originals:
            scripts = detect_scripts(value)
            if "arabic" in scripts:
                script = "arabic"
            elif "cyrillic" in scripts:
                script = "cyrillic"
            else:
                continue
            programme = entry.programmes[0] if entry.programmes else "-"
            queries.append(
                Query(
                    name=value,
                    target=number,
                    stratum=f"native_{script}",
                    split=split_of(entry.key),
                    exclude=frozenset(originals),
                    schema=entry.schema,
                    tags=("taliban",) if programme == "Taliban" else (),
                )
            )
    return queries


def read_names(path: Path, limit: int, rng: random.Random) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        names = [row["full_name"] for row in csv.DictReader(handle) if row["full_name"].strip()]
    rng.shuffle(names)
    return names[:limit]


def build_negative_queries(rng: random.Random, per_split: int) -> list[Query]:
    queries = []
    sources = (
        ("negatives_global.csv", "neg_global", per_split),
        ("negatives_us.csv", "neg_us", per_split // 2),
        ("positives_us_congress_untreated.csv", "neg_us_congress", per_split // 4),
    )
    for file, stratum, size in sources:
        names = read_names(EVAL / "candidate_generation" / file, size * 2, rng)
        for k, name in enumerate(names):
            queries.append(
                Query(name=name, target=None, stratum=stratum, split="dev" if k % 2 else "test")
            )
    return queries


# --- algorithms -------------------------------------------------------------------------------


_NAME_IDS: dict[int, list[int]] = {}


def rank_v2(
    index: ScreeningIndex,
    query: Query,
    params: AlignParams = DEFAULT_ALIGN,
    *,
    legal_forms: bool = False,
    words: bool = False,
) -> tuple[dict[int, float], list[int]]:
    """v2's (or, with v6's index, params and legal forms, v6's; with words too, v7's) top
    entities for a query with its held-out names hidden; also the candidates."""
    prepared = prepare_name(
        query.name,
        organisation=query.schema in ORGANISATION_SCHEMAS,
        legal_forms=legal_forms,
        person=query.schema == "Person",
        words=words,
    )
    if not prepared.tokens:
        return {}, []
    if not _NAME_IDS:
        for name_id, indexed in enumerate(index.names):
            _NAME_IDS.setdefault(indexed.entry, []).append(name_id)
    skip = frozenset()
    if query.target is not None and query.exclude:
        skip = frozenset(
            n for n in _NAME_IDS.get(query.target, []) if index.names[n].name.value in query.exclude
        )
    _, ranked = rank_entries(prepared, index, params=params, skip=skip, schema=query.schema)
    best = {entry_no: value for value, entry_no, _ in ranked}
    return best, [entry_no for _, entry_no, _ in ranked[:30]]


def rank_ours(index: ScreeningIndex, query: Query) -> tuple[dict[int, float], list[int]]:
    """v1's top entity for a query with its held-out names hidden; also the candidate entities."""
    prepared = prepare_name(query.name, organisation=query.schema in ORGANISATION_SCHEMAS)
    if not prepared.tokens:
        return {}, []
    best: dict[int, float] = {}
    for name_id in index.candidates(prepared, DEFAULT_PARAMS.candidates + len(query.exclude)):
        indexed = index.names[name_id]
        if indexed.entry == query.target and indexed.name.value in query.exclude:
            continue
        value = align_names(prepared, indexed.prepared, weigher=index.token_weight).score
        if indexed.name.kind is NameKind.LOW_QUALITY:
            value -= DEFAULT_PARAMS.low_quality
        if value > best.get(indexed.entry, -1.0):
            best[indexed.entry] = value
    ranked = sorted(best, key=best.__getitem__, reverse=True)
    return best, ranked[:30]


class Baseline:
    """Plain rapidfuzz token-sort ratio over every name in the index (no candidate index)."""

    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index
        self.choices = [n.name.value.lower() for n in index.names]

    def rank(self, query: Query) -> tuple[dict[int, float], list[int]]:
        found = process.extract(
            query.name.lower(), self.choices, scorer=fuzz.token_sort_ratio, limit=25
        )
        best: dict[int, float] = {}
        for _, value, name_id in found:
            indexed = self.index.names[name_id]
            if indexed.entry == query.target and indexed.name.value in query.exclude:
                continue
            best.setdefault(indexed.entry, value / 100)
        return best, list(best)[:10]


class Peers:
    """nomenklatura's logic-v2 and ofac algorithms, run on our and the baseline's candidates."""

    def __init__(self, index: ScreeningIndex) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig

        self.model = model
        self.index = index
        self.algorithms = {LOGIC: get_algorithm("logic-v2"), OFAC: get_algorithm("ofac")}
        self.config = ScoringConfig.defaults()
        self.counter = 0
        self.errors = 0

    def _entity(self, schema: str, names: Sequence[str]) -> Any:
        self.counter += 1
        ftm_schema = {"Person": "Person", "Vessel": "Vessel", "Airplane": "Airplane"}.get(
            schema, "Organization"
        )
        entity = self.model.make_entity(ftm_schema)
        entity.id = f"e{self.counter}"  # nomenklatura caches analysed names by entity ID
        entity.add("name", list(names))
        return entity

    def rank(self, query: Query, candidates: Sequence[int]) -> dict[str, dict[int, float]]:
        q = self._entity(query.schema, [query.name])
        results: dict[str, dict[int, float]] = {}
        entities = []
        for number in candidates:
            entry = self.index.entries[number]
            names = [
                n.value
                for n in entry.names
                if not (number == query.target and n.value in query.exclude)
            ]
            if names:
                entities.append((number, self._entity(entry.schema, names)))
        for label, algorithm in self.algorithms.items():
            top: dict[int, float] = {}
            for number, entity in entities:
                try:
                    value = float(algorithm.compare(q, entity, self.config).score)
                except Exception:  # peers raise on schema pairs they cannot compare
                    self.errors += 1
                    continue
                top[number] = value
            results[label] = top
        return results


# --- evaluation -------------------------------------------------------------------------------


def run_queries(
    queries: Sequence[Query],
    index: ScreeningIndex,
    baseline: Baseline,
    peers: Peers | None,
    peer_splits: set[str],
    index_folded: ScreeningIndex,
    index_v6: ScreeningIndex,
) -> dict[str, list[dict[int, float]]]:
    out: dict[str, list[dict[int, float]]] = defaultdict(list)
    started = time.perf_counter()
    for k, query in enumerate(queries):
        ours, ours_cands = rank_v2(index_folded, query, V7_ALIGN, legal_forms=True, words=True)
        out[OURS].append(ours)
        out[V6_DEFAULT].append(rank_v2(index_v6, query, V6_ALIGN, legal_forms=True)[0])
        v2, v2_cands = rank_v2(index, query)
        out[V2].append(v2)
        out[V1].append(rank_ours(index, query)[0])
        base, base_cands = baseline.rank(query)
        out[BASE].append(base)
        if peers is not None and query.split in peer_splits:
            candidates = list(dict.fromkeys(ours_cands + v2_cands + base_cands))
            for label, result in peers.rank(query, candidates).items():
                out[label].append(result)
        elif peers is not None:
            out[LOGIC].append({})
            out[OFAC].append({})
        if k and k % 500 == 0:
            LOADS.append(os.getloadavg()[0])
            print(f"  {k}/{len(queries)} queries, {time.perf_counter() - started:.0f}s", flush=True)
    return out


LISTS: list[str] = []


def recall(
    queries: Sequence[Query],
    tops: list[dict[int, float]],
    threshold: float,
    pick: Callable[[Query], bool],
) -> tuple[int, int]:
    """Recall@1 within the target's own list: UN and OFAC list many of the same people."""
    k = n = 0
    for query, scores in zip(queries, tops, strict=True):
        if pick(query):
            n += 1
            assert query.target is not None
            own = LISTS[query.target]
            mine = {e: v for e, v in scores.items() if LISTS[e] == own}
            if mine:
                top = max(mine, key=mine.__getitem__)
                k += int(top == query.target and mine[top] >= threshold)
    return k, n


def alerts(
    queries: Sequence[Query],
    tops: list[dict[int, float]],
    threshold: float,
    pick: Callable[[Query], bool],
) -> tuple[int, int]:
    k = n = 0
    for query, scores in zip(queries, tops, strict=True):
        if pick(query):
            n += 1
            k += int(max(scores.values(), default=0.0) >= threshold)
    return k, n


# --- name_bench -------------------------------------------------------------------------------


def name_bench(peers: Peers | None) -> tuple[dict[str, list[tuple[bool, float, str]]], int]:
    """Score every name_bench pair; returns per algorithm (label, score, split) lists."""
    rows = list(csv.DictReader((EVAL / "name_bench" / "cases.csv").open(encoding="utf-8")))
    out: dict[str, list[tuple[bool, float, str]]] = defaultdict(list)
    for k, row in enumerate(rows):
        label = row["is_match"].strip().lower() == "true"
        split = split_of(f"case:{k}")
        schema = row["schema"]
        organisation = schema not in ("Person", "Vessel")
        q = prepare_name(row["name1"], organisation=organisation)
        r = prepare_name(row["name2"], organisation=organisation)
        ours = align_names(q, r).score if q.tokens and r.tokens else 0.0
        out[V1].append((label, ours, split))
        out[V2].append((label, compare_names(q, r).score, split))
        q4 = prepare_name(row["name1"], organisation=organisation, legal_forms=True)
        r4 = prepare_name(row["name2"], organisation=organisation, legal_forms=True)
        value = compare_names(q4, r4, V6_ALIGN).score if q4.tokens and r4.tokens else 0.0
        out[ALGORITHM_V6].append((label, value, split))
        q7 = prepare_name(row["name1"], organisation=organisation, legal_forms=True, words=True)
        r7 = prepare_name(row["name2"], organisation=organisation, legal_forms=True, words=True)
        value = compare_names(q7, r7, V7_ALIGN).score if q7.tokens and r7.tokens else 0.0
        out[OURS].append((label, value, split))
        out[BASE].append(
            (label, fuzz.token_sort_ratio(row["name1"].lower(), row["name2"].lower()) / 100, split)
        )
        if peers is not None:
            a = peers._entity(schema, [row["name1"]])
            b = peers._entity(schema, [row["name2"]])
            for name, algorithm in peers.algorithms.items():
                try:
                    value = float(algorithm.compare(a, b, peers.config).score)
                except Exception:  # peers raise on schema pairs they cannot compare
                    value = 0.0
                out[name].append((label, value, split))
    return out, len(rows)


def prf(
    pairs: Sequence[tuple[bool, float, str]], threshold: float, split: str | None
) -> tuple[float, float, float, int]:
    tp = fp = fn = n = 0
    for label, value, s in pairs:
        if split and s != split:
            continue
        n += 1
        hit = value >= threshold
        tp += int(hit and label)
        fp += int(hit and not label)
        fn += int(label and not hit)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, n


# --- speed ------------------------------------------------------------------------------------

_WORKER_INDEX: ScreeningIndex | None = None


def _screen_chunk(names: list[str]) -> int:
    assert _WORKER_INDEX is not None
    hits = 0
    for name in names:
        with contextlib.suppress(InputError):  # bad rows count as screened, as in the CLI
            hits += bool(screen(ScreeningQuery(name=name), _WORKER_INDEX))
    return hits


def speed(
    index: ScreeningIndex,
    index_folded: ScreeningIndex,
    names: list[str],
    latency_queries: list[str],
    workers: int,
) -> dict[str, float]:
    """Latency of v7 (over its own index) and v2 (over the plain one), then v7's batch."""
    global _WORKER_INDEX
    index.compiled()
    index_folded.compiled()
    gc.collect()
    gc.freeze()  # the index is long-lived: keep the collector from walking it (and forks sharing it)
    out: dict[str, float] = {}
    for label, algorithm, over in (("", OURS, index_folded), ("v2_", V2, index)):
        times = []
        for name in latency_queries:
            started = time.perf_counter()
            with contextlib.suppress(InputError):  # a bad query still costs its time
                screen(ScreeningQuery(name=name), over, algorithm=algorithm)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out |= {
            f"{label}p50": statistics.median(times),
            f"{label}p95": times[int(len(times) * 0.95) - 1],
            f"{label}p99": times[int(len(times) * 0.99) - 1],
        }
    LOADS.append(os.getloadavg()[0])
    _WORKER_INDEX = index_folded
    chunks = [names[i : i + 500] for i in range(0, len(names), 500)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        hits = sum(pool.map(_screen_chunk, chunks))
    seconds = time.perf_counter() - started
    LOADS.append(os.getloadavg()[0])
    return out | {
        "n_latency": len(latency_queries),
        "batch_names": len(names),
        "batch_seconds": seconds,
        "throughput": len(names) / seconds,
        "batch_alerts": hits,
    }


def speed_lines(
    quick: bool,
    rng: random.Random,
    queries: Sequence[Query],
    index: ScreeningIndex,
    index_folded: ScreeningIndex,
    build_seconds: float,
    build_mb: float,
) -> list[str]:
    """Measure and describe the speed figures (the latency queries are drawn from `queries`)."""
    all_neg = read_names(
        EVAL / "candidate_generation" / "negatives_global.csv", 50_000, random.Random(1)
    ) + read_names(EVAL / "candidate_generation" / "negatives_us.csv", 50_000, random.Random(2))
    batch = all_neg[:10_000] if quick else all_neg
    latency_queries = [q.name for q in rng.sample(list(queries), min(2000, len(queries)))]
    figures = speed(index, index_folded, batch, latency_queries, workers=2)
    return [
        f"### Speed ({OURS}, full UN+OFAC index)",
        "",
        "* index build (parse UN XML + OFAC CSV set, prepare, index and compile names; the "
        "plain index, v7's own index is built from the parsed entries in a few more "
        f"seconds): {build_seconds:.1f} s, growth of peak RSS {build_mb:.0f} MB",
        f"* single query (`screen()` with its default threshold, {int(figures['n_latency'])} "
        f"mixed queries, one process): p50 {figures['p50']:.2f} ms, p95 {figures['p95']:.2f} ms, "
        f"**p99 {figures['p99']:.2f} ms**; {V2} on the same queries (plain index): "
        f"p50 {figures['v2_p50']:.2f} ms, p95 {figures['v2_p95']:.2f} ms, "
        f"p99 {figures['v2_p99']:.2f} ms",
        f"* batch: {int(figures['batch_names']):,} names (negatives_global + negatives_us) on 2 "
        f"worker processes: {figures['batch_seconds']:.1f} s, "
        f"**{figures['throughput']:.0f} names/s**",
    ]


LOADS: list[float] = []
"""1-minute load averages sampled during the run (the machine is shared)."""


# --- report -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small samples, for a smoke run")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--no-peers", action="store_true", help="skip nomenklatura")
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="only the speed figures (same queries as a full run), printed, never written",
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}; set THREATWATCH_SHARED", file=sys.stderr)
        return 2
    rng = random.Random(SEED)
    scale = 0.1 if args.quick else 1.0
    index, build_seconds, build_mb = load_index()
    print(
        f"index: {len(index.entries)} entries, {len(index.names)} names, built in {build_seconds:.1f}s, RSS +{build_mb:.0f} MB"
    )
    peers: Peers | None = None
    peer_note = ""
    if not args.no_peers:
        try:
            peers = Peers(index)
        except Exception as exc:  # report exactly why the peers could not run
            peer_note = f"nomenklatura could not be run: {type(exc).__name__}: {exc}"
            print(peer_note)
    baseline = Baseline(index)
    started = time.perf_counter()
    index_folded = ScreeningIndex(index.entries, legal_forms=True, words=True)
    index_folded.compiled()
    print(
        f"v7 index (legal forms folded, words read) built in {time.perf_counter() - started:.1f}s"
    )
    index_v6 = ScreeningIndex(index.entries, legal_forms=True)
    LISTS.extend(e.list for e in index.entries)

    aliases = build_alias_queries(index, rng, int(800 * scale))
    native = build_native_queries(index)
    negatives = build_negative_queries(rng, int(1200 * scale))
    if args.quick:
        aliases = rng.sample(aliases, min(len(aliases), 300))
        native = native[::5]
    queries = aliases + native + negatives
    print(f"queries: {len(aliases)} alias, {len(native)} native, {len(negatives)} negative")
    if args.speed_only:
        LOADS.append(os.getloadavg()[0])
        for line in speed_lines(
            args.quick, rng, queries, index, index_folded, build_seconds, build_mb
        ):
            print(line)
        print(
            f"* 1-minute load average sampled through the run: {min(LOADS):.2f} to {max(LOADS):.2f}"
        )
        return 0
    started = time.perf_counter()
    LOADS.append(os.getloadavg()[0])
    tops = run_queries(
        queries, index, baseline, peers, {"test"} if peers else set(), index_folded, index_v6
    )
    # logic-v2's alert rate on dev negatives sets our threshold budget: run it there too
    if peers is not None:
        dev_neg = [k for k, q in enumerate(queries) if q.target is None and q.split == "dev"]
        for k in dev_neg:
            q = queries[k]
            _, oc = rank_v2(index_folded, q, V7_ALIGN, legal_forms=True, words=True)
            _, vc = rank_v2(index, q)
            _, bc = baseline.rank(q)
            for label, result in peers.rank(q, list(dict.fromkeys(oc + vc + bc))).items():
                tops[label][k] = result
    eval_seconds = time.perf_counter() - started
    LOADS.append(os.getloadavg()[0])

    def pos(split: str) -> Callable[[Query], bool]:
        return lambda q: (
            q.split == split
            and q.target is not None
            and q.stratum in ("a_variant", "b_different", "c_low_quality")
        )

    def neg(split: str) -> Callable[[Query], bool]:
        return lambda q: q.split == split and q.target is None

    # --- tune on dev: the threshold maximising dev alias recall@1 within logic-v2's dev alert rate
    if peers is not None:
        ka, na = alerts(queries, tops[LOGIC], PEER_THRESHOLD, neg("dev"))
        budget = ka / na if na else 0.0
    else:
        budget = 0.01
    grid = [round(0.60 + 0.01 * i, 2) for i in range(40)]

    def choose(algo: str) -> float:
        """The documented rule: best dev recall@1 whose dev alert rate is within the budget."""
        best_t, best_r = 0.99, -1.0
        for t in grid:
            ka, na = alerts(queries, tops[algo], t, neg("dev"))
            if na and ka / na > budget:
                continue
            kr, nr = recall(queries, tops[algo], t, pos("dev"))
            if kr / max(nr, 1) > best_r:
                best_t, best_r = t, kr / max(nr, 1)
        return best_t

    best_t, v1_t, base_t, v2_t = choose(OURS), choose(V1), choose(BASE), choose(V2)
    # the library defaults were fixed from dev-only tuning before this run: report them beside
    tops[OURS_DEFAULT] = tops[OURS]
    tops[V2_DEFAULT] = tops[V2]
    thresholds = {
        OURS: best_t,
        OURS_DEFAULT: THRESHOLDS[OURS],
        V6_DEFAULT: THRESHOLDS[ALGORITHM_V6],
        V2: v2_t,
        V2_DEFAULT: THRESHOLDS[V2],
        V1: v1_t,
        BASE: base_t,
        LOGIC: PEER_THRESHOLD,
        OFAC: PEER_THRESHOLD,
    }
    ours = [OURS, OURS_DEFAULT, V6_DEFAULT, V2, V2_DEFAULT, V1]
    algos = [*ours, LOGIC, OFAC, BASE] if peers else [*ours, BASE]
    print(
        f"dev alert budget (logic-v2 @0.7): {budget * 1000:.1f}/1000; chosen threshold {best_t} "
        f"(v2 {v2_t}, v1 {v1_t}, baseline {base_t})"
    )

    lines: list[str] = []
    say = lines.append
    say("## Screening")
    say("")
    say(
        f"Command: `.venv/bin/python bench/bench_screen.py{' --quick' if args.quick else ''}` "
        f"({datetime.now(UTC).strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; evaluation took {eval_seconds:.0f}s)."
    )
    say(
        "Data: UN consolidated list (2026-02-27) + OFAC sdn.csv (2024-05-03) with alt.csv (2025-02), "
        "orphan aliases dropped; eval sets from `../shared/data/sanctions/eval`. "
        f"Index: {len(index.entries)} entries, {len(index.names)} names."
    )
    say(
        "Recall@1 counts the target as found when it is the top entity *of its own list* at or above "
        "the threshold: the UN and OFAC lists name many of the same people, so the other list's "
        "record of the same person is not counted as a miss."
    )
    say(
        "Entities are split dev/test by SHA-1 of `list:ref`; thresholds are chosen on dev only; "
        "all figures below are **test** unless marked, with Wilson 95% intervals."
    )
    say(
        f"Thresholds: {OURS} {best_t} (best dev alias recall@1 with dev alerts within logic-v2's "
        f"dev rate of {budget * 1000:.1f}/1000), {V2} {v2_t}, {V1} {v1_t} and baseline {base_t} "
        "(same rule), "
        f"logic-v2 and ofac {PEER_THRESHOLD} (their documented default). The columns "
        f"'{OURS_DEFAULT}', '{V6_DEFAULT}' and '{V2_DEFAULT}' are those algorithms at their "
        "thresholds in `THRESHOLDS`, each fixed before the run from dev-only tuning "
        "(docs/screening.md, 'Threshold'). v7 and v6 run over their own indexes of the same "
        "entries, built with legal forms folded (as v3's), v7's with words read (docs/"
        "screening.md, 'v7'). Peers score the union of v7's and "
        "v2's candidates and the baseline's top 25 names, so they are not limited by our "
        "blocking."
    )
    if peer_note:
        say(f"**Peers missing:** {peer_note}")
    say("")
    say("### Held-out alias retrieval (recall@1 at threshold)")
    say("")
    say("| stratum | " + " | ".join(algos) + " |")
    say("|---|" + "---|" * len(algos))
    strata = [
        (
            "all UN+OFAC (a+b+c)",
            lambda q: q.stratum in ("a_variant", "b_different", "c_low_quality"),
        ),
        ("UN (a+b+c)", lambda q: q.tags[:1] == ("un_sc",)),
        ("OFAC alt.csv (a+b)", lambda q: q.tags[:1] == ("us_ofac_sdn",)),
        ("(a) spelling variants", lambda q: q.stratum == "a_variant"),
        ("(b) different names", lambda q: q.stratum == "b_different"),
        ("(c) UN low quality", lambda q: q.stratum == "c_low_quality"),
        ("UN Taliban", lambda q: "Taliban" in q.tags),
        ("UN Al-Qaida", lambda q: "Al-Qaida" in q.tags),
        ("UN other", lambda q: q.tags[1:] == ("other",)),
    ]
    for label, pick in strata:
        cells = []
        for algo in algos:
            k, n = recall(
                queries,
                tops[algo],
                thresholds[algo],
                lambda q, p=pick: (
                    q.split == "test"
                    and q.target is not None
                    and q.stratum.startswith(("a_", "b_", "c_"))
                    and p(q)
                ),
            )
            cells.append(fmt_rate(k, n))
        say(f"| {label} | " + " | ".join(cells) + " |")
    say("")
    say("### Native script queries against Latin-only entries (recall@1 at threshold)")
    say("")
    say("| queries | " + " | ".join(algos) + " |")
    say("|---|" + "---|" * len(algos))
    for label, pick in [
        ("Taliban, Pashto/Dari (test)", lambda q: q.split == "test" and "taliban" in q.tags),
        ("Taliban, Pashto/Dari (dev+test, untuned)", lambda q: "taliban" in q.tags),
        ("all Arabic script (test)", lambda q: q.split == "test" and q.stratum == "native_arabic"),
        ("Cyrillic (dev+test)", lambda q: q.stratum == "native_cyrillic"),
    ]:
        cells = []
        for algo in algos:
            peers_only_test = algo in (LOGIC, OFAC)
            k, n = recall(
                queries,
                tops[algo],
                thresholds[algo],
                lambda q, p=pick, t=peers_only_test: (
                    q.stratum.startswith("native") and (q.split == "test" or not t) and p(q)
                ),
            )
            cells.append(fmt_rate(k, n))
        say(f"| {label} | " + " | ".join(cells) + " |")
    say("Peers are run on the test split only, so their dev+test rows cover test queries.")
    say("")
    say("### Alerts per 1,000 screened non-listed names (test)")
    say("")
    say("| negatives | " + " | ".join(algos) + " |")
    say("|---|" + "---|" * len(algos))
    for label, stratum in [
        ("negatives_global", "neg_global"),
        ("negatives_us", "neg_us"),
        ("US Congress members", "neg_us_congress"),
    ]:
        cells = []
        for algo in algos:
            k, n = alerts(
                queries,
                tops[algo],
                thresholds[algo],
                lambda q, s=stratum: q.split == "test" and q.stratum == s,
            )
            cells.append(fmt_rate(k, n, 1000))
        say(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for algo in algos:
        k, n = alerts(queries, tops[algo], thresholds[algo], neg("test"))
        cells.append(fmt_rate(k, n, 1000))
    say("| all negatives | " + " | ".join(cells) + " |")
    say("")

    bench_pairs, n_cases = name_bench(peers)
    say("### name_bench/cases.csv pairs (P / R / F1)")
    say("")
    say(
        f"{n_cases} labelled pairs. logic-v2's frozen reference run: P 0.762 / R 0.821 / F1 0.790 at 0.7."
    )
    say(
        "Our pair threshold is chosen on the dev half of the cases (hash of row number) for best F1."
    )
    say("")
    pair_t = max(grid, key=lambda t: prf(bench_pairs[OURS], t, "dev")[2])
    v6_pair_t = max(grid, key=lambda t: prf(bench_pairs[ALGORITHM_V6], t, "dev")[2])
    v2_pair_t = max(grid, key=lambda t: prf(bench_pairs[V2], t, "dev")[2])
    v1_pair_t = max(grid, key=lambda t: prf(bench_pairs[V1], t, "dev")[2])
    base_pair_t = max(grid, key=lambda t: prf(bench_pairs[BASE], t, "dev")[2])
    say("| algorithm | threshold | test half P / R / F1 | all cases P / R / F1 |")
    say("|---|---|---|---|")
    for algo, t in [
        (OURS, pair_t),
        (ALGORITHM_V6, v6_pair_t),
        (V2, v2_pair_t),
        (V1, v1_pair_t),
        (LOGIC, 0.7),
        (OFAC, 0.7),
        (BASE, base_pair_t),
    ]:
        if algo not in bench_pairs:
            continue
        p, r, f, n = prf(bench_pairs[algo], t, "test")
        pa, ra, fa, na = prf(bench_pairs[algo], t, None)
        say(
            f"| {algo} | {t} | {p:.3f} / {r:.3f} / {f:.3f} (n={n}) | {pa:.3f} / {ra:.3f} / {fa:.3f} (n={na}) |"
        )
    say("")

    for line in speed_lines(args.quick, rng, queries, index, index_folded, build_seconds, build_mb):
        say(line)
    if peers is not None:
        say(f"* peers raised on {peers.errors} comparisons (scored 0)")
    say(
        f"* 1-minute load average of the shared {os.cpu_count()}-core machine, sampled through "
        f"the run: {min(LOADS):.2f} to {max(LOADS):.2f}"
    )
    say("")
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        write_section(report)
        print("wrote the Screening section of BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
