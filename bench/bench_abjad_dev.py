"""Dev only: how v4 and v5 trade native-script recall for alerts on Arabic-script names.

v4's excess of alerts over logic-v2 is in names written in Arabic script (`bench_alerts.py`).
This script scores the dev queries of the main bench plus the 9,000 extra dev negatives that
v4 and v5 were tuned on (`bench_alerts.tuned_names` lists them; 11,100 dev negatives in all)
and prints two tables:

1. v4 at its default threshold with a higher bar δ for Arabic-script queries only;
2. v5's vowel check across scripts at several weights λ (`AlignParams.vowel_slots`; v4 is
   λ = 0) and thresholds: dev Taliban Pashto/Dari recall, dev recall over all Arabic-script
   native queries, dev held-out alias recall@1 and the dev alerts.

With --peers it also runs logic-v2 over the 11,100 dev negatives (about 8 minutes on 2 cores)
and prints its alert count, the budget that v5's threshold is chosen against
(docs/screening.md, "Threshold"). It never reads test. Prints only.

    .venv/bin/python bench/bench_abjad_dev.py [--peers]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
from dataclasses import replace

import bench_alerts
from bench_screen import (
    EVAL,
    LISTS,
    LOGIC,
    PEER_THRESHOLD,
    SEED,
    Baseline,
    Query,
    build_alias_queries,
    build_native_queries,
    build_negative_queries,
    load_index,
    rank_v2,
    read_names,
    recall,
)

from threatwatch.normalize import detect_scripts
from threatwatch.screen.index import ScreeningIndex
from threatwatch.screen.match import ALGORITHM_V4, THRESHOLDS, V4_ALIGN

STEPS = (0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08)
WEIGHTS = (0.0, 0.5, 0.75, 1.0, 1.5)
CUTS = (0.795, 0.8, 0.805, 0.81, 0.815)
ALIASES = ("a_variant", "b_different", "c_low_quality")


def dev_queries(index: ScreeningIndex) -> list[Query]:
    """The dev queries of the main bench, plus the 9,000 extra dev negatives of v4's tuning."""
    rng = random.Random(SEED)
    aliases = build_alias_queries(index, rng, 800)
    native = build_native_queries(index)
    negatives = build_negative_queries(rng, 1200)
    used = {q.name for q in negatives}
    extra = []
    for file, size in (("negatives_global.csv", 6000), ("negatives_us.csv", 3000)):
        names = read_names(EVAL / "candidate_generation" / file, 60000, random.Random(99))
        fresh = [x for x in names if x not in used][:size]
        extra += [Query(name=x, target=None, stratum="neg_extra", split="dev") for x in fresh]
    return [q for q in aliases + native + negatives + extra if q.split == "dev"]


def _is_arabic_native(query: Query) -> bool:
    return query.stratum.startswith("native") and "arabic" in detect_scripts(query.name)


def _row(
    queries: list[Query], tops: list[dict[int, float]], threshold: float, arabic: list[bool]
) -> str:
    """Recall and alert cells of one setting, as a table row's tail."""
    taliban = recall(queries, tops, threshold, lambda q: "taliban" in q.tags)
    native = recall(queries, tops, threshold, _is_arabic_native)
    aliases = recall(queries, tops, threshold, lambda q: q.stratum in ALIASES)
    alerted = [
        k
        for k, q in enumerate(queries)
        if q.target is None and max(tops[k].values(), default=0.0) >= threshold
    ]
    return (
        f"{taliban[0] / taliban[1]:.3f} ({taliban[0]} of {taliban[1]}) "
        f"| {native[0] / native[1]:.3f} | {aliases[0] / aliases[1]:.3f} "
        f"| {sum(arabic[k] for k in alerted)} | {len(alerted)} |"
    )


def logic_alerts(index: ScreeningIndex, index_v4: ScreeningIndex, negatives: list[Query]) -> int:
    """logic-v2's alerts at its 0.7 over the dev negatives, on the main bench's candidates."""
    bench_alerts._STATE.update(
        index=index, index_folded=index_v4, index_v6=index_v4, baseline=Baseline(index)
    )
    chunks = [negatives[k : k + 200] for k in range(0, len(negatives), 200)]
    rows: list[bench_alerts.Row] = []
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for done in pool.imap(bench_alerts._score, chunks):
            rows += done
    return sum(row[4] >= PEER_THRESHOLD for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", action="store_true", help="also count logic-v2's dev alerts")
    args = parser.parse_args()
    index, _, _ = load_index()
    LISTS.extend(e.list for e in index.entries)
    index_v4 = ScreeningIndex(index.entries, legal_forms=True)
    index_v4.compiled()
    queries = dev_queries(index)
    arabic = ["arabic" in detect_scripts(q.name) for q in queries]
    negatives = [k for k, q in enumerate(queries) if q.target is None]
    head = (
        "| dev Taliban Pashto/Dari recall | dev Arabic-script native recall "
        "| dev alias recall@1 | dev alerts, Arabic script | dev alerts, all |"
    )
    print(f"{len(queries)} dev queries, {len(negatives)} negatives "
          f"({sum(arabic[k] for k in negatives)} in Arabic script)")  # fmt: skip

    threshold = THRESHOLDS[ALGORITHM_V4]
    tops = [rank_v2(index_v4, q, V4_ALIGN, legal_forms=True)[0] for q in queries]
    print(f"\n1. v4 at {threshold}, a bar higher by δ for Arabic-script queries\n")
    print(f"| δ {head}\n|---|---|---|---|---|---|")
    for step in STEPS:
        shifted = [
            {entry: value - (step if arabic[k] else 0.0) for entry, value in scores.items()}
            for k, scores in enumerate(tops)
        ]
        print(f"| {step:.2f} | {_row(queries, shifted, threshold, arabic)}")

    print("\n2. the vowel check across scripts at weight λ (v4: λ = 0; v5: λ = 1)\n")
    print(f"| λ | threshold {head}\n|---|---|---|---|---|---|---|")
    for weight in WEIGHTS:
        params = replace(V4_ALIGN, vowel_slots=weight)
        tops = [rank_v2(index_v4, q, params, legal_forms=True)[0] for q in queries]
        for cut in CUTS:
            print(f"| {weight} | {cut} | {_row(queries, tops, cut, arabic)}")

    if args.peers:
        count = logic_alerts(index, index_v4, [queries[k] for k in negatives])
        print(
            f"\n{LOGIC} at {PEER_THRESHOLD}: {count} alerts over the {len(negatives)} dev negatives"
        )


if __name__ == "__main__":
    main()
