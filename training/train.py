"""Training of the default scikit-learn model, as explicit stages.

prepare  (batches -> deduplicated examples with fixed splits)
train    (train split -> featurizer + calibrated linear heads)
evaluate (dev split -> thresholds; test split -> metrics and plots)
package  (model folder: config.json, weights.skops, metrics.json, plots, README.md card)

The same config and data give the same model: every random choice takes the config's seed.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from training import corpus
from training.card import write_model_card
from training.corpus import Example
from training.evaluate import evaluate
from training.loaders import read_labelled
from triage.engine import Engine
from triage.engine.analyzer import Analyzer
from triage.engine.classifier import Featurizer, LinearHeads, SklearnBackend
from triage.engine.labels import LABELS, TARGETS
from triage.engine.model_io import ModelConfig, save_sklearn_backend
from triage.engine.scoring import combine

# Thresholds below 0.45 would flag messages the model thinks more likely benign than not.
THRESHOLD_RANGE = (0.45, 0.9)


@dataclass
class TrainConfig:
    name: str = "triage-nl"
    version: str = "1.0.0"
    seed: int = 13
    label_c: float = 1.0
    target_c: float = 2.0
    output: Path | None = None
    extra_train: list[Path] = field(default_factory=list)

    @classmethod
    def from_toml(cls, path: Path) -> TrainConfig:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        model = data.get("model", {})
        backend = data.get("backend", {})
        sources = data.get("data", {})
        base = path.parent
        output = model.get("output")
        return cls(
            name=model.get("name", cls.name),
            version=model.get("version", cls.version),
            seed=int(data.get("seed", cls.seed)),
            label_c=float(backend.get("label_c", cls.label_c)),
            target_c=float(backend.get("target_c", cls.target_c)),
            output=(base / output).resolve() if output else None,
            extra_train=[(base / p).resolve() for p in sources.get("extra_train", [])],
        )

    def output_dir(self) -> Path:
        from triage.engine.registry import MODELS_DIR

        return self.output or MODELS_DIR / self.name / self.version


def prepare() -> dict[str, str]:
    """Assign fixed splits to the corpus batches and write data/corpus/splits.tsv."""
    examples = corpus.deduplicate(corpus.read_batches())
    assignment = corpus.assign_splits(examples)
    corpus.write_splits(assignment)
    return assignment


def _fit_label_heads(
    features: Any, gold: np.ndarray, config: TrainConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    coefs, intercepts, platt_a, platt_b = [], [], [], []
    for i, _label in enumerate(LABELS):
        y = gold[:, i].astype(int)
        model = LogisticRegression(
            C=config.label_c, class_weight="balanced", solver="liblinear", random_state=config.seed
        )
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=config.seed)
        scores = cross_val_predict(model, features, y, cv=folds, method="decision_function")
        platt = LogisticRegression(C=1e4, solver="lbfgs").fit(scores.reshape(-1, 1), y)
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
    )


def fit_backend(examples: Sequence[Example], analyzer: Analyzer, config: TrainConfig) -> SklearnBackend:
    analyses = analyzer.analyse_many([e.text for e in examples])
    featurizer = Featurizer.fit(analyses)
    features = featurizer.transform(analyses)
    gold = np.array([[label in e.labels for label in LABELS] for e in examples], dtype=bool)
    label_coef, label_intercept, platt_a, platt_b = _fit_label_heads(features, gold, config)
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
    return SklearnBackend(featurizer, heads)


def tune_thresholds(
    backend: SklearnBackend, analyzer: Analyzer, examples: Sequence[Example]
) -> dict[str, float]:
    """Per label, the threshold in THRESHOLD_RANGE with the best F1 on held-out examples."""
    analyses = analyzer.analyse_many([e.text for e in examples])
    label_proba, _ = backend.predict_proba(analyses)
    combined = np.array(
        [[combine(a, label_proba[i])[label] for label in LABELS] for i, a in enumerate(analyses)]
    )
    gold = np.array([[label in e.labels for label in LABELS] for e in examples], dtype=bool)
    thresholds: dict[str, float] = {}
    grid = np.round(np.arange(THRESHOLD_RANGE[0], THRESHOLD_RANGE[1] + 1e-9, 0.025), 3)
    for i, label in enumerate(LABELS):
        best, best_f1 = 0.5, -1.0
        for threshold in grid:
            predicted = combined[:, i] >= threshold
            tp = float(np.sum(predicted & gold[:, i]))
            f1 = 2 * tp / (float(predicted.sum()) + float(gold[:, i].sum()) or 1.0)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(threshold), f1
        thresholds[label] = best
    return thresholds


def train(config: TrainConfig) -> Path:
    """Run train -> evaluate -> package and return the model folder."""
    train_examples = corpus.load_split("train")
    for path in config.extra_train:
        train_examples.extend(read_labelled(path))
    dev_examples = corpus.load_split("dev")
    test_examples = corpus.load_split("test")
    analyzer = Analyzer.build()
    backend = fit_backend(train_examples, analyzer, config)
    thresholds = tune_thresholds(backend, analyzer, dev_examples)
    model_config = ModelConfig(
        name=config.name,
        version=config.version,
        thresholds=thresholds,
        rules_version=analyzer.rules.version,
        extra={
            "training": {
                "seed": config.seed,
                "label_c": config.label_c,
                "target_c": config.target_c,
                "train_examples": len(train_examples),
                "dev_examples": len(dev_examples),
                "test_examples": len(test_examples),
                "extra_train": [str(p.name) for p in config.extra_train],
            }
        },
    )
    folder = config.output_dir()
    folder.mkdir(parents=True, exist_ok=True)
    model_config.write(folder)
    save_sklearn_backend(backend, folder)
    engine = Engine(model_config, backend, analyzer)
    metrics = {
        "dev": evaluate(engine, dev_examples).write(folder / "plots" / "dev"),
        "test": evaluate(engine, test_examples).write(folder / "plots" / "test"),
    }
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    write_model_card(folder, model_config, metrics, train_examples)
    return folder
