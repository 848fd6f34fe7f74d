"""From model probabilities and rule evidence to final label probabilities and flags."""

from __future__ import annotations

import numpy as np

from triage.engine.analysis import Analysis
from triage.engine.labels import LABELS


def combine(analysis: Analysis, model_probabilities: np.ndarray) -> dict[str, float]:
    """Noisy-OR of the model's probability and the strongest active rule for each label."""
    strongest = dict.fromkeys(LABELS, 0.0)
    for hit in analysis.active_hits():
        if hit.label in strongest:
            strongest[hit.label] = max(strongest[hit.label], hit.weight)
    return {
        label: float(1.0 - (1.0 - model_probabilities[i]) * (1.0 - strongest[label]))
        for i, label in enumerate(LABELS)
    }


def decide_flags(probabilities: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    return [label for label in LABELS if probabilities[label] >= thresholds[label]]
