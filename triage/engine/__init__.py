"""The Dutch triage engine: text in, Verdict out. No database, no web.

    engine = Engine.load()                      # the shipped default model
    verdict = engine.classify("...", recipient="Anna de Vries")
    verdicts = engine.classify_many(texts)

Stages, in order, over one `Analysis` per message: truncate, normalise, tokenise, language,
rules (the `Analyzer`); classifier, flags, target, severity, explanation, legal indication.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from triage.engine.analysis import Analysis
from triage.engine.analyzer import Analyzer
from triage.engine.classifier import Backend
from triage.engine.explain import explain
from triage.engine.labels import LABELS
from triage.engine.legal import legal_indications
from triage.engine.model_io import SKLEARN_BACKEND, TRANSFORMER_BACKEND, ModelConfig, load_sklearn_backend
from triage.engine.registry import default_model_dir
from triage.engine.scoring import combine, decide_flags
from triage.engine.severity import assess_severity
from triage.engine.target import decide_target
from triage.engine.verdict import ModelInfo, Verdict
from triage.errors import ModelError

__all__ = ["Analysis", "Engine", "Verdict"]


def _load_backend(folder: Path, config: ModelConfig) -> Backend:
    if config.backend == SKLEARN_BACKEND:
        return load_sklearn_backend(folder)
    if config.backend == TRANSFORMER_BACKEND:
        try:
            from triage.engine.transformer_backend import load_transformer_backend
        except ImportError as exc:
            raise ModelError(f"{folder} needs the 'transformer' extra: pip install '.[transformer]'") from exc
        return load_transformer_backend(folder, config)
    raise ModelError(f"{folder}: backend {config.backend!r} is not known to this engine")


def _settle_heap() -> None:
    """Take what is alive now (the model, rules, lexicons, tables: millions of objects that live as
    long as the process) out of the garbage collector's reach. Otherwise every full collection
    walks all of them again: that cost about 15% of batch classification. Cyclic garbage is
    collected first, so nothing is kept alive by this; reference counting still frees the rest."""
    gc.collect()
    gc.freeze()


class Engine:
    def __init__(self, config: ModelConfig, backend: Backend, analyzer: Analyzer) -> None:
        self.config = config
        self.backend = backend
        self.analyzer = analyzer
        self.model_info = ModelInfo(config.name, config.version)

    @classmethod
    def load(cls, model_dir: Path | str | None = None, analyzer: Analyzer | None = None) -> Engine:
        folder = Path(model_dir) if model_dir is not None else default_model_dir()
        config = ModelConfig.read(folder)
        engine = cls(config, _load_backend(folder, config), analyzer or Analyzer.build())
        _settle_heap()
        return engine

    def classify(self, text: str, recipient: str | None = None) -> Verdict:
        return self.classify_many([text], [recipient])[0]

    def classify_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        if not texts:
            return []
        analyses = self.analyzer.analyse_many(texts, recipients)
        label_proba, target_proba = self.backend.predict_proba(analyses)
        return [
            self._decide(analysis, label_proba[i], target_proba[i]) for i, analysis in enumerate(analyses)
        ]

    def _decide(self, analysis: Analysis, label_proba: np.ndarray, target_proba: np.ndarray) -> Verdict:
        if analysis.original.strip():
            analysis.probabilities = combine(analysis, label_proba)
            analysis.flags = decide_flags(analysis.probabilities, self.config.thresholds)
            analysis.target = decide_target(analysis, target_proba)
        else:
            analysis.probabilities = dict.fromkeys(LABELS, 0.0)
            analysis.notes.append("empty text")
        analysis.severity, analysis.severity_score = assess_severity(analysis)
        analysis.spans = explain(analysis, self.backend)
        analysis.legal = legal_indications(analysis)
        return Verdict(
            language=analysis.language,
            labels=analysis.probabilities,
            flags=analysis.flags,
            severity=analysis.severity,
            severity_score=analysis.severity_score,
            target=analysis.target,
            spans=analysis.spans,
            legal=analysis.legal,
            model=self.model_info,
            truncated=analysis.truncated,
            notes=analysis.notes,
        )
