"""The GTT template metric: best partial injective template mapping per document (README 4.3).

Reimplements the scoring rules of Du, Rush & Cardie (NAACL 2021), as reported by TempGen, IterX
and MultiMUC: incident type plus five roles, micro average over the six keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from threatwatch.eval.scores import Counts, add_keyed, f1_score, sum_counts
from threatwatch.eval.templates import ROLES, Entity, Template
from threatwatch.logs import get_logger

log = get_logger(__name__)

KEYS: tuple[str, ...] = ("incident_type", *ROLES)
"""The six scored keys, in report order."""

# Leaves visited per document before the search settles for the best mapping found so far.
# Branch and bound keeps real documents far below this; it only guards against pathological input.
MAX_LEAVES = 2_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentScore:
    """The chosen mapping of one document and its counts per key."""

    mapping: tuple[int | None, ...]
    """For each predicted template, the gold template index it maps to (None: unmapped)."""
    matched: tuple[bool, ...]
    """For each predicted template, whether its mapping counts (the types are compatible)."""
    counts: Mapping[str, Counts]
    exact: bool = True
    """False when the search hit MAX_LEAVES and kept the best mapping seen."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GttResult:
    """Corpus totals per key, their micro average, and each document's mapping."""

    keys: Mapping[str, Counts]
    documents: Mapping[str, DocumentScore]

    @property
    def micro(self) -> Counts:
        """Return the counts pooled over the six keys (incident type included, as GTT reports)."""
        return sum_counts(self.keys[k] for k in KEYS)


def is_type_compatible(predicted: str, gold: str) -> bool:
    """Return whether a predicted type may map to a gold type (substring, as in GTT's scorer).

    `attack` maps to `attack / bombing`; `attack / bombing` maps only to itself.
    """
    return predicted in gold


def is_entity_match(predicted: Entity, gold: Entity) -> bool:
    """Return whether every mention of the predicted entity is a mention of the gold entity."""
    return all(mention in gold for mention in predicted)


def _pair_counts(pred: Template, gold: Template) -> dict[str, Counts]:
    """Return the numerators a matched pair earns, per key (denominators are counted apart)."""
    counts = {"incident_type": Counts(p_num=1, r_num=1)}
    for role in ROLES:
        p_ents, g_ents = pred.entities(role), gold.entities(role)
        p_num = sum(1 for p in p_ents if any(is_entity_match(p, g) for g in g_ents))
        r_num = sum(1 for g in g_ents if any(is_entity_match(p, g) for p in p_ents))
        counts[role] = Counts(p_num=p_num, r_num=r_num)
    return counts


def _denominators(preds: Sequence[Template], golds: Sequence[Template]) -> dict[str, Counts]:
    """Return p_den and r_den per key; they do not depend on the mapping."""
    dens = {"incident_type": Counts(p_den=len(preds), r_den=len(golds))}
    for role in ROLES:
        dens[role] = Counts(
            p_den=sum(len(t.entities(role)) for t in preds),
            r_den=sum(len(t.entities(role)) for t in golds),
        )
    return dens


def score_document(preds: Sequence[Template], golds: Sequence[Template]) -> DocumentScore:
    """Return the best mapping of normalised predicted templates to normalised gold templates.

    Mappings are visited in the order of GTT's enumeration (gold indices first, "nothing" last,
    first predicted template most significant) and the first with the highest micro F1 wins.
    Branch and bound skips subtrees that cannot beat the best F1, so the result is the same as
    the full enumeration.
    """
    n_pred, n_gold = len(preds), len(golds)
    dens = _denominators(preds, golds)
    p_den = sum(c.p_den for c in dens.values())
    r_den = sum(c.r_den for c in dens.values())
    pairs: list[list[dict[str, Counts] | None]] = [
        [
            _pair_counts(p, g) if is_type_compatible(p.incident_type, g.incident_type) else None
            for g in golds
        ]
        for p in preds
    ]
    pair_pn = [[sum(c.p_num for c in pc.values()) if pc else 0 for pc in row] for row in pairs]
    pair_rn = [[sum(c.r_num for c in pc.values()) if pc else 0 for pc in row] for row in pairs]
    # Upper bounds of what predicted templates i.. can still add.
    bound_pn = [0] * (n_pred + 1)
    bound_rn = [0] * (n_pred + 1)
    for i in range(n_pred - 1, -1, -1):
        bound_pn[i] = bound_pn[i + 1] + max(pair_pn[i], default=0)
        bound_rn[i] = bound_rn[i + 1] + max(pair_rn[i], default=0)

    def micro_f1(pn: int, rn: int) -> float:
        return f1_score(pn / p_den if p_den else 0.0, rn / r_den if r_den else 0.0)

    best: list[int | None] | None = None
    best_f1 = -1.0
    leaves = 0
    current: list[int | None] = []
    used = [False] * n_gold

    def visit(i: int, pn: int, rn: int) -> None:
        nonlocal best, best_f1, leaves
        if leaves >= MAX_LEAVES:
            return
        if best is not None and micro_f1(pn + bound_pn[i], rn + bound_rn[i]) < best_f1 - 1e-9:
            return
        if i == n_pred:
            leaves += 1
            f1 = micro_f1(pn, rn)
            if best is None or f1 > best_f1:
                best, best_f1 = list(current), f1
            return
        for g in [*range(n_gold), None]:
            if g is not None and used[g]:
                continue
            current.append(g)
            if g is not None:
                used[g] = True
                visit(i + 1, pn + pair_pn[i][g], rn + pair_rn[i][g])
                used[g] = False
            else:
                visit(i + 1, pn, rn)
            current.pop()

    visit(0, 0, 0)
    assert best is not None  # the all-unmapped mapping is always reachable
    exact = leaves < MAX_LEAVES
    if not exact:
        log.warning("GTT mapping search stopped after %d mappings; kept the best seen", leaves)
    counts: dict[str, Counts] = dict(dens)
    matched: list[bool] = []
    for i, g in enumerate(best):
        pair = pairs[i][g] if g is not None else None
        matched.append(pair is not None)
        if pair is not None:
            counts = add_keyed(counts, pair)
    return DocumentScore(mapping=tuple(best), matched=tuple(matched), counts=counts, exact=exact)


def score_gtt(
    predictions: Mapping[str, Sequence[Template]], golds: Mapping[str, Sequence[Template]]
) -> GttResult:
    """Score predicted templates against gold templates over the gold documents.

    A gold document missing from `predictions` counts as predicting nothing; predictions for
    documents without gold are ignored, as in GTT's scorer.
    """
    totals: dict[str, Counts] = {key: Counts() for key in KEYS}
    documents: dict[str, DocumentScore] = {}
    for docid, gold in golds.items():
        preds = [t.normalized() for t in predictions.get(docid, ())]
        doc = score_document(preds, [t.normalized() for t in gold])
        documents[docid] = doc
        totals = add_keyed(totals, doc.counts)
    return GttResult(keys=totals, documents=documents)
