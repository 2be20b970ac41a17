"""Where the learned MUC-4 model loses points: its templates against oracle template structures.

Runs the committed learned model alone on a split (GTT preprocessed texts, default dev) and
scores, with the GTT template metric, four ways of turning its predictions into templates:

- one template per relevant document: the most probable type, every filler (`grouped=False`);
- v1's grouping: one template per type cued beside fillers (`split_from=None`);
- the default grouping (`learned.group_templates`): v1's, with a type cued beside fillers in
  `SPLIT_FROM` sentences or more split in two; and the same split from other sentence counts;
- oracle type set: for each document the model finds relevant and the gold keys too, one
  template per incident type of the gold templates, each holding every filler the model found;
- oracle templates: the same, with one template per gold template and its type.

Relevance stays the model's own: a document it finds relevant and the keys do not keeps its
one template.

The oracles read the gold keys, so they are bounds, not systems. Writes its section into
BENCHMARKS.md unless --no-write.

    .venv/bin/python bench/bench_muc4_oracle.py [--split dev]
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sections import publish

from threatwatch.eval.gtt import score_gtt
from threatwatch.eval.templates import ROLES, Template, load_gtt_gold, to_muc_docid
from threatwatch.extract.learned import SPLIT_FROM, DocPrediction, LearnedModel, to_templates
from threatwatch.extract.training import load_gtt_split

REPO = Path(__file__).resolve().parent.parent
SECTION = "## MUC-4 learned model against oracle template structures"

Convert = Callable[[DocPrediction, Sequence[Template]], list[Template]]


def as_template(raw: dict[str, Any], kind: str | None = None) -> Template:
    roles = {role: tuple(tuple(entity) for entity in raw[role]) for role in ROLES}
    return Template(incident_type=kind or raw["incident_type"], roles=roles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--no-write", action="store_true", help="Print only; leave BENCHMARKS.md.")
    args = parser.parse_args()
    shared = Path(os.environ.get("THREATWATCH_SHARED", REPO.parent / "shared"))
    processed = shared / "data" / "muc4" / "gtt" / "processed" / f"{args.split}.json"
    docs = load_gtt_split(processed)
    gold = load_gtt_gold(processed)
    model = LearnedModel.load()
    predictions = model.predict([doc.text for doc in docs])

    def single(prediction: DocPrediction, _: Sequence[Template]) -> list[Template]:
        raws = to_templates(prediction, threshold=model.threshold, grouped=False)
        return [as_template(raw) for raw in raws]

    def grouped(prediction: DocPrediction, _: Sequence[Template]) -> list[Template]:
        return [as_template(raw) for raw in model.to_templates(prediction)]

    def split_from(count: int | None) -> Convert:
        def convert(prediction: DocPrediction, _: Sequence[Template]) -> list[Template]:
            raws = to_templates(prediction, threshold=model.threshold, split_from=count)
            return [as_template(raw) for raw in raws]

        return convert

    def type_set(prediction: DocPrediction, golds: Sequence[Template]) -> list[Template]:
        base = single(prediction, golds)
        if not base or not golds:  # relevance stays the model's own
            return base
        kinds = sorted({g.incident_type.split(" / ")[0] for g in golds})
        return [Template(incident_type=k, roles=base[0].roles) for k in kinds]

    def per_gold(prediction: DocPrediction, golds: Sequence[Template]) -> list[Template]:
        base = single(prediction, golds)
        if not base or not golds:  # relevance stays the model's own
            return base
        return [
            Template(incident_type=g.incident_type.split(" / ")[0], roles=base[0].roles)
            for g in golds
        ]

    rows: list[tuple[str, float, float, float]] = []
    conversions: list[tuple[str, Convert]] = [
        ("one template per document (`grouped=False`)", single),
        ("v1: one per type cued beside fillers (`split_from=None`)", split_from(None)),
        (f"default: the same, split from {SPLIT_FROM} cued sentences (`group_templates`)", grouped),
        *(
            (f"the same, split from {count} cued sentences", split_from(count))
            for count in (2, 4, 5, 6)
        ),
        ("oracle: one per gold incident type, every filler", type_set),
        ("oracle: one per gold template, every filler", per_gold),
    ]
    for name, convert in conversions:
        predicted: dict[str, list[Template]] = {}
        golds: dict[str, list[Template]] = {}
        for doc, prediction in zip(docs, predictions, strict=True):
            docid = to_muc_docid(doc.docid)
            golds[docid] = list(gold.get(docid, []))
            predicted[docid] = convert(prediction, golds[docid])
        micro = score_gtt(predicted, golds).micro
        rows.append((name, 100 * micro.precision, 100 * micro.recall, 100 * micro.f1))
        print(name, f"{rows[-1][3]:.2f}", flush=True)
    lines = [
        SECTION,
        "",
        f"Command: `.venv/bin/python bench/bench_muc4_oracle.py --split {args.split}` "
        f"({datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, Python "
        f"{platform.python_version()}). The committed learned model alone on the GTT "
        f"preprocessed {args.split} texts; GTT template micro P / R / F1. The oracles read the "
        "gold keys: they bound what template structure alone could gain with these fillers.",
        "",
        "| templates from the model's predictions | P | R | F1 |",
        "| --- | --- | --- | --- |",
        *(f"| {name} | {p:.2f} | {r:.2f} | {f:.2f} |" for name, p, r, f in rows),
    ]
    text = "\n".join(lines) + "\n"
    publish(text, write=not args.no_write)


if __name__ == "__main__":
    main()
