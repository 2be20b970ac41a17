"""GRIT's CEAF-REE: one merged set of role fillers per document, one-to-one entity alignment.

Reimplements the entity-level metric of Du, Rush & Cardie (EACL 2021), README 4.2: a predicted
entity aligns with a gold entity when all its mentions are among the gold entity's mentions
(phi_strict); each gold entity aligns with at most one prediction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from threatwatch.eval.gtt import is_entity_match
from threatwatch.eval.scores import Counts, add_keyed, sum_counts
from threatwatch.eval.templates import ROLES, Entity, normalize_mention

RoleFillers = Mapping[str, Sequence[Entity]]
"""The entities of each role of one document."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CeafResult:
    """Corpus totals per role, their micro average, and each document's counts."""

    keys: Mapping[str, Counts]
    documents: Mapping[str, Mapping[str, Counts]]

    @property
    def micro(self) -> Counts:
        """Return the counts pooled over the five roles."""
        return sum_counts(self.keys[r] for r in ROLES)


def count_alignment(preds: Sequence[Entity], golds: Sequence[Entity]) -> int:
    """Return the size of a maximum one-to-one alignment of predicted to gold entities.

    With 0/1 similarities, Kuhn-Munkres reduces to maximum bipartite matching, found here with
    augmenting paths.
    """
    edges = [[g for g, gold in enumerate(golds) if is_entity_match(p, gold)] for p in preds]
    owner: list[int | None] = [None] * len(golds)

    def augment(p: int, seen: list[bool]) -> bool:
        for g in edges[p]:
            if seen[g]:
                continue
            seen[g] = True
            holder = owner[g]
            if holder is None or augment(holder, seen):
                owner[g] = p
                return True
        return False

    return sum(1 for p in range(len(preds)) if augment(p, [False] * len(golds)))


def _normalize(fillers: RoleFillers) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = {}
    for role in ROLES:
        out[role] = [tuple(normalize_mention(m) for m in e) for e in fillers.get(role, ()) if e]
    return out


def score_ceaf_ree(
    predictions: Mapping[str, RoleFillers], golds: Mapping[str, RoleFillers]
) -> CeafResult:
    """Score per-document role fillers against gold over the gold documents.

    A gold document missing from `predictions` counts as predicting nothing.
    """
    totals: dict[str, Counts] = {role: Counts() for role in ROLES}
    documents: dict[str, dict[str, Counts]] = {}
    for docid, gold in golds.items():
        g_roles = _normalize(gold)
        p_roles = _normalize(predictions.get(docid, {}))
        doc: dict[str, Counts] = {}
        for role in ROLES:
            sim = count_alignment(p_roles[role], g_roles[role])
            doc[role] = Counts(
                p_num=sim, p_den=len(p_roles[role]), r_num=sim, r_den=len(g_roles[role])
            )
        documents[docid] = doc
        totals = add_keyed(totals, doc)
    return CeafResult(keys=totals, documents=documents)
