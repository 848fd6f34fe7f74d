"""Which messages would teach the next model most: where it is least sure, or disagrees with the rules.

For each message, per label: how close the final probability lies to the label's threshold
(1 at the threshold, 0 at MARGIN or further away), and whether the statistical model and the rules
disagree (a rule fires but the model's own probability is low, or the model is confident of an
attack label that no rule or cue supports). The priority orders the reviewers' "to label" queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from triage.engine.labels import ATTACK_LABELS, LABELS
from triage.engine.scoring import EVIDENCE_REQUIRED, combine

if TYPE_CHECKING:
    from triage.engine import Engine

MARGIN: Final = 0.2
MODEL_LOW: Final = 0.2
MODEL_HIGH: Final = 0.8
DISAGREEMENT_WEIGHT: Final = 0.5


@dataclass(slots=True)
class Uncertainty:
    priority: float
    closeness: float
    disagreements: list[str] = field(default_factory=list)
    near_threshold: list[str] = field(default_factory=list)


def assess_uncertainty(engine: Engine, texts: Sequence[str]) -> list[Uncertainty]:
    if not texts:
        return []
    analyses = engine.analyzer.analyse_many(texts)
    label_proba, _ = engine.backend.predict_proba(analyses)
    results = []
    for i, analysis in enumerate(analyses):
        if not analysis.original.strip():
            results.append(Uncertainty(priority=0.0, closeness=0.0))
            continue
        final = combine(analysis, label_proba[i])
        rule_labels = {hit.label for hit in analysis.active_hits()}
        closeness = 0.0
        near: list[str] = []
        disagreements: list[str] = []
        for j, label in enumerate(LABELS):
            threshold = engine.config.thresholds[label]
            close = max(0.0, 1.0 - abs(final[label] - threshold) / MARGIN)
            closeness = max(closeness, close)
            if close > 0.5:
                near.append(label)
            model = float(label_proba[i, j])
            if label in rule_labels and model < MODEL_LOW:
                disagreements.append(f"rules say {label}, the model does not")
            support = EVIDENCE_REQUIRED.get(label, frozenset({label}))
            if label in ATTACK_LABELS and model > MODEL_HIGH and not (support | {label}) & rule_labels:
                disagreements.append(f"the model says {label}, no rule supports it")
        priority = closeness + (DISAGREEMENT_WEIGHT if disagreements else 0.0)
        results.append(Uncertainty(priority, closeness, disagreements, near))
    return results
