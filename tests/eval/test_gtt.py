"""The GTT template scorer on hand-made templates, and against GTT's released predictions."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from threatwatch.eval.gtt import KEYS, score_document, score_gtt
from threatwatch.eval.scores import Counts, f1_score
from threatwatch.eval.templates import (
    ROLES,
    Template,
    load_gtt_gold,
    load_gtt_predictions,
    normalize_mention,
    to_muc_docid,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eval"


def make(incident_type: str, **roles: list[list[str]]) -> Template:
    return Template(
        incident_type=incident_type,
        roles={role: tuple(tuple(e) for e in roles.get(role, [])) for role in ROLES},
    )


def test_normalize_mention_drops_case_punctuation_and_articles() -> None:
    assert normalize_mention("The F.M.L.N.,  an  Army") == "fmln army"
    assert normalize_mention("theatre") == "theatre"


def test_to_muc_docid_reads_gtt_numeric_ids() -> None:
    assert to_muc_docid("30001") == "TST3-MUC4-0001"
    assert to_muc_docid("10100") == "TST1-MUC3-0100"
    assert to_muc_docid("TST4-MUC4-0050") == "TST4-MUC4-0050"


def test_score_document_type_must_be_substring_of_gold_type() -> None:
    gold = [make("attack / bombing", Target=[["bridge"]])]
    matched = score_document([make("attack", Target=[["bridge"]])], gold)
    assert matched.matched == (True,)
    assert matched.counts["Target"] == Counts(p_num=1, p_den=1, r_num=1, r_den=1)
    unmatched = score_document([make("bombing / attack", Target=[["bridge"]])], gold)
    assert unmatched.matched == (False,)
    assert unmatched.counts["Target"] == Counts(p_num=0, p_den=1, r_num=0, r_den=1)
    assert unmatched.counts["incident_type"] == Counts(p_num=0, p_den=1, r_num=0, r_den=1)


def test_score_document_chooses_mapping_with_best_micro_f1() -> None:
    golds = [make("attack", Victim=[["ana vero"]]), make("attack", Victim=[["luis ramos"]])]
    preds = [make("attack", Victim=[["luis ramos"]]), make("attack", Victim=[["ana vero"]])]
    doc = score_document(preds, golds)
    assert doc.mapping == (1, 0)
    assert doc.counts["Victim"] == Counts(p_num=2, p_den=2, r_num=2, r_den=2)


def test_score_document_entity_needs_all_mentions_in_one_gold_entity() -> None:
    golds = [make("attack", PerpOrg=[["red hand", "red hand front"], ["blue column"]])]
    preds = [make("attack", PerpOrg=[["red hand", "blue column"], ["red hand front"]])]
    doc = score_document(preds, golds)
    assert doc.counts["PerpOrg"] == Counts(p_num=1, p_den=2, r_num=1, r_den=2)


def test_score_document_counts_duplicate_predictions_of_one_entity_as_correct() -> None:
    golds = [make("attack", PerpInd=[["gunmen", "armed men"]])]
    preds = [make("attack", PerpInd=[["gunmen"], ["armed men"]])]
    doc = score_document(preds, golds)
    assert doc.counts["PerpInd"] == Counts(p_num=2, p_den=2, r_num=1, r_den=1)


def test_score_document_tie_keeps_first_enumerated_mapping() -> None:
    golds = [make("attack", Target=[["bank"]]), make("attack", Target=[["school"]])]
    doc = score_document([make("attack")], golds)
    assert doc.mapping == (0,)


def test_score_document_without_predictions_counts_all_gold_as_missed() -> None:
    doc = score_document([], [make("kidnapping", Victim=[["ana vero"]])])
    assert doc.mapping == ()
    assert doc.counts["incident_type"] == Counts(r_den=1)
    assert doc.counts["Victim"] == Counts(r_den=1)


def _brute_force(preds: list[Template], golds: list[Template]) -> dict[str, Counts]:
    """GTT's own procedure: every product mapping, invalid ones skipped, first best kept."""
    best: dict[str, Counts] | None = None
    best_f1 = -1.0
    for mapping in itertools.product([*range(len(golds)), None], repeat=len(preds)):
        targets = [g for g in mapping if g is not None]
        if len(targets) != len(set(targets)):
            continue
        counts = {key: Counts() for key in KEYS}
        pairs = {
            i: g
            for i, g in enumerate(mapping)
            if g is not None and preds[i].incident_type in golds[g].incident_type
        }
        for i, p in enumerate(preds):
            g = pairs.get(i)
            counts["incident_type"] += Counts(p_den=1, p_num=int(g is not None))
            for role in ROLES:
                for ent in p.entities(role):
                    ok = g is not None and any(
                        all(m in ge for m in ent) for ge in golds[g].entities(role)
                    )
                    counts[role] += Counts(p_den=1, p_num=int(ok))
        inverse = {g: i for i, g in pairs.items()}
        for g, gold in enumerate(golds):
            i = inverse.get(g)
            counts["incident_type"] += Counts(r_den=1, r_num=int(i is not None))
            for role in ROLES:
                for ge in gold.entities(role):
                    ok = i is not None and any(
                        all(m in ge for m in ent) for ent in preds[i].entities(role)
                    )
                    counts[role] += Counts(r_den=1, r_num=int(ok))
        total = sum(counts.values(), Counts())
        f1 = f1_score(total.precision, total.recall)
        if best is None or f1 > best_f1:
            best, best_f1 = counts, f1
    assert best is not None
    return best


def test_score_document_matches_exhaustive_enumeration_on_random_documents() -> None:
    rng = random.Random(7)
    names = ["a1", "a2", "b1", "b2", "c1"]
    types = ["attack", "bombing", "attack / bombing", "kidnapping"]

    def random_template() -> Template:
        roles = {
            role: [rng.sample(names, rng.randint(1, 2)) for _ in range(rng.randint(0, 2))]
            for role in rng.sample(ROLES, 2)
        }
        return make(rng.choice(types), **roles)

    for _ in range(150):
        preds = [random_template() for _ in range(rng.randint(0, 4))]
        golds = [random_template() for _ in range(rng.randint(0, 3))]
        assert dict(score_document(preds, golds).counts) == _brute_force(preds, golds)


def test_score_gtt_on_fixture_files() -> None:
    golds = load_gtt_gold(FIXTURES / "gtt_gold.jsonl")
    assert len(golds["TST9-MUC4-0001"]) == 1  # the duplicate template is dropped
    preds = load_gtt_predictions(FIXTURES / "gtt_preds.json")
    assert preds["TST9-MUC4-0002"][1].incident_type == "attack"  # non-string type
    result = score_gtt(preds, golds)
    assert result.keys["incident_type"] == Counts(p_num=2, p_den=3, r_num=2, r_den=3)
    assert result.keys["Victim"] == Counts(p_num=1, p_den=2, r_num=1, r_den=1)
    assert result.keys["Weapon"] == Counts(p_num=0, p_den=1, r_num=0, r_den=1)
    assert result.micro == Counts(p_num=6, p_den=10, r_num=6, r_den=9)


def test_score_gtt_reproduces_published_gtt_figures(shared_dir: Path) -> None:
    muc4 = shared_dir / "data" / "muc4"
    preds = load_gtt_predictions(muc4 / "reference_predictions" / "gtt" / "preds_gtt.out")
    result = score_gtt(preds, load_gtt_gold(muc4 / "gtt" / "processed" / "test.json"))
    micro = result.micro.to_dict()
    assert (micro["p"], micro["r"], micro["f1"]) == (61.69, 42.36, 50.23)
    assert result.micro.r_den == 812
    assert result.keys["incident_type"].to_dict()["f1"] == 67.44
    assert result.keys["Weapon"].to_dict()["f1"] == 59.71
