"""Dev only: what a higher bar for Arabic-script queries would trade, native recall for alerts.

v4's excess of alerts over logic-v2 is in names written in Arabic script
(`bench_alerts.py`). This script scores the dev split once with v4 at its default threshold and
then raises the bar for Arabic-script queries only by each step δ. For each δ it prints dev
Taliban Pashto/Dari recall, dev recall over all Arabic-script native queries, and the alerts
over the 11,100 dev negatives: the bench's dev negatives plus the 9,000 extra rows that v4 was
tuned on (`bench_alerts.tuned_names` lists them). It never reads test. Prints only.

    .venv/bin/python bench/bench_abjad_dev.py
"""

from __future__ import annotations

import random

from bench_screen import (
    EVAL,
    LISTS,
    SEED,
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


def main() -> None:
    index, _, _ = load_index()
    LISTS.extend(e.list for e in index.entries)
    index_v4 = ScreeningIndex(index.entries, legal_forms=True)
    queries = dev_queries(index)
    tops = [rank_v2(index_v4, q, V4_ALIGN, legal_forms=True)[0] for q in queries]
    arabic = ["arabic" in detect_scripts(q.name) for q in queries]
    threshold = THRESHOLDS[ALGORITHM_V4]
    negatives = [k for k, q in enumerate(queries) if q.target is None]
    print(f"{len(queries)} dev queries, {len(negatives)} negatives "
          f"({sum(arabic[k] for k in negatives)} in Arabic script); v4 at {threshold}")  # fmt: skip
    print("| δ | dev Taliban Pashto/Dari recall | dev Arabic-script native recall "
          "| dev alerts, Arabic script | dev alerts, all |")  # fmt: skip
    print("|---|---|---|---|---|")
    for step in STEPS:
        shifted = [
            {entry: value - (step if arabic[k] else 0.0) for entry, value in scores.items()}
            for k, scores in enumerate(tops)
        ]
        taliban = recall(queries, shifted, threshold, lambda q: "taliban" in q.tags)
        native = recall(
            queries,
            shifted,
            threshold,
            lambda q: q.stratum.startswith("native") and "arabic" in detect_scripts(q.name),
        )
        alerted = [k for k in negatives if max(shifted[k].values(), default=0.0) >= threshold]
        print(
            f"| {step:.2f} | {taliban[0] / taliban[1]:.3f} ({taliban[0]} of {taliban[1]}) "
            f"| {native[0] / native[1]:.3f} | {sum(arabic[k] for k in alerted)} | {len(alerted)} |"
        )


if __name__ == "__main__":
    main()
