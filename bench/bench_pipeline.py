"""End-to-end throughput of `threatwatch ingest`: read, extract, store, resolve.

Runs the main job on MUC-4 news texts (never copied into the repo: read from
THREATWATCH_SHARED) with 1 and then 2 worker processes, each into a fresh SQLite database, and
reports documents/s, words/s, the 1 -> 2 worker speed-up and the peak memory of the process
tree. Prints a Markdown section and writes it into BENCHMARKS.md.

    .venv/bin/python bench/bench_pipeline.py [--docs 1000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sections import publish

from threatwatch.eval.muc4 import corpora_dir, iter_messages
from threatwatch.pipeline import ExtractOptions, run_ingest
from threatwatch.store import Store

REPO = Path(__file__).resolve().parent.parent
SECTION = "## Pipeline throughput (ingest + extract + store, {variant})"
"""One section per pipeline variant, so both are kept side by side."""


def shared_dir() -> Path:
    return Path(os.environ.get("THREATWATCH_SHARED", REPO.parent / "shared"))


def write_corpus(folder: Path, limit: int) -> tuple[int, int]:
    """Write up to `limit` MUC-4 message bodies as .txt files; return (documents, words)."""
    count = words = 0
    for path in sorted(corpora_dir(shared_dir() / "data" / "muc4").glob("*/*-muc*")):
        for message in iter_messages(path):
            if count >= limit:
                return count, words
            (folder / f"{count:05d}.txt").write_text(message.text, encoding="utf-8")
            count += 1
            words += len(message.text.split())
    return count, words


class TreeMemory:
    """Samples the summed resident memory of this process and its children every 50 ms."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            total = 0
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    status = Path(f"/proc/{entry}/status").read_text()
                except OSError:
                    continue
                ppid = int(re.search(r"PPid:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
                if int(entry) == me or ppid == me:
                    match = re.search(r"VmRSS:\s+(\d+)", status)
                    total += int(match.group(1)) if match else 0
            self.peak_kb = max(self.peak_kb, total)


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(corpus: Path, workers: int, documents: int, words: int, learned: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        with Store(url) as store, TreeMemory() as memory:
            start, cpu_start = time.perf_counter(), cpu_seconds()
            summary = run_ingest(
                [str(corpus)],
                store,
                options=ExtractOptions(workers=workers, learned=learned),
                seen_at=datetime.now(UTC),
            )
            seconds = time.perf_counter() - start
            cpu = cpu_seconds() - cpu_start
        # Some MUC-4 messages repeat word for word: the same content is one document.
        assert summary.documents_stored + summary.documents_known == documents, summary.errors[:3]
        return {
            "workers": workers,
            "seconds": seconds,
            "docs_per_s": documents / seconds,
            "words_per_s": words / seconds,
            "peak_mb": memory.peak_kb / 1024,
            "cpu_per_doc": cpu / documents,
            "load": os.getloadavg()[0],
            "incidents": summary.incidents,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-write", action="store_true", help="Print only; leave BENCHMARKS.md.")
    parser.add_argument("--rules-only", action="store_true", help="Without the learned model.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        documents, words = write_corpus(corpus, args.docs)
        rows = [run(corpus, w, documents, words, not args.rules_only) for w in args.workers]
    base = rows[0]["docs_per_s"]
    section = SECTION.format(variant="rules only" if args.rules_only else "rules + learned model")
    lines = [
        section,
        "",
        f"{documents} MUC-4 texts ({words:,} words, about {words // documents} words each), "
        "into a fresh SQLite database per run; resolution included. Pipeline: "
        + ("rules only (`--rules-only`)." if args.rules_only else "rules + learned model."),
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{datetime.now(UTC):%Y-%m-%d}. Command: `.venv/bin/python bench/bench_pipeline.py "
        f"--docs {args.docs}`.",
        "",
        "| workers | seconds | documents/s | words/s | speed-up | peak memory (process tree) "
        "| CPU s per document | documents per CPU-second | load average after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['workers']} | {row['seconds']:.1f} | {row['docs_per_s']:.1f} | "
            f"{row['words_per_s']:,.0f} | {row['docs_per_s'] / base:.2f}x | {row['peak_mb']:,.0f} MB "
            f"| {row['cpu_per_doc']:.3f} | {1 / row['cpu_per_doc']:.1f} | {row['load']:.1f} |"
        )
    lines += [
        "",
        "Wall-clock rates depend on what else the machine runs (the load average column); CPU "
        "seconds per document do much less. On an otherwise idle machine, N workers approach "
        "N times the documents per CPU-second, less the main process's share (store, resolution).",
    ]
    text = "\n".join(lines) + "\n"
    publish(text, write=not args.no_write)


if __name__ == "__main__":
    main()
