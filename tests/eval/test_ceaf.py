"""GRIT's CEAF-REE scorer on hand-made role fillers."""

from __future__ import annotations

from pathlib import Path

from threatwatch.eval.ceaf import count_alignment, score_ceaf_ree
from threatwatch.eval.scores import Counts
from threatwatch.eval.templates import ROLES, Template, load_grit_gold, merge_roles

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eval"


def test_count_alignment_is_one_to_one() -> None:
    gold = [("gunmen", "armed men")]
    assert count_alignment([("gunmen",), ("armed men",)], gold) == 1


def test_count_alignment_finds_maximum_matching_not_greedy() -> None:
    golds = [("a", "b"), ("a",)]
    # Greedy would give ("a",) the first gold and leave ("b",) without a partner.
    assert count_alignment([("a",), ("b",)], golds) == 2


def test_count_alignment_needs_every_predicted_mention_in_gold() -> None:
    assert count_alignment([("a", "c")], [("a", "b")]) == 0


def test_score_ceaf_ree_counts_per_role_and_micro() -> None:
    golds = {
        "d1": {"PerpInd": [("gunmen",)], "Victim": [("ana vero", "mayor")]},
        "d2": {"Target": [("bridge",)]},
    }
    preds = {
        "d1": {"PerpInd": [("The Gunmen",), ("gunmen",)], "Victim": [("mayor",)]},
        "d3": {"Target": [("bridge",)]},  # not a gold document: ignored
    }
    result = score_ceaf_ree(preds, golds)
    assert result.keys["PerpInd"] == Counts(p_num=1, p_den=2, r_num=1, r_den=1)
    assert result.keys["Victim"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    assert result.keys["Target"] == Counts(p_num=0, p_den=0, r_num=0, r_den=1)
    assert result.micro == Counts(p_num=2, p_den=3, r_num=2, r_den=3)


def test_merge_roles_drops_subset_and_superset_entities() -> None:
    templates = [
        Template(incident_type="attack", roles={"PerpOrg": (("red hand",),)}),
        Template(
            incident_type="bombing",
            roles={"PerpOrg": (("red hand", "red hand front"), ("blue column",))},
        ),
    ]
    merged = merge_roles(templates)
    assert merged["PerpOrg"] == (("red hand",), ("blue column",))
    assert set(merged) == set(ROLES)


def test_load_grit_gold_reads_fixture() -> None:
    golds = load_grit_gold(FIXTURES / "grit_gold.jsonl")
    assert golds["TST9-MUC4-0001"]["Victim"] == (("ana vero", "mayor"),)
    assert golds["TST9-MUC4-0001"]["Target"] == ()
