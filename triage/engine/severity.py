"""Severity per the rubric in ../shared/docs/domain.md, and a score that orders the queue.

The level is the highest that any flag earns; the score lies in the level's band of width 0.2
(none [0, 0.2), low [0.2, 0.4), ... critical [0.8, 1.0]), placed inside the band by the confidence
of the flags that earned the level. So a higher level always has a higher score, and adding a
threat or an address can only raise the level.
"""

from __future__ import annotations

from typing import Final

from triage.engine.analysis import Analysis
from triage.engine.labels import ATTACK_LABELS, Severity, severity_rank

BAND: Final = 0.2
# Insult hits at or above this weight are severe (dehumanising) insults.
SEVERE_INSULT_WEIGHT: Final = 0.9
# Within the `none` band, how much the profanity probability counts next to the attack labels.
PROFANITY_WEIGHT: Final = 0.5


def _level(analysis: Analysis) -> tuple[Severity, tuple[str, ...]]:
    """The level and the labels that earned it."""
    flags = set(analysis.flags)
    specific = bool(analysis.active_hits("cue:specific"))
    named = bool(analysis.active_hits("cue:recipient") or analysis.active_hits("cue:role"))
    if "threat" in flags and ("doxxing" in flags or specific):
        return "critical", ("threat", "doxxing")
    if "incitement" in flags and named and specific:
        return "critical", ("incitement",)
    high = tuple(label for label in ("threat", "incitement", "doxxing") if label in flags)
    if high:
        return "high", high
    severe_insult = any(hit.weight >= SEVERE_INSULT_WEIGHT for hit in analysis.active_hits("insult"))
    medium = tuple(label for label in ("identity_hate", "sexual") if label in flags)
    if medium or ("insult" in flags and severe_insult):
        return "medium", medium or ("insult",)
    if "insult" in flags:
        return "low", ("insult",)
    if "profanity" in flags and analysis.target in ("person", "office"):
        return "low", ("profanity",)
    return "none", tuple(sorted(ATTACK_LABELS))


def assess_severity(analysis: Analysis) -> tuple[Severity, float]:
    level, earned_by = _level(analysis)
    confidence = max((analysis.probabilities.get(label, 0.0) for label in earned_by), default=0.0)
    if level == "none":  # vulgarity makes an unflagged message worth reading sooner
        confidence = max(confidence, PROFANITY_WEIGHT * analysis.probabilities.get("profanity", 0.0))
    score = severity_rank(level) * BAND + BAND * min(max(confidence, 0.0), 0.999)
    return level, round(score, 4)
