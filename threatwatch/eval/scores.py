"""Precision, recall and F1 from counts, per key and pooled (micro)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Counts:
    """The four counts behind a P/R/F1: correct and total predictions, found and total gold."""

    p_num: int = 0
    p_den: int = 0
    r_num: int = 0
    r_den: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            p_num=self.p_num + other.p_num,
            p_den=self.p_den + other.p_den,
            r_num=self.r_num + other.r_num,
            r_den=self.r_den + other.r_den,
        )

    @property
    def precision(self) -> float:
        """Return p_num / p_den (0 when nothing is predicted)."""
        return self.p_num / self.p_den if self.p_den else 0.0

    @property
    def recall(self) -> float:
        """Return r_num / r_den (0 when there is no gold)."""
        return self.r_num / self.r_den if self.r_den else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall (0 when both are 0)."""
        return f1_score(self.precision, self.recall)

    def to_dict(self) -> dict[str, float | int]:
        """Return the counts and P/R/F1 in percent, rounded to 2 decimals."""
        return {
            "p": round(100 * self.precision, 2),
            "r": round(100 * self.recall, 2),
            "f1": round(100 * self.f1, 2),
            "p_num": self.p_num,
            "p_den": self.p_den,
            "r_num": self.r_num,
            "r_den": self.r_den,
        }


def f1_score(precision: float, recall: float) -> float:
    """Return the F1 of a precision and a recall, computed as the published scorers do."""
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def sum_counts(counts: Iterable[Counts]) -> Counts:
    """Return the sum of counts."""
    total = Counts()
    for item in counts:
        total = total + item
    return total


def add_keyed(left: Mapping[str, Counts], right: Mapping[str, Counts]) -> dict[str, Counts]:
    """Return the per-key sum of two keyed counts."""
    keys = list(left) + [k for k in right if k not in left]
    return {k: left.get(k, Counts()) + right.get(k, Counts()) for k in keys}
