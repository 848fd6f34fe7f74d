"""The one object the engine's stages fill in turn, from the original text to the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from triage.engine.labels import Severity, Target
from triage.engine.verdict import LegalRef, Span

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

    from triage.engine.normalize import Normalized

CUES: Final = ("specific", "role", "second_person", "recipient", "group", "violence_emoji", "violence")
# Cues that only the scoring reads, not the model: a group defended against a derogatory claim
# ("transgenders zijn geen gevaar", "het is niet zo dat gehandicapten een last zijn").
SCORING_CUES: Final = ("defence",)
CUE_LABELS: Final = frozenset(f"cue:{cue}" for cue in (*CUES, *SCORING_CUES))

# Why a rule hit does not count as an attack.
# "negation", "question", "quotation", "counter_speech", "reporting", "figurative", "self_reference",
# "verb_use"
Suppression = str
# What a negation word does to a hit: "before_or_inside" suppresses it ("ik ga je heus niet slaan"),
# "before" only when it comes before the hit (a negation inside is part of it: "je gaat het niet
# overleven"), "never" for slurs (a slur stays a slur: "ik heb niks tegen negers").
Negation = Literal["before_or_inside", "before", "never"]


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One match of one rule. Offsets are in the NORMALISED text (`Analysis.normalized.text`).

    `label` is one of the seven labels, or a cue that other stages read:
    `cue:specific` (time, place, weapon or address that makes a threat concrete),
    `cue:role` (an official's role), `cue:second_person`, `cue:recipient` (the recipient's name),
    `cue:group` (an identity group mentioned), `cue:violence_emoji`, `cue:violence` (a violent act,
    weapon or death word anywhere: the evidence a threat needs).
    """

    rule_id: str
    label: str
    start: int
    end: int
    weight: float = 1.0
    suppressed: Suppression | None = None

    @property
    def active(self) -> bool:
        return self.suppressed is None


@dataclass(slots=True)
class Analysis:
    original: str
    recipient: str | None = None
    truncated: bool = False
    normalized: Normalized | None = None
    doc: Doc | None = None
    language: str = "und"
    hits: list[RuleHit] = field(default_factory=list)
    probabilities: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    target: Target = "none"
    severity: Severity = "none"
    severity_score: float = 0.0
    spans: list[Span] = field(default_factory=list)
    legal: list[LegalRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    word_view: str | None = None  # the lemma view the classifier reads (features.word_view)
    # Its TF-IDF row (columns, weights) as the classifier weighed it, for the explanation.
    word_row: tuple[np.ndarray, np.ndarray] | None = None

    def active_hits(self, label: str | None = None) -> list[RuleHit]:
        return [hit for hit in self.hits if hit.active and (label is None or hit.label == label)]
