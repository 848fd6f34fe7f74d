"""Who a message is aimed at: a person, the office, a group, or no one."""

from __future__ import annotations

import numpy as np

from triage.engine.analysis import Analysis
from triage.engine.labels import ATTACK_LABELS, TARGETS, Target


def decide_target(analysis: Analysis, target_probabilities: np.ndarray) -> Target:
    """The model's most likely target, corrected by what the rules saw.

    An attack that names the recipient is aimed at a person; identity hate with no one addressed
    is aimed at a group.
    """
    target: Target = TARGETS[int(np.argmax(target_probabilities))]
    attacked = bool(ATTACK_LABELS & set(analysis.flags))
    if attacked and analysis.active_hits("cue:recipient"):
        return "person"
    if attacked and target == "none":
        addressed = analysis.active_hits("cue:second_person") or analysis.active_hits("cue:role")
        return "person" if addressed else "group"
    return target
