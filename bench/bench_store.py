"""Store benchmark: write throughput and read latency on synthetic, fictional extractions.

Run: .venv/bin/python bench/bench_store.py [N_DOCUMENTS] [DATABASE_URL]
Not collected by pytest (no test_ prefix); figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from threatwatch.model import (
    Actor,
    ActorKind,
    Attribution,
    AttributionStatus,
    CasualtyClaim,
    DatePrecision,
    DateValue,
    Document,
    Evidence,
    Extraction,
    Incident,
    IncidentType,
    Location,
    Relation,
    RelationKind,
    Stage,
)
from threatwatch.store import Store


def make_extraction(n: int) -> Extraction:
    """Return document `n` with two incidents and two actors, about 50 statements in all."""
    text = f"Report {n}. " + "Gunmen attacked a checkpoint near the river. " * 40
    doc = Document(text=text, source=f"report-{n}.txt", publisher="Fictional Wire")

    def ev(k: int) -> Evidence:
        return Evidence(
            document_id=doc.id,
            start=10 * k,
            end=10 * k + 8,
            sentence="Gunmen attacked a checkpoint near the river.",
            extractor="threatwatch.events.v1",
        )

    incidents = tuple(
        Incident(
            id=f"inc-{n}-{i}",
            type=IncidentType.ARMED_ASSAULT,
            stage=Stage.ACCOMPLISHED,
            date=DateValue(value=f"2023-{1 + n % 12:02d}-{1 + i}", precision=DatePrecision.DAY),
            location=Location(place="Riverside", country="AF", precision="place"),
            description="Gunmen attacked a checkpoint near the river.",
            targets=("checkpoint", "soldiers"),
            weapons=("rifles",),
            casualties=(
                CasualtyClaim(kind="killed", min=3, max=3, text="three", evidence=ev(1)),
                CasualtyClaim(
                    kind="wounded", min=5, max=None, text="at least five", evidence=ev(2)
                ),
            ),
            attributions=tuple(
                Attribution(
                    actor=f"Group {g}",
                    actor_id=f"actor-{g}",
                    status=AttributionStatus.SUSPECTED,
                    asserted_by="officials",
                    evidence=ev(3 + g),
                )
                for g in range(3)
            ),
            evidence=(ev(0), ev(7)),
            document_ids=(doc.id,),
        )
        for i in range(2)
    )
    actors = tuple(
        Actor(
            id=f"actor-{g}",
            name=f"Group {g}",
            kind=ActorKind.ARMED_GROUP,
            aliases=(f"G{g}", f"The Group {g}"),
            relations=(Relation(kind=RelationKind.RIVAL_OF, target="Group 9", evidence=ev(8)),),
            mentions=tuple(ev(k) for k in range(9, 12)),
        )
        for g in range(2)
    )
    return Extraction(documents=(doc,), incidents=incidents, actors=actors)


def main() -> None:
    """Write N documents one transaction each, then time the main reads."""
    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as scratch:
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{Path(scratch) / 'bench.db'}"
        extractions = [make_extraction(n) for n in range(n_docs)]
        with Store(url) as store:
            seen = datetime(2024, 3, 26, tzinfo=UTC)
            start = time.perf_counter()
            for extraction in extractions:
                store.write_extraction(extraction, seen_at=seen)
            write_s = time.perf_counter() - start
            counts = store.view().counts()
            start = time.perf_counter()
            store.write_extraction(extractions[0], seen_at=seen + timedelta(1))
            rewrite_s = time.perf_counter() - start
            view = store.view()
            timings: dict[str, float] = {}
            for name, call in {
                "iter_incidents()": lambda: view.iter_incidents(),
                "iter_incidents(actor=, country=)": lambda: view.iter_incidents(
                    actor="g1", country="Afghanistan"
                ),
                "iter_incidents(merged=False)": lambda: view.iter_incidents(merged=False),
                "iter_actors()": lambda: view.iter_actors(),
                "get_actor()": lambda: view.get_actor("The Group 1"),
                "counts()": lambda: view.counts(),
            }.items():
                start = time.perf_counter()
                call()
                timings[name] = time.perf_counter() - start
    stmts = counts["statements"]
    print(f"database: {url.split(':')[0]}; stored {counts}")
    print(
        f"write: {n_docs} documents in {write_s:.2f} s = {n_docs / write_s:.0f} documents/s, "
        f"{stmts / write_s:.0f} statements/s ({stmts / n_docs:.0f} statements per document)"
    )
    print(f"re-write of one known document: {rewrite_s * 1000:.1f} ms")
    for name, seconds in timings.items():
        print(f"{name}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
