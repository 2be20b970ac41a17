"""Extraction quality on benchmarks: MUC-4 scorers (GTT, CEAF-REE, extended slots) and reports."""

from threatwatch.eval.ceaf import CeafResult, score_ceaf_ree
from threatwatch.eval.gtt import GttResult, score_gtt
from threatwatch.eval.scores import Counts
from threatwatch.eval.templates import ROLES, Template, normalize_mention

__all__ = [
    "ROLES",
    "CeafResult",
    "Counts",
    "GttResult",
    "Template",
    "normalize_mention",
    "score_ceaf_ree",
    "score_gtt",
]
