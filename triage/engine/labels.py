"""The label set, severity levels and targets: the vocabulary every stage shares."""

from __future__ import annotations

from typing import Final, Literal

Label = Literal["threat", "incitement", "doxxing", "sexual", "identity_hate", "insult", "profanity"]
Severity = Literal["none", "low", "medium", "high", "critical"]
Target = Literal["person", "office", "group", "none"]

LABELS: Final[tuple[Label, ...]] = (
    "threat",
    "incitement",
    "doxxing",
    "sexual",
    "identity_hate",
    "insult",
    "profanity",
)
ATTACK_LABELS: Final[frozenset[str]] = frozenset(LABELS) - {"profanity"}
SEVERITIES: Final[tuple[Severity, ...]] = ("none", "low", "medium", "high", "critical")
TARGETS: Final[tuple[Target, ...]] = ("person", "office", "group", "none")


_RANK: Final[dict[str, int]] = {level: rank for rank, level in enumerate(SEVERITIES)}


def severity_rank(level: str) -> int:
    return _RANK[level]
