"""Evaluate an extraction function on a MUC-4 split: run it on the raw texts, map, score."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from threatwatch.eval.ceaf import score_ceaf_ree
from threatwatch.eval.extended import SLOTS, score_extended
from threatwatch.eval.gtt import KEYS, is_entity_match, score_document, score_gtt
from threatwatch.eval.mapping import to_templates
from threatwatch.eval.muc4 import KeyTemplate, RawMessage, load_split
from threatwatch.eval.report import MetricReport, Report, make_metric_report
from threatwatch.eval.templates import (
    ROLES,
    Entity,
    Template,
    load_grit_gold,
    load_gtt_gold,
    merge_roles,
)
from threatwatch.model import Document, Extraction, Incident

ExtractFn = Callable[[Sequence[Document]], Iterable[Extraction]]
"""Runs extraction on documents (threatwatch.pipeline.extract_documents in production)."""

METRIC_NAMES: tuple[str, ...] = ("gtt", "ceaf-ree", "extended")


@dataclass(frozen=True, slots=True, kw_only=True)
class SplitGold:
    """Everything scored against on one split: GTT templates, GRIT fillers, raw key templates."""

    gtt: Mapping[str, Sequence[Template]]
    grit: Mapping[str, Mapping[str, Sequence[Entity]]]
    keys: Mapping[str, Sequence[KeyTemplate]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """A report and the per-document error analysis behind it."""

    report: Report
    errors: tuple[dict[str, object], ...]


def load_split_gold(muc4: Path, split: str) -> tuple[list[RawMessage], SplitGold]:
    """Return the raw messages of a split and its gold in the three forms."""
    messages, keys = load_split(muc4, split)
    gold = SplitGold(
        gtt=load_gtt_gold(muc4 / "gtt" / "processed" / f"{split}.json"),
        grit=load_grit_gold(muc4 / "grit" / "processed" / f"{split}.json"),
        keys=keys,
    )
    return messages, gold


def run_extraction(
    messages: Sequence[RawMessage], extract_fn: ExtractFn
) -> dict[str, list[Incident]]:
    """Return the incidents extracted from each message, keyed by MUC docid.

    Only the message text and its dateline date reach `extract_fn`; the keys never do.
    """
    documents = [m.to_document() for m in messages]
    docid_of = {d.id: m.docid for d, m in zip(documents, messages, strict=True)}
    incidents: dict[str, list[Incident]] = {m.docid: [] for m in messages}
    for extraction in extract_fn(documents):
        fallback = [d.id for d in extraction.documents]
        for incident in extraction.incidents:
            for doc_id in incident.document_ids or fallback:
                if doc_id in docid_of:
                    incidents[docid_of[doc_id]].append(incident)
    return incidents


def _template_errors(preds: Sequence[Template], golds: Sequence[Template]) -> dict[str, object]:
    preds = [t.normalized() for t in preds]
    golds = [t.normalized() for t in golds]
    doc = score_document(preds, golds)
    pairs = []
    for i, pred in enumerate(preds):
        g = doc.mapping[i] if doc.matched[i] else None
        gold = golds[g] if g is not None else None
        entry: dict[str, object] = {"predicted": i, "gold": g, "type": pred.incident_type}
        for role in ROLES:
            g_ents = gold.entities(role) if gold else ()
            spurious = [
                list(p)
                for p in pred.entities(role)
                if not any(is_entity_match(p, x) for x in g_ents)
            ]
            missed = [
                list(x)
                for x in g_ents
                if not any(is_entity_match(p, x) for p in pred.entities(role))
            ]
            if spurious or missed:
                entry[role] = {"spurious": spurious, "missed": missed}
        pairs.append(entry)
    aligned = {doc.mapping[i] for i in range(len(preds)) if doc.matched[i]}
    return {
        "pairs": pairs,
        "missed_templates": [g.to_dict() for i, g in enumerate(golds) if i not in aligned],
        "counts": {k: c.to_dict() for k, c in doc.counts.items()},
    }


def evaluate_split(
    messages: Sequence[RawMessage],
    gold: SplitGold,
    extract_fn: ExtractFn,
    *,
    split: str,
    metrics: Sequence[str] = METRIC_NAMES,
) -> Evaluation:
    """Run `extract_fn` on the messages and score its incidents with the chosen metrics.

    Gold is restricted to the given messages, so a prefix of a split scores consistently.
    """
    docids = [m.docid for m in messages]
    incidents = run_extraction(messages, extract_fn)
    templates = {d: to_templates(incidents[d]) for d in docids}
    reports: list[MetricReport] = []
    per_doc: dict[str, dict[str, object]] = {
        d: {"docid": d, "incidents": [i.to_dict() for i in incidents[d]]} for d in docids
    }
    if "gtt" in metrics:
        gtt_gold = {d: gold.gtt.get(d, []) for d in docids}
        gtt = score_gtt(templates, gtt_gold)
        reports.append(make_metric_report("gtt", gtt.keys, KEYS))
        for d in docids:
            per_doc[d]["gtt"] = _template_errors(templates[d], gtt_gold[d])
    if "ceaf-ree" in metrics:
        grit_gold = {d: gold.grit.get(d, {}) for d in docids}
        ceaf = score_ceaf_ree({d: merge_roles(templates[d]) for d in docids}, grit_gold)
        reports.append(make_metric_report("ceaf-ree", ceaf.keys, ROLES))
        for d in docids:
            per_doc[d]["ceaf-ree"] = {r: c.to_dict() for r, c in ceaf.documents[d].items()}
    if "extended" in metrics:
        ext = score_extended(incidents, {d: gold.keys.get(d, []) for d in docids})
        reports.append(make_metric_report("extended", ext.keys, SLOTS))
        for d in docids:
            per_doc[d]["extended"] = {s: c.to_dict() for s, c in ext.documents[d].items()}
    report = Report(split=split, documents=len(docids), metrics=tuple(reports))
    return Evaluation(report=report, errors=tuple(per_doc[d] for d in docids))


def write_errors(evaluation: Evaluation, path: Path) -> None:
    """Write the per-document error analysis as JSON lines."""
    with path.open("w", encoding="utf-8") as out:
        for record in evaluation.errors:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
