"""Score reports: per-key and micro P/R/F1 beside the published results, as a table or JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from threatwatch.eval.scores import Counts

PUBLISHED: Mapping[str, tuple[tuple[str, float], ...]] = {
    "gtt": (
        ("GTT (BERT-base)", 50.23),
        ("IterX (BERT-base)", 51.67),
        ("IterX (T5-large)", 53.01),
    ),
    "ceaf-ree": (("GRIT", 54.50),),
}
"""Published MUC-4 test-set micro F1 per metric (README 5.1); no system reports the extended slots."""

TITLES: Mapping[str, str] = {
    "gtt": "GTT template metric (incident type + 5 roles, micro over 6 keys)",
    "ceaf-ree": "CEAF-REE (GRIT, one merged template per document)",
    "extended": "Extended slots (raw MUC-4 keys)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricReport:
    """One metric's totals: per key, and pooled."""

    name: str
    keys: Mapping[str, Counts]
    micro: Counts

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form: `micro`, `roles` (per key) and `published` rows."""
        return {
            "micro": self.micro.to_dict(),
            "roles": {key: counts.to_dict() for key, counts in self.keys.items()},
            "published": [{"system": s, "f1": f1} for s, f1 in PUBLISHED.get(self.name, ())],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """All metrics computed on one split (or predictions file)."""

    split: str
    documents: int
    metrics: tuple[MetricReport, ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form; top-level `micro` and `roles` belong to the first metric."""
        first = self.metrics[0].to_dict() if self.metrics else {}
        return {
            "split": self.split,
            "documents": self.documents,
            "metric": self.metrics[0].name if self.metrics else None,
            "micro": first.get("micro"),
            "roles": first.get("roles"),
            "metrics": {m.name: m.to_dict() for m in self.metrics},
            "notes": list(self.notes),
        }


def _row(label: str, counts: Counts) -> str:
    return (
        f"  {label:<46} {100 * counts.precision:6.2f} {100 * counts.recall:6.2f}"
        f" {100 * counts.f1:6.2f}   {counts.p_num}/{counts.p_den} {counts.r_num}/{counts.r_den}"
    )


def render_table(report: Report) -> str:
    """Return the report as plain-text tables, one per metric, published rows beneath."""
    lines = [f"MUC-4 {report.split}: {report.documents} documents"]
    for metric in report.metrics:
        lines.append("")
        lines.append(TITLES.get(metric.name, metric.name))
        lines.append(f"  {'key':<46} {'P':>6} {'R':>6} {'F1':>6}   p_num/p_den r_num/r_den")
        lines.extend(_row(key, counts) for key, counts in metric.keys.items())
        lines.append(_row("micro", metric.micro))
        for system, f1 in PUBLISHED.get(metric.name, ()):
            lines.append(f"  {'published on test: ' + system:<46} {'':>6} {'':>6} {f1:6.2f}")
    lines.extend(f"note: {note}" for note in report.notes)
    return "\n".join(lines)


def make_metric_report(name: str, keys: Mapping[str, Counts], order: Sequence[str]) -> MetricReport:
    """Return a metric report whose micro pools the keys named in `order`."""
    ordered = {key: keys.get(key, Counts()) for key in order}
    micro = Counts()
    for counts in ordered.values():
        micro = micro + counts
    return MetricReport(name=name, keys=ordered, micro=micro)
