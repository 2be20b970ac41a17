"""Training of the learned MUC-4 model: train split only, selection on dev, test for the report.

`train_muc4` builds the pipeline from `models/muc4_train.cfg`, trains ner and
textcat_multilabel on the GTT train file, keeps the epoch with the best GTT template micro F1 on
dev (with the relevance threshold tuned on dev) and scores the kept model once on test.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import string
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans, load_config
from thinc.api import fix_random_seed

from threatwatch.errors import ConfigError, InputError
from threatwatch.extract.learned import (
    INCIDENT_TYPES,
    LEARNED_EXTRACTOR,
    ROLES,
    SETTINGS_FILE,
    DocPrediction,
    LearnedModel,
    to_templates,
)

CONFIG_PATH = Path(__file__).parent / "models" / "muc4_train.cfg"
"""The spaCy config of the pipeline that `train_muc4` trains."""

THRESHOLDS = (0.01, 0.02, 0.03, 0.04, *(round(0.05 * step, 2) for step in range(1, 19)))
"""Relevance thresholds tried on dev after each epoch; the low ones matter because the
bag-of-words classifier gives long documents low probabilities."""

SCORE_KEYS = ("incident_type", *ROLES)
"""Keys of the GTT template metric; the micro average pools them."""

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation)


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldDoc:
    """One document of a GTT-format split (`gtt/processed/*.json`)."""

    docid: str
    text: str
    templates: tuple[dict[str, Any], ...]
    """Templates as in the file: incident_type and role -> entities -> [mention, offset]."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """Counts of one key of the template metric, with P/R/F1 derived from them."""

    p_num: int = 0
    p_den: int = 0
    r_num: int = 0
    r_den: int = 0

    @property
    def p(self) -> float:
        """Precision in [0, 1]."""
        return self.p_num / self.p_den if self.p_den else 0.0

    @property
    def r(self) -> float:
        """Recall in [0, 1]."""
        return self.r_num / self.r_den if self.r_den else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, other: Score) -> Score:
        """Return the sum of two counts."""
        return Score(
            p_num=self.p_num + other.p_num,
            p_den=self.p_den + other.p_den,
            r_num=self.r_num + other.r_num,
            r_den=self.r_den + other.r_den,
        )

    def to_dict(self) -> dict[str, float]:
        """Return P/R/F1 in percent plus the raw counts."""
        return {
            "p": round(100 * self.p, 2),
            "r": round(100 * self.r, 2),
            "f1": round(100 * self.f1, 2),
            "p_num": self.p_num,
            "p_den": self.p_den,
            "r_num": self.r_num,
            "r_den": self.r_den,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainReport:
    """What a training run did and how well the kept model scores."""

    out: Path
    seed: int
    epochs: int
    """Epochs run (complete or cut by the time limit)."""
    best_epoch: int
    minutes: float
    threshold: float
    """Relevance threshold tuned on dev for the kept epoch."""
    n_train: int
    n_dev: int
    dev: dict[str, Score] = field(default_factory=dict)
    """GTT template scores on dev per key and "micro"."""
    test: dict[str, Score] = field(default_factory=dict)
    """Same on test; empty when no test file was scored."""


def load_gtt_split(path: Path) -> list[GoldDoc]:
    """Read a GTT JSON-lines split.

    Raises:
        InputError: the file is missing or a line is not a GTT record.
    """
    if not path.is_file():
        raise InputError(
            f"MUC-4 split not found at {str(path)!r}; check the --shared folder",
            {str(path): "missing"},
        )
    docs = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                docs.append(
                    GoldDoc(
                        docid=str(record["docid"]),
                        text=str(record["doctext"]),
                        templates=tuple(record["templates"]),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(
                    f"Line {number} of {str(path)!r} is not a GTT record: {exc}",
                    {f"{path}:{number}": str(exc)},
                ) from exc
    return docs


def normalize_mention(text: str) -> str:
    """Normalise a mention as the GTT scorer does: lowercase, no punctuation or articles."""
    text = "".join(char for char in text.lower() if char not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def to_gold_templates(doc: GoldDoc) -> list[dict[str, Any]]:
    """Gold templates in the scorer's form: strings only, no empty entity, no duplicate."""
    templates: list[dict[str, Any]] = []
    for raw in doc.templates:
        template: dict[str, Any] = {"incident_type": raw["incident_type"]}
        for role in ROLES:
            entities = [[mention for mention, _ in entity] for entity in raw.get(role, [])]
            template[role] = [entity for entity in entities if entity]
        if template not in templates:
            templates.append(template)
    return [
        {
            "incident_type": template["incident_type"],
            **{
                role: [[normalize_mention(m) for m in entity] for entity in template[role]]
                for role in ROLES
            },
        }
        for template in templates
    ]


def _score_mapping(
    mapping: Sequence[int | None], pred: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]]
) -> dict[str, Score]:
    """Counts of one partial mapping of predicted to gold templates."""
    counts = {key: [0, 0, 0, 0] for key in SCORE_KEYS}  # p_num, p_den, r_num, r_den
    matched_gold = set()
    for p_index, g_index in enumerate(mapping):
        p_tpl = pred[p_index]
        if g_index is not None and p_tpl["incident_type"] in gold[g_index]["incident_type"]:
            g_tpl = gold[g_index]
            matched_gold.add(g_index)
            counts["incident_type"] = [c + 1 for c in counts["incident_type"]]
            for role in ROLES:
                preds, golds = p_tpl[role], g_tpl[role]
                for entity in preds:
                    counts[role][1] += 1
                    if any(all(m in g_ent for m in entity) for g_ent in golds):
                        counts[role][0] += 1
                for g_ent in golds:
                    counts[role][3] += 1
                    if any(all(m in g_ent for m in entity) for entity in preds):
                        counts[role][2] += 1
        else:
            counts["incident_type"][1] += 1
            for role in ROLES:
                counts[role][1] += len(p_tpl[role])
    for g_index, g_tpl in enumerate(gold):
        if g_index not in matched_gold:
            counts["incident_type"][3] += 1
            for role in ROLES:
                counts[role][3] += len(g_tpl[role])
    return {key: Score(p_num=a, p_den=b, r_num=c, r_den=d) for key, (a, b, c, d) in counts.items()}


def _micro(scores: Mapping[str, Score]) -> Score:
    """Pool the counts of every key."""
    total = Score()
    for key in SCORE_KEYS:
        total = total.add(scores[key])
    return total


def score_gtt(
    predictions: Mapping[str, Sequence[dict[str, Any]]], golds: Sequence[GoldDoc]
) -> dict[str, Score]:
    """Score predicted templates with the GTT template metric (README section 4.3).

    A quick scorer for model selection; `threatwatch.eval` holds the reference one.
    Returns counts per key of SCORE_KEYS and their pool under "micro".
    """
    totals = {key: Score() for key in SCORE_KEYS}
    for doc in golds:
        gold = to_gold_templates(doc)
        pred = [
            {
                "incident_type": tpl["incident_type"],
                **{
                    role: [[normalize_mention(m) for m in entity] for entity in tpl.get(role, [])]
                    for role in ROLES
                },
            }
            for tpl in predictions.get(doc.docid, [])
        ]
        best: dict[str, Score] | None = None
        best_f1 = -1.0
        choices: list[int | None] = [*range(len(gold)), None]
        for mapping in itertools.product(choices, repeat=len(pred)):
            targets = [g for g in mapping if g is not None]
            if len(targets) != len(set(targets)):
                continue
            scores = _score_mapping(mapping, pred, gold)
            f1 = _micro(scores).f1
            if f1 > best_f1:
                best, best_f1 = scores, f1
        assert best is not None  # the empty mapping always exists
        totals = {key: totals[key].add(best[key]) for key in SCORE_KEYS}
    return {**totals, "micro": _micro(totals)}


def _incident_labels(doc: GoldDoc) -> set[str]:
    """Incident types present in a document ("attack / bombing" counts for both)."""
    labels = set()
    for template in doc.templates:
        for part in str(template["incident_type"]).split("/"):
            if part.strip() in INCIDENT_TYPES:
                labels.add(part.strip())
    return labels


def _role_spans(doc: Doc, gold: GoldDoc) -> list[Span]:
    """Spans of every occurrence of every gold mention string, labelled with its role.

    All occurrences are marked, not only the keyed offset: the metric scores strings, and
    leaving identical strings unmarked would teach the model that they are not fillers.
    """
    spans: list[Span] = []
    seen: set[tuple[int, int]] = set()
    for template in gold.templates:
        for role in ROLES:
            for entity in template.get(role, []):
                for mention, _ in entity:
                    if not mention.strip():
                        continue
                    pattern = r"(?<!\w)" + re.escape(mention) + r"(?!\w)"
                    for match in re.finditer(pattern, gold.text):
                        span = doc.char_span(
                            match.start(),
                            match.end(),
                            label=role.upper(),
                            alignment_mode="contract",
                        )
                        if span is not None and len(span) and (span.start, span.end) not in seen:
                            seen.add((span.start, span.end))
                            spans.append(span)
    return filter_spans(spans)


def make_examples(nlp: Language, docs: Iterable[GoldDoc]) -> list[Example]:
    """Training examples: incident types for every document, role spans for relevant ones.

    Irrelevant documents leave the ner annotation missing rather than all-outside: fillers
    depend on the document being about an incident, which the classifier decides; the ner
    learns which phrases fill which role in incident reports.
    """
    examples = []
    for gold in docs:
        predicted = nlp.make_doc(gold.text)
        reference = nlp.make_doc(gold.text)
        labels = _incident_labels(gold)
        reference.cats = {label: float(label in labels) for label in INCIDENT_TYPES}
        if gold.templates:
            reference.ents = _role_spans(reference, gold)
        examples.append(Example(predicted, reference))
    return examples


def predict_templates(
    model: LearnedModel, docs: Sequence[GoldDoc]
) -> tuple[list[DocPrediction], dict[str, float]]:
    """Predict every document and tune the relevance threshold on them.

    Epochs and the threshold are chosen on the templates as the pipeline made them when the
    committed model was trained: grouped by incident-type cue words (`group_templates`), one
    incident per type. The split of a type cued in many sentences (`SPLIT_FROM`) was chosen on
    dev after that training, so selection leaves it out and `train muc4` still reproduces the
    committed weights and threshold. The scores it reports are the same grouped ones.

    Returns the predictions and {"threshold", "f1"} of the best threshold.
    """
    # Every threshold of the grid is tried, so fillers are needed below the model's own.
    predictions = model.predict([doc.text for doc in docs], all_roles=True)
    best = {"threshold": THRESHOLDS[0], "f1": -1.0}
    for threshold in THRESHOLDS:
        templates = {
            doc.docid: to_templates(pred, threshold=threshold, grouped=True, split_from=None)
            for doc, pred in zip(docs, predictions, strict=True)
        }
        f1 = score_gtt(templates, docs)["micro"].f1
        if f1 > best["f1"]:
            best = {"threshold": threshold, "f1": f1}
    return predictions, best


def train_muc4(
    shared: Path,
    out: Path,
    *,
    seed: int = 0,
    max_minutes: float = 60.0,
    max_epochs: int = 30,
    patience: int = 6,
    batch_size: int = 8,
    dropout: float = 0.2,
    max_steps: int | None = None,
    split_dir: Path | None = None,
    config_path: Path = CONFIG_PATH,
    score_test: bool = True,
    progress: Callable[[str], None] | None = None,
) -> TrainReport:
    """Train the learned MUC-4 model and write the best dev epoch to `out`.

    Args:
        shared: the shared folder; the splits are read from data/muc4/gtt/processed/.
        out: folder to write the model to (created; an existing model there is replaced).
        max_minutes: wall-clock budget for the training epochs (checked after each batch).
        max_steps: stop after this many updates (for tests); None for no limit.
        split_dir: folder holding train.json/dev.json/test.json instead of the shared one.
        config_path: spaCy config of the pipeline (default: models/muc4_train.cfg).
        score_test: score the kept model on test.json once, after selection on dev.
        progress: called with one line per epoch.
    """
    say = progress or (lambda line: None)
    folder = split_dir or shared / "data" / "muc4" / "gtt" / "processed"
    train_docs = load_gtt_split(folder / "train.json")
    dev_docs = load_gtt_split(folder / "dev.json")
    random.seed(seed)
    fix_random_seed(seed)
    config = load_config(config_path, overrides={"training.seed": seed})
    try:
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except ValueError as exc:
        raise ConfigError(f"Bad training config {str(config_path)!r}: {exc}") from exc
    train_examples = make_examples(nlp, train_docs)
    say(f"{len(train_docs)} train docs, {len(dev_docs)} dev docs; initialising")
    optimizer = nlp.initialize(lambda: train_examples)
    out.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    steps, epoch, best_epoch, best_f1, best_threshold, stale = 0, 0, 0, -1.0, 0.5, 0
    best_dev: dict[str, Score] = {}
    stop = False
    while epoch < max_epochs and not stop:
        epoch += 1
        random.shuffle(train_examples)
        losses: dict[str, float] = {}
        for first in range(0, len(train_examples), batch_size):
            batch = train_examples[first : first + batch_size]
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
            steps += 1
            if (time.monotonic() - started) / 60 > max_minutes or (
                max_steps is not None and steps >= max_steps
            ):
                stop = True
                break
        with nlp.use_params(optimizer.averages):
            model = LearnedModel(nlp, {"name": LEARNED_EXTRACTOR, "lowercase": True})
            predictions, tuned = predict_templates(model, dev_docs)
            if tuned["f1"] > best_f1:
                best_f1, best_epoch, best_threshold, stale = (
                    tuned["f1"],
                    epoch,
                    tuned["threshold"],
                    0,
                )
                templates = {
                    doc.docid: to_templates(pred, threshold=best_threshold)
                    for doc, pred in zip(dev_docs, predictions, strict=True)
                }
                best_dev = score_gtt(templates, dev_docs)
                nlp.to_disk(out)
            else:
                stale += 1
        minutes = (time.monotonic() - started) / 60
        say(
            f"epoch {epoch} steps {steps} {minutes:.1f} min "
            f"loss ner {losses.get('ner', 0.0):.1f} textcat {losses.get('textcat_multilabel', 0.0):.3f} "
            f"dev micro F1 {100 * tuned['f1']:.2f} (threshold {tuned['threshold']}) "
            f"best {100 * best_f1:.2f} at epoch {best_epoch}"
        )
        if stale >= patience:
            break
    minutes = (time.monotonic() - started) / 60

    settings: dict[str, Any] = {
        "name": LEARNED_EXTRACTOR,
        "lowercase": True,
        "threshold": best_threshold,
        "seed": seed,
        "best_epoch": best_epoch,
        "epochs": epoch,
        "train_minutes": round(minutes, 1),
        "dev": {key: score.to_dict() for key, score in best_dev.items()},
    }
    (out / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    test_scores: dict[str, Score] = {}
    if score_test and (folder / "test.json").is_file():
        test_docs = load_gtt_split(folder / "test.json")
        kept = LearnedModel.load(out)
        test_scores = score_gtt(
            {
                doc.docid: kept.to_templates(pred)
                for doc, pred in zip(
                    test_docs, kept.predict([d.text for d in test_docs]), strict=True
                )
            },
            test_docs,
        )
        settings["test"] = {key: score.to_dict() for key, score in test_scores.items()}
        (out / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        say(f"test micro F1 {100 * test_scores['micro'].f1:.2f}")
    return TrainReport(
        out=out,
        seed=seed,
        epochs=epoch,
        best_epoch=best_epoch,
        minutes=minutes,
        threshold=best_threshold,
        n_train=len(train_docs),
        n_dev=len(dev_docs),
        dev=best_dev,
        test=test_scores,
    )


def predict_split(model: LearnedModel, docs: Sequence[GoldDoc]) -> dict[str, dict[str, Any]]:
    """Predict a split in the shape of GTT's predictions file: docid -> {"pred_templates"}."""
    predictions = model.predict([doc.text for doc in docs])
    return {
        doc.docid: {"pred_templates": model.to_templates(pred)}
        for doc, pred in zip(docs, predictions, strict=True)
    }
