"""A model is a folder: `config.json`, `weights.skops`, `metrics.json`, a model card `README.md`.

`ModelConfig.read` refuses a folder without a compatible config and says why. Weights are plain
arrays (terms, idf, coefficients) in a skops file, loaded only when skops reports no type outside
its safe defaults: nothing is unpickled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import skops.io as sio

from triage.engine.classifier import Featurizer, LinearHeads, SklearnBackend
from triage.engine.features import EVIDENCE_FEATURES, FEATURES_VERSION
from triage.engine.labels import LABELS, TARGETS
from triage.engine.vectorizer import TfidfIndex
from triage.errors import ModelError

FORMAT: Final = "triage-model/1"
SKLEARN_BACKEND: Final = "sklearn-linear"
TRANSFORMER_BACKEND: Final = "transformer"
CONFIG_FILE: Final = "config.json"
WEIGHTS_FILE: Final = "weights.skops"


@dataclass
class ModelConfig:
    name: str
    version: str
    thresholds: dict[str, float]
    backend: str = SKLEARN_BACKEND
    rules_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "backend": self.backend,
            "labels": list(LABELS),
            "targets": list(TARGETS),
            "features": FEATURES_VERSION,
            "evidence_features": list(EVIDENCE_FEATURES),
            "thresholds": self.thresholds,
            "rules_version": self.rules_version,
            **self.extra,
        }

    @classmethod
    def read(cls, folder: Path) -> ModelConfig:
        path = folder / CONFIG_FILE
        if not folder.is_dir():
            raise ModelError(f"model folder {folder} does not exist")
        if not path.is_file():
            raise ModelError(f"{folder} is not a model folder: it has no {CONFIG_FILE}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path} cannot be read: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{path}: format {data.get('format')!r} is not {FORMAT!r}")
        expected = {"labels": list(LABELS), "targets": list(TARGETS), "features": FEATURES_VERSION}
        expected["evidence_features"] = list(EVIDENCE_FEATURES)
        for key, value in expected.items():
            if data.get(key) != value:
                raise ModelError(f"{path}: {key} does not match this version of triage (retrain the model)")
        thresholds = data.get("thresholds")
        if not isinstance(thresholds, dict) or set(thresholds) != set(LABELS):
            raise ModelError(f"{path}: thresholds must give one value per label")
        known = {"format", "name", "version", "backend", "rules_version", "thresholds", *expected}
        return cls(
            name=str(data.get("name", "unnamed")),
            version=str(data.get("version", "0")),
            thresholds={label: float(thresholds[label]) for label in LABELS},
            backend=str(data.get("backend", SKLEARN_BACKEND)),
            rules_version=str(data.get("rules_version", "")),
            extra={key: value for key, value in data.items() if key not in known},
        )

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False, sort_keys=True)
        (folder / CONFIG_FILE).write_text(text + "\n", encoding="utf-8")


def save_sklearn_backend(backend: SklearnBackend, folder: Path) -> None:
    featurizer, heads = backend.featurizer, backend.heads
    state = {
        "char_terms": featurizer.char.terms,
        "char_idf": featurizer.char.idf,
        "word_terms": featurizer.word.terms,
        "word_idf": featurizer.word.idf,
        "label_coef": heads.label_coef,
        "label_intercept": heads.label_intercept,
        "platt_a": heads.platt_a,
        "platt_b": heads.platt_b,
        "target_coef": heads.target_coef,
        "target_intercept": heads.target_intercept,
    }
    folder.mkdir(parents=True, exist_ok=True)
    sio.dump(state, folder / WEIGHTS_FILE, compression=8)


def load_sklearn_backend(folder: Path) -> SklearnBackend:
    path = folder / WEIGHTS_FILE
    if not path.is_file():
        raise ModelError(f"{folder} has a config but no {WEIGHTS_FILE}")
    try:
        untrusted = sio.get_untrusted_types(file=path)
        if untrusted:
            raise ModelError(f"{path} holds types that are not allowed: {', '.join(untrusted)}")
        state = sio.load(path)
    except ModelError:
        raise
    except Exception as exc:  # skops raises many kinds on a damaged file
        raise ModelError(f"{path} cannot be loaded: {exc}") from exc
    try:
        featurizer = Featurizer(
            char=TfidfIndex("char", state["char_terms"], state["char_idf"]),
            word=TfidfIndex("word", state["word_terms"], state["word_idf"]),
        )
        heads = LinearHeads(
            label_coef=np.asarray(state["label_coef"]),
            label_intercept=np.asarray(state["label_intercept"]),
            platt_a=np.asarray(state["platt_a"]),
            platt_b=np.asarray(state["platt_b"]),
            target_coef=np.asarray(state["target_coef"]),
            target_intercept=np.asarray(state["target_intercept"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path} is incomplete: {exc}") from exc
    if heads.label_coef.shape != (featurizer.width, len(LABELS)):
        raise ModelError(f"{path}: weight shape {heads.label_coef.shape} does not fit its vocabularies")
    if heads.target_coef.shape != (featurizer.width, len(TARGETS)):
        raise ModelError(f"{path}: target weight shape {heads.target_coef.shape} does not fit")
    return SklearnBackend(featurizer, heads)
