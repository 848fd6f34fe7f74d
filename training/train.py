"""Training as explicit stages, from a TrainConfig (see training/config.py for the TOML):

prepare  (corpus splits + configured sources -> Dataset: train, dev, test)
train    (train -> a backend: scikit-learn linear heads, or a fine-tuned transformer; dev -> thresholds)
evaluate (test and dev -> metrics.json and plots: PR curves, severity confusion, calibration)
gate     (candidate vs the registry's current model -> gate.json, assessment.json with bias metrics)
package  (the model folder, written aside and moved into place: config, weights, card README.md)

The same config and data give the same scikit-learn model: every random choice takes the seed.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from tqdm.auto import tqdm

from training import corpus
from training.card import write_model_card
from training.config import DataSource, TrainConfig
from training.corpus import Example
from training.data import Dataset, load_dataset
from training.evaluate import evaluate
from training.gates import run_gate, write_gate
from triage.engine import Engine
from triage.engine.analysis import Analysis
from triage.engine.analyzer import Analyzer
from triage.engine.classifier import Featurizer, LinearHeads, SklearnBackend
from triage.engine.labels import LABELS, TARGETS
from triage.engine.model_io import ModelConfig, save_sklearn_backend
from triage.engine.registry import Registry
from triage.engine.scoring import combine
from triage.errors import ModelError

__all__ = [
    "DataSource",
    "TrainConfig",
    "choose_thresholds",
    "fit_backend",
    "lowest_near_best",
    "prepare",
    "train",
    "tune_thresholds",
]

# Thresholds below 0.45 would flag messages the model thinks more likely benign than not.
THRESHOLD_RANGE = (0.45, 0.9)
THRESHOLD_F1_SLACK = 0.01
STAGES = ("prepare", "train", "evaluate", "gate", "package")
StageHook = Callable[[str], None]


def _bars(config: TrainConfig) -> bool:
    return config.progress if config.progress is not None else sys.stderr.isatty()


def prepare() -> dict[str, str]:
    """Assign fixed splits to the corpus batches and write data/corpus/splits.tsv."""
    examples = corpus.deduplicate(corpus.read_batches())
    assignment = corpus.assign_splits(examples)
    corpus.write_splits(assignment)
    return assignment


def _fit_label_heads(
    features: Any, gold: np.ndarray, config: TrainConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The heads' weights and Platt parameters, and the calibrated out-of-fold probability of every
    training example (what a head trained without it says about it)."""
    coefs, intercepts, platt_a, platt_b, out_of_fold = [], [], [], [], []
    for i, _label in enumerate(tqdm(LABELS, desc="label heads", unit="label", disable=not _bars(config))):
        y = gold[:, i].astype(int)
        model = LogisticRegression(
            C=config.label_c, class_weight="balanced", solver="liblinear", random_state=config.seed
        )
        folds = StratifiedKFold(n_splits=min(5, max(2, int(y.sum()))), shuffle=True, random_state=config.seed)
        scores = cross_val_predict(model, features, y, cv=folds, method="decision_function")
        platt = LogisticRegression(C=1e4, solver="lbfgs").fit(scores.reshape(-1, 1), y)
        out_of_fold.append(platt.predict_proba(scores.reshape(-1, 1))[:, 1])
        model.fit(features, y)
        coefs.append(model.coef_.ravel())
        intercepts.append(float(model.intercept_[0]))
        platt_a.append(float(platt.coef_[0, 0]))
        platt_b.append(float(platt.intercept_[0]))
    return (
        np.vstack(coefs).T.astype(np.float32),
        np.array(intercepts, dtype=np.float32),
        np.array(platt_a, dtype=np.float32),
        np.array(platt_b, dtype=np.float32),
        np.vstack(out_of_fold).T,
    )


def fit_backend(examples: Sequence[Example], analyzer: Analyzer, config: TrainConfig) -> SklearnBackend:
    return _fit_backend(examples, analyzer, config)[0]


def _fit_backend(
    examples: Sequence[Example], analyzer: Analyzer, config: TrainConfig
) -> tuple[SklearnBackend, np.ndarray]:
    """The backend, and the combined out-of-fold probabilities of its training examples."""
    analyses = analyzer.analyse_many([e.text for e in examples])
    featurizer = Featurizer.fit(analyses)
    features = featurizer.transform(analyses)
    label_coef, label_intercept, platt_a, platt_b, out_of_fold = _fit_label_heads(
        features, _gold(examples), config
    )
    targets = np.array([TARGETS.index(e.target) for e in examples])
    target_model = LogisticRegression(C=config.target_c, max_iter=2000, random_state=config.seed)
    target_model.fit(features, targets)
    heads = LinearHeads(
        label_coef=label_coef,
        label_intercept=label_intercept,
        platt_a=platt_a,
        platt_b=platt_b,
        target_coef=target_model.coef_.T.astype(np.float32),
        target_intercept=target_model.intercept_.astype(np.float32),
    )
    return SklearnBackend(featurizer, heads), _combined(analyses, out_of_fold)


def _combined(analyses: Sequence[Analysis], label_proba: np.ndarray) -> np.ndarray:
    """The final label probabilities (model and rules combined), one row per analysis."""
    rows = (combine(a, label_proba[i]) for i, a in enumerate(analyses))
    return np.array([[row[label] for label in LABELS] for row in rows]).reshape(len(analyses), len(LABELS))


def _gold(examples: Sequence[Example]) -> np.ndarray:
    return np.array([[label in e.labels for label in LABELS] for e in examples], dtype=bool).reshape(
        len(examples), len(LABELS)
    )


def tune_thresholds(
    backend: SklearnBackend,
    analyzer: Analyzer,
    examples: Sequence[Example],
    out_of_fold: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, float]:
    """Per label, the lowest threshold in THRESHOLD_RANGE whose F1 on held-out examples is within
    THRESHOLD_F1_SLACK of the best: the exact maximum is noise, and among near-equal F1s the lower
    threshold keeps recall, the weak side. The held-out examples are `examples` (the dev split) and,
    when given, `out_of_fold` (combined probabilities, gold) of the training split: eight times the
    examples, so that a few new dev messages no longer move a threshold (they moved doxxing's from
    0.45 to 0.5 on a difference of one dev message's worth of F1)."""
    analyses = analyzer.analyse_many([e.text for e in examples])
    label_proba, _ = backend.predict_proba(analyses)
    combined, gold = _combined(analyses, label_proba), _gold(examples)
    if out_of_fold is not None:
        combined = np.vstack([combined, out_of_fold[0]])
        gold = np.vstack([gold, out_of_fold[1]])
    return choose_thresholds(combined, gold)


def choose_thresholds(combined: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    """Per label (a column of both arrays), the lowest grid threshold with F1 near the best."""
    thresholds: dict[str, float] = {}
    grid = np.round(np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.025), 3)
    for i, label in enumerate(LABELS):
        scores = []
        for threshold in grid:
            predicted = combined[:, i] >= threshold
            tp = float(np.sum(predicted & gold[:, i]))
            scores.append(2 * tp / (float(predicted.sum()) + float(gold[:, i].sum()) or 1.0))
        thresholds[label] = lowest_near_best(list(grid), scores)
    return thresholds


def lowest_near_best(
    thresholds: Sequence[float], f1s: Sequence[float], slack: float = THRESHOLD_F1_SLACK
) -> float:
    """The lowest threshold whose F1 is within `slack` of the best (thresholds ascending)."""
    best = max(f1s)
    return float(next(t for t, f1 in zip(thresholds, f1s, strict=True) if f1 >= best - slack))


def _train_sklearn(config: TrainConfig, dataset: Dataset, analyzer: Analyzer, folder: Path) -> Engine:
    backend, out_of_fold = _fit_backend(dataset.train, analyzer, config)
    thresholds = tune_thresholds(backend, analyzer, dataset.dev, (out_of_fold, _gold(dataset.train)))
    model_config = ModelConfig(
        name=config.name,
        version=config.version,
        thresholds=thresholds,
        rules_version=analyzer.rules.version,
        extra={"training": {**config.describe(), **_counts(dataset)}},
    )
    model_config.write(folder)
    save_sklearn_backend(backend, folder)
    return Engine(model_config, backend, analyzer)


def _train_transformer(config: TrainConfig, dataset: Dataset, analyzer: Analyzer, folder: Path) -> Engine:
    try:
        from training.transformer import TransformerTrainConfig, prepare_model, train_transformer
    except ImportError as exc:  # pragma: no cover - only without the 'transformer' extra
        raise ValueError("backend kind 'transformer' needs the 'transformer' extra") from exc
    model_table = {"name": config.name, "version": config.version}
    tconfig = TransformerTrainConfig.from_sections(model_table, config.transformer, config.seed, Path.cwd())
    model, tokenizer = prepare_model(tconfig, [e.text for e in dataset.train])
    train_transformer(model, tokenizer, dataset.train, tconfig, folder, dataset.dev, progress=_bars(config))
    stored = ModelConfig.read(folder)
    stored.rules_version = analyzer.rules.version
    stored.extra["training"] = {**stored.extra.get("training", {}), **config.describe(), **_counts(dataset)}
    stored.write(folder)
    return Engine.load(folder, analyzer=analyzer)


def _counts(dataset: Dataset) -> dict[str, Any]:
    return {
        "train_examples": len(dataset.train),
        "dev_examples": len(dataset.dev),
        "test_examples": len(dataset.test),
    }


def _baseline(config: TrainConfig, analyzer: Analyzer) -> Engine | None:
    registry = Registry(config.registry_root(), config.name)
    current = registry.current()
    if current is None or current == config.version or not registry.folder(current).is_dir():
        return None
    try:
        return Engine.load(registry.folder(current), analyzer=analyzer)
    except ModelError as error:
        # A model this code can no longer run (e.g. an older feature format) cannot be compared
        # on the test set; the gate then holds the candidate to the absolute bars only.
        print(f"warning: no baseline for the gate: {current}: {error}", file=sys.stderr)
        return None


def train(config: TrainConfig, on_stage: StageHook | None = None) -> Path:
    """Run every stage and return the model folder (written aside, then moved into place)."""
    target = config.output_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.partial-"))
    try:
        with tqdm(total=len(STAGES), desc="training", unit="stage", disable=not _bars(config)) as bar:

            def stage(name: str) -> None:
                bar.set_postfix_str(name)
                if on_stage is not None:
                    on_stage(name)

            stage("prepare")
            dataset = load_dataset(config)
            bar.update(1)
            stage("train")
            analyzer = Analyzer.build()
            fit = _train_transformer if config.backend == "transformer" else _train_sklearn
            engine = fit(config, dataset, analyzer, staging)
            bar.update(1)
            stage("evaluate")
            metrics = {
                "dev": evaluate(engine, dataset.dev).write(staging / "plots" / "dev"),
                "test": evaluate(engine, dataset.test).write(staging / "plots" / "test"),
            }
            (staging / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
            bar.update(1)
            stage("gate")
            verdict, assessment = run_gate(engine, _baseline(config, analyzer), dataset.test, config.gate)
            write_gate(staging, verdict, assessment)
            bar.update(1)
            stage("package")
            (staging / "data.json").write_text(
                json.dumps(dataset.summary(), indent=2) + "\n", encoding="utf-8"
            )
            write_model_card(staging, engine.config, metrics, dataset, assessment, verdict)
            _move_into_place(staging, target)
            bar.update(1)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _move_into_place(staging: Path, target: Path) -> None:
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(target)
