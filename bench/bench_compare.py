"""End-to-end throughput of this working tree against an earlier revision, in the same run.

Absolute times on a shared machine drift by tens of percent from hour to hour, so a speed claim
needs its baseline measured beside it. This checks REV out into a temporary git worktree and
runs `bench/bench_pipeline.py` alternately there and here (same venv, same documents, same
worker count), several rounds, then reports each run and the median ratio. Writes its section
into BENCHMARKS.md unless --no-write.

    .venv/bin/python bench/bench_compare.py --base REV [--docs 500] [--workers 2] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sections import publish

REPO = Path(__file__).resolve().parent.parent
SECTION = "## Pipeline throughput against an earlier revision (same run)"
_ROW = re.compile(
    r"^\| (\d+) \| ([\d.]+) \| ([\d.]+) \| [\d,]+ \| [\d.]+x \| [\d,]+ MB \| ([\d.]+) \|"
)


def run_bench(tree: Path, docs: int, workers: int) -> dict[str, float]:
    """Run bench_pipeline.py in `tree` and return its documents/s and CPU seconds per document."""
    shared = os.environ.get("THREATWATCH_SHARED", str(REPO.parent / "shared"))
    env = {**os.environ, "PYTHONPATH": str(tree), "THREATWATCH_SHARED": str(Path(shared).resolve())}
    command = [sys.executable, "bench/bench_pipeline.py", "--docs", str(docs), "--no-write"]
    result = subprocess.run(
        [*command, "--workers", str(workers)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        match = _ROW.match(line)
        if match and int(match.group(1)) == workers:
            return {
                "docs_per_s": float(match.group(3)),
                "cpu_per_doc": float(match.group(4)),
                "load": os.getloadavg()[0],
            }
    raise SystemExit(f"bench_pipeline.py in {tree} gave no result:\n{result.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="Git revision to compare against.")
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave BENCHMARKS.md.")
    args = parser.parse_args()
    base_rev = subprocess.run(
        ["git", "rev-parse", "--short", args.base],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    runs: list[tuple[int, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base_tree = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base_tree), base_rev],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        try:
            for round_number in range(1, args.rounds + 1):
                for name, tree in ((f"{base_rev} (base)", base_tree), ("this tree", REPO)):
                    row = run_bench(tree, args.docs, args.workers)
                    runs.append((round_number, name, row))
                    print(round_number, name, row, flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base_tree)],
                cwd=REPO,
                capture_output=True,
                check=False,
            )
    base_rates = [row["docs_per_s"] for _, name, row in runs if name.endswith("(base)")]
    new_rates = [row["docs_per_s"] for _, name, row in runs if name == "this tree"]
    ratios = [new / old for old, new in zip(base_rates, new_rates, strict=True)]
    lines = [
        SECTION,
        "",
        f"Command: `.venv/bin/python bench/bench_compare.py --base {args.base} --docs {args.docs} "
        f"--workers {args.workers} --rounds {args.rounds}` ({datetime.now(UTC):%Y-%m-%d}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}). "
        "Each run is `bench/bench_pipeline.py` (ingest + extract + store + resolve of MUC-4 "
        "texts, default pipeline), alternating between the base revision and this tree.",
        "",
        "| round | code | documents/s | CPU s per document | load average after |",
        "| --- | --- | --- | --- | --- |",
    ]
    for round_number, name, row in runs:
        lines.append(
            f"| {round_number} | {name} | {row['docs_per_s']:.1f} | {row['cpu_per_doc']:.3f} "
            f"| {row['load']:.1f} |"
        )
    lines += [
        "",
        f"Median speed-up of this tree over {base_rev}: **{statistics.median(ratios):.2f}x** "
        f"(per round: {', '.join(f'{r:.2f}x' for r in ratios)}).",
    ]
    text = "\n".join(lines) + "\n"
    publish(text, write=not args.no_write)


if __name__ == "__main__":
    main()
