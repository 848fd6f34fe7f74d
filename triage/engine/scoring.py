"""From model probabilities and rule evidence to final label probabilities and flags.

The most severe labels need evidence in the text itself: the model alone, reading style and
function words, may not call a message a threat when nothing in it speaks of violence, doxxing
when it holds no personal data, or identity hate when no identity group (or slur) is named — the
model never sees the group words, it judges the hostility of what is said. Without such evidence
the model's probability for those labels is damped; with it, the model and the rules combine by
noisy-OR.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np

from triage.engine.analysis import Analysis
from triage.engine.labels import LABELS

EVIDENCE_REQUIRED: Final[dict[str, frozenset[str]]] = {
    "threat": frozenset({"threat", "incitement", "cue:violence", "cue:violence_emoji"}),
    "incitement": frozenset({"incitement", "threat", "cue:violence", "cue:violence_emoji"}),
    "doxxing": frozenset({"doxxing", "cue:specific"}),
    "identity_hate": frozenset({"identity_hate", "cue:group"}),
}
UNSUPPORTED_FACTOR: Final = 0.75
# Hostility with no group named is an insult, not identity hate.
UNSUPPORTED_FACTORS: Final[dict[str, float]] = {"identity_hate": 0.3}
# When the rules saw a label's construction only negated, quoted, reported or figurative, the
# model (which reads the same words without their scope) is damped for that label.
SUPPRESSED_FACTOR: Final = 0.3
# A message of fewer words than this, with no rule evidence, is too short for the model alone.
SHORT_MESSAGE_WORDS: Final = 3
SHORT_FACTOR: Final = 0.5
_WORD = re.compile(r"[^\W\d_]{2,}")


def combine(analysis: Analysis, model_probabilities: np.ndarray) -> dict[str, float]:
    """Noisy-OR of the (damped where unsupported) model probability and the strongest active rule."""
    strongest = dict.fromkeys(LABELS, 0.0)
    present, suppressed = set(), set()
    for hit in analysis.hits:
        if not hit.active:
            suppressed.add(hit.label)
            continue
        present.add(hit.label)
        if hit.label in strongest:
            strongest[hit.label] = max(strongest[hit.label], hit.weight)
    short = not any(strongest.values()) and _word_count(analysis) < SHORT_MESSAGE_WORDS
    combined: dict[str, float] = {}
    for i, label in enumerate(LABELS):
        model = float(model_probabilities[i])
        required = EVIDENCE_REQUIRED.get(label)
        if required is not None and not required & present:
            factor = UNSUPPORTED_FACTORS.get(label, UNSUPPORTED_FACTOR)
            if required & suppressed:  # the evidence is there, but negated, quoted or figurative
                factor = min(factor, SUPPRESSED_FACTOR)
            model *= factor
        if short:
            model *= SHORT_FACTOR
        if label in suppressed and label not in present:
            model *= SUPPRESSED_FACTOR
        if label == "identity_hate" and "cue:defence" in present and not strongest[label]:
            model *= SUPPRESSED_FACTOR  # the group is defended against the claim the model reacts to
        combined[label] = 1.0 - (1.0 - model) * (1.0 - strongest[label])
    return combined


def _word_count(analysis: Analysis) -> int:
    normalized = analysis.normalized
    return len(_WORD.findall(normalized.text, 0, 200)) if normalized is not None else 0


def decide_flags(probabilities: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    return [label for label in LABELS if probabilities[label] >= thresholds[label]]
