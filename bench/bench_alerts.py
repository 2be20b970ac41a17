"""Alert rate of v7 (and v6) against logic-v2 on a large sample of fresh non-listed names (test).

`bench_screen.py` measures alerts on 2,100 test negatives, where v7 and logic-v2 differ by a
handful of alerts: the comparison is inside the noise. This script draws a larger test sample
from the rows of `negatives_global.csv` and `negatives_us.csv` that no tuning ever read:

* not the bench's own negatives (dev or test),
* not the 9,000 extra dev negatives that v4's to v7's settings were tuned on,
* not the 8,000 rows that v2's threshold was tuned on.

All run at their fixed thresholds (v7's and v6's library defaults, chosen on dev only;
logic-v2's documented 0.7), on the same candidates as in the main bench (v7's and v2's candidates
plus the token-sort baseline's top 25). It prints alerts per 1,000 with Wilson
95% intervals, the paired counts (names that only one of them alerts on, with an exact sign-test
p-value), per file and per script, and writes its section into BENCHMARKS.md unless
--no-write.

With --calibrate it reads instead the fresh rows that come right after that test sample in the
same order (as many again; never read by anything else) as a dev sample: it counts logic-v2's
alerts there and v7's at each threshold of a grid. v7's library threshold is the lowest one
whose alerts stay within logic-v2's (docs/screening.md, "Threshold"). That section is written
too.

    .venv/bin/python bench/bench_alerts.py [--global-names 10000] [--workers 2] [--no-write]
        [--calibrate]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime

from bench_screen import (
    DATA,
    EVAL,
    LOGIC,
    SEED,
    Baseline,
    Peers,
    Query,
    build_alias_queries,
    build_negative_queries,
    load_index,
    rank_v2,
    read_names,
    wilson,
)
from sections import publish

from threatwatch.normalize import detect_scripts
from threatwatch.screen.index import ScreeningIndex
from threatwatch.screen.match import ALGORITHM_V6, ALGORITHM_V7, THRESHOLDS, V6_ALIGN, V7_ALIGN

SECTION = "## Screening: alerts on a large fresh test sample"
CALIBRATION = "## Screening: v7's threshold on fresh dev negatives"
GRID = tuple(round(0.78 + 0.005 * k, 3) for k in range(11))
PEER_THRESHOLD = 0.7
FILES = ("negatives_global.csv", "negatives_us.csv")


def tuned_names(index: ScreeningIndex) -> set[str]:
    """Every negative name that the bench sampled or that a tuning run read."""
    rng = random.Random(SEED)
    build_alias_queries(index, rng, 800)  # advances rng exactly as bench_screen.main does
    used = {q.name for q in build_negative_queries(rng, 1200)}
    bench = set(used)
    folder = EVAL / "candidate_generation"
    # v4's dev harness: 6,000 + 3,000 rows in a Random(99) order, after the bench's own rows
    for file, size in zip(FILES, (6000, 3000), strict=True):
        names = read_names(folder / file, 60000, random.Random(99))
        used.update([x for x in names if x not in bench][:size])
    # v2's tuning: the first 4,000 rows of each file in a Random(0) order
    for file in FILES:
        used.update(read_names(folder / file, 10**6, random.Random(0))[:4000])
    return used


def fresh_queries(
    index: ScreeningIndex, global_names: int, *, calibration: bool = False
) -> list[Query]:
    """`global_names` fresh global names and half as many US ones, as the bench's 2:1 mix.

    With `calibration`, the same number of the fresh rows that follow them, as dev queries.
    """
    used = tuned_names(index)
    queries = []
    for file, size in zip(FILES, (global_names, global_names // 2), strict=True):
        names = read_names(EVAL / "candidate_generation" / file, 10**6, random.Random(SEED + 1))
        fresh = list(dict.fromkeys(x for x in names if x not in used))
        picked = fresh[size : 2 * size] if calibration else fresh[:size]
        stratum = "neg_" + file.removeprefix("negatives_").removesuffix(".csv")
        split = "dev" if calibration else "test"
        queries += [Query(name=x, target=None, stratum=stratum, split=split) for x in picked]
    return queries


_STATE: dict[str, object] = {}


def script_of(name: str) -> str:
    """The script group of a name, for the breakdown: Latin, Arabic, Cyrillic or other."""
    scripts = detect_scripts(name)
    if "arabic" in scripts:
        return "script: Arabic"
    if "cyrillic" in scripts:
        return "script: Cyrillic"
    if scripts <= {"latin"}:
        return "script: Latin"
    return "script: other (CJK, Hangul, Thai, Devanagari...)"


Row = tuple[str, str, float, float, float]
"""A query's stratum, its script, and the best score of v7, v6 and logic-v2."""


def _score(chunk: list[Query]) -> list[Row]:
    """Score each query with v7, v6 and logic-v2 (`Row`)."""
    index = _STATE["index"]
    index_folded = _STATE["index_folded"]
    index_v6 = _STATE["index_v6"]
    baseline = _STATE["baseline"]
    assert isinstance(index, ScreeningIndex) and isinstance(index_folded, ScreeningIndex)
    assert isinstance(index_v6, ScreeningIndex)
    assert isinstance(baseline, Baseline)
    # one Peers per worker process: nomenklatura caches analysed names by entity id, and each
    # Peers numbers its entities from 1, so a second instance would read stale names
    peers = _STATE.get("peers")
    if peers is None:
        peers = _STATE["peers"] = Peers(index)
        peers.algorithms = {LOGIC: peers.algorithms[LOGIC]}
    assert isinstance(peers, Peers)
    out = []
    for query in chunk:
        ours, ours_cands = rank_v2(index_folded, query, V7_ALIGN, legal_forms=True, words=True)
        v6, _ = rank_v2(index_v6, query, V6_ALIGN, legal_forms=True)
        _, v2_cands = rank_v2(index, query)
        _, base_cands = baseline.rank(query)
        candidates = list(dict.fromkeys(ours_cands + v2_cands + base_cands))
        logic = peers.rank(query, candidates)[LOGIC]
        out.append(
            (
                query.stratum,
                script_of(query.name),
                max(ours.values(), default=0.0),
                max(v6.values(), default=0.0),
                max(logic.values(), default=0.0),
            )
        )
    return out


def sign_test(b: int, c: int) -> float:
    """Two-sided exact binomial p-value for b against c discordant pairs (p = 0.5)."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


def rate(k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    return f"{1000 * k / n:.2f} [{1000 * lo:.2f}, {1000 * hi:.2f}] ({k} of {n:,})"


def calibration_section(rows: list[Row], command: str) -> str:
    """The calibration table: logic-v2's alerts, and v7's and v6's at each grid threshold."""
    budget = sum(r[4] >= PEER_THRESHOLD for r in rows)
    within = [t for t in GRID if sum(r[2] >= t for r in rows) <= budget]
    lines = [
        CALIBRATION,
        "",
        command,
        "",
        f"A dev sample of {len(rows):,} fresh non-listed names: the rows of the two negative "
        "files that follow this script's test sample in its order, read by nothing else. "
        f"{LOGIC} at {PEER_THRESHOLD} raises **{budget}** alerts on them. The rule: v7's library "
        "threshold is the lowest (so the best recall) whose alerts stay within that: "
        f"**{within[0] if within else 'none in the grid'}**. v6 is shown for comparison.",
        "",
        f"| threshold | {ALGORITHM_V7} alerts | {ALGORITHM_V6} alerts |",
        "|---|---|---|",
    ]
    for t in GRID:
        ours = sum(r[2] >= t for r in rows)
        v6 = sum(r[3] >= t for r in rows)
        lines.append(f"| {t} | {ours} | {v6} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--global-names", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave BENCHMARKS.md.")
    parser.add_argument(
        "--calibrate", action="store_true", help="the dev sample after the test one: v7's threshold"
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}; set THREATWATCH_SHARED", file=sys.stderr)
        return 2
    started = time.perf_counter()
    index, _, _ = load_index()
    index_folded = ScreeningIndex(index.entries, legal_forms=True, words=True)
    index_folded.compiled()
    index_v6 = ScreeningIndex(index.entries, legal_forms=True)
    index_v6.compiled()
    queries = fresh_queries(index, args.global_names, calibration=args.calibrate)
    _STATE.update(
        index=index, index_folded=index_folded, index_v6=index_v6, baseline=Baseline(index)
    )
    chunks = [queries[k : k + 200] for k in range(0, len(queries), 200)]
    rows: list[Row] = []
    loads = [os.getloadavg()[0]]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for done in pool.imap(_score, chunks):
            rows += done
            loads.append(os.getloadavg()[0])
            print(f"  {len(rows)}/{len(queries)} names", flush=True)
    seconds = time.perf_counter() - started
    command = (
        f"Command: `.venv/bin/python bench/bench_alerts.py --global-names {args.global_names} "
        f"--workers {args.workers}{' --calibrate' if args.calibrate else ''}` "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{seconds:.0f} s, load average {min(loads):.1f} to {max(loads):.1f})."
    )
    if args.calibrate:
        publish(calibration_section(rows, command), write=not args.no_write)
        return 0
    ours_t = THRESHOLDS[ALGORITHM_V7]
    v6_t = THRESHOLDS[ALGORITHM_V6]
    lines = [
        SECTION,
        "",
        command,
        "",
        "The main bench's 2,100 test negatives decide v7 against logic-v2 by a handful of alerts. "
        "This sample takes fresh rows of the two synthetic negative files: none was sampled by "
        "the bench or read by any tuning run (`tuned_names` in the script lists what is left "
        "out). The US Congress file has no such rows left, so it is not in this sample. "
        f"Thresholds are fixed: {ALGORITHM_V7} and {ALGORITHM_V6} at their library defaults "
        f"{ours_t} and {v6_t}, {LOGIC} at {PEER_THRESHOLD}. All score the same candidates as in "
        "the main bench. The paired counts and the sign test compare v7 with logic-v2.",
        "",
        f"| negatives | {ALGORITHM_V7} at {ours_t} | {ALGORITHM_V6} at {v6_t} "
        f"| {LOGIC} at {PEER_THRESHOLD} | only v7 alerts | only logic-v2 alerts | sign test p |",
        "|---|---|---|---|---|---|---|",
    ]
    strata = [*sorted({r[0] for r in rows}), *sorted({r[1] for r in rows}), "all"]
    for stratum in strata:
        picked = [r for r in rows if stratum in ("all", r[0], r[1])]
        ours = [r[2] >= ours_t for r in picked]
        v6 = sum(r[3] >= v6_t for r in picked)
        logic = [r[4] >= PEER_THRESHOLD for r in picked]
        only_ours = sum(o and not lg for o, lg in zip(ours, logic, strict=True))
        only_logic = sum(lg and not o for o, lg in zip(ours, logic, strict=True))
        label = {"all": "all", "neg_global": "negatives_global", "neg_us": "negatives_us"}
        lines.append(
            f"| {label.get(stratum, stratum)} | {rate(sum(ours), len(picked))} | "
            f"{rate(v6, len(picked))} | {rate(sum(logic), len(picked))} | {only_ours} | {only_logic} | "
            f"{sign_test(only_ours, only_logic):.3f} |"
        )
    text = "\n".join(lines) + "\n"
    publish(text, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
