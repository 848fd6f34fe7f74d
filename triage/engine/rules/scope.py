"""Scope: why a hit does not count as an attack (negated, asked, quoted, reported, figurative,
or the speaker's own identity word).

Cue regexes come from scope.tsv, one combined regex per kind. The context of a message is
computed once, lazily, and only when the message has hits to scope.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final

from triage.engine.analysis import Negation, Suppression
from triage.engine.rules.anchors import (
    AnchorIndex,
    LiteralGates,
    bit_indices,
    derive_anchors,
    required_literals,
)
from triage.engine.rules.patterns import expand
from triage.engine.rules.tsv import RuleResourceError, read_rows

SCOPE_KINDS: Final = frozenset(
    {
        "negator",
        "question",
        "speech",
        "counter",
        "counter_frame",
        "reporting",
        "figurative",
        "figurative_context",
        "contest",
        "game_context",
        "civil",
        "self",
        "verb_use",
    }
)
# The labels a single identity word carries; a speaker's own identity word ("als trotse flikker",
# "wij autisten") or the slur word used as a verb ("flikker op") does not carry them.
_WORD_LABELS: Final = frozenset({"identity_hate", "insult"})
# Dutch puts the negation after the object in a main clause: "ik haat homo's niet".
_NEGATED_AFTER = re.compile(
    r"[ \t]+(?:echt[ \t]+|helemaal[ \t]+|totaal[ \t]+)?(?:niet|nooit)\b(?![ \t]+(?:alleen|enkel|normaal|zomaar|meer[ \t]+dan))"
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_WORD_START = re.compile(r"\w")
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:als|maar|want|tenzij|anders|omdat|zodat|dan|of|terwijl|hoewel)\b")
# Double or single quotes; inside single quotes an apostrophe between letters (homo's, zo'n) is text.
_QUOTE = re.compile(r"\"[^\"\n]{1,400}\"|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){2,400}?'(?!\w)")


class ScopeRules:
    """The scope cues of scope.tsv, each regex gated by its anchor words and required literals."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rule_ids = frozenset(rule_id for rule_id, _, _ in rows)
        self.kinds = [kind for _, kind, _ in rows]
        self.regexes = [re.compile(regex, re.MULTILINE) for _, _, regex in rows]
        self.index = AnchorIndex([derive_anchors(regex) for _, _, regex in rows])
        self.gates = LiteralGates([required_literals(regex, re.MULTILINE) for _, _, regex in rows])
        self._kind_masks: dict[str, int] = {}
        for position, kind in enumerate(self.kinds):
            self._kind_masks[kind] = self._kind_masks.get(kind, 0) | (1 << position)

    def context(self, text: str, tokens: Iterable[str]) -> Context:
        return Context(text, self, self.index.mask(tokens))

    def find(self, kind: str, text: str, candidates: int) -> list[tuple[int, int]]:
        """Spans of the cues of one kind among the candidate regexes (a bit mask), in row order."""
        found: list[tuple[int, int]] = []
        regexes = self.regexes
        for index in bit_indices(candidates & self._kind_masks.get(kind, 0)):
            found.extend(match.span() for match in regexes[index].finditer(text))
        return found


def load_scope(path: Path, macros: dict[str, str]) -> ScopeRules:
    rows = []
    for row in read_rows(path):
        kind = row["kind"]
        if kind not in SCOPE_KINDS:
            raise RuleResourceError(f"{row.source}: unknown scope kind {kind!r}")
        rows.append((row["id"], kind, expand(row["pattern"], macros, row.source)))
    missing = SCOPE_KINDS - {kind for _, kind, _ in rows}
    if missing:
        raise RuleResourceError(f"{path.name}: no rows for {sorted(missing)}")
    return ScopeRules(rows)


@dataclass
class Context:
    """What scoping needs to know about one message, each piece computed on first use.

    `mask` holds the anchor bits of the message's tokens (`ScopeRules.index`)."""

    text: str
    rules: ScopeRules
    mask: int
    _found: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @cached_property
    def _candidates(self) -> int:
        rules = self.rules
        return rules.index.candidate_mask(self.mask) & rules.gates.passing(self.text)

    @property
    def candidates(self) -> set[int]:
        return set(bit_indices(self._candidates))

    def spans(self, kind: str) -> list[tuple[int, int]]:
        found = self._found.get(kind)
        if found is None:
            found = self.rules.find(kind, self.text, self._candidates)
            self._found[kind] = found
        return found

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return [match.span() for match in _SENTENCE.finditer(self.text)] or [(0, len(self.text))]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    @cached_property
    def clause_breaks(self) -> list[int]:
        return [match.end() for match in _CLAUSE_BREAK.finditer(self.text)]

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        text = self.text
        if '"' not in text and "'" not in text:  # what every quote needs
            return []
        return [match.span() for match in _QUOTE.finditer(text)]

    def sentence(self, position: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self._sentence_starts, position) - 1, 0)
        return self.sentences[index]

    def clause_start(self, position: int) -> int:
        sentence_start = self.sentence(position)[0]
        index = bisect.bisect_right(self.clause_breaks, position) - 1
        return max(sentence_start, self.clause_breaks[index]) if index >= 0 else sentence_start

    def _any(self, kind: str, start: int, end: int) -> bool:
        for s, e in self.spans(kind):  # noqa: SIM110 (a loop is faster than any() over a generator)
            if s < end and e > start:
                return True
        return False

    def _inside(self, kind: str, start: int, end: int) -> bool:
        """Whether a cue span of this kind contains the hit [start, end)."""
        return any(s <= start and end <= e for s, e in self.spans(kind))

    def _quote_around(self, start: int, end: int) -> tuple[int, int] | None:
        for q_start, q_end in self.quotes:
            if q_start <= start and end <= q_end:
                return q_start, q_end
        return None

    def _self_reference(self, start: int) -> bool:
        """Whether a first-person identification ("ik ben een", "wij", "als trotse") ends right
        before the hit."""
        return any(start - 2 <= e <= start and s < start for s, e in self.spans("self"))

    def suppression(
        self, start: int, end: int, label: str, negation: Negation = "before_or_inside"
    ) -> Suppression | None:
        """Why the hit [start, end) with this label does not count, or None when it does.

        Cue spans, sentences and clauses are computed only when a check needs them; a check whose
        cues are absent from the message is skipped (it could not have fired)."""
        text = self.text
        quote = self._quote_around(start, end) if self.quotes else None
        if quote is not None:
            outside = [(0, quote[0]), (quote[1], len(text))]
            if any(self._any("counter", s, e) for s, e in outside):
                return "counter_speech"
            if any(self._any("speech", s, e) or self._any("reporting", s, e) for s, e in outside):
                return "quotation"
        if label == "profanity":
            return None
        spans = self.spans
        if label in _WORD_LABELS and spans("self") and self._self_reference(start):
            return "self_reference"
        if label in _WORD_LABELS and spans("verb_use") and self._inside("verb_use", start, end):
            return "verb_use"  # the slur word is the verb ("flikker op"); a phrase around it still counts
        if (
            spans("counter")
            and self._any("counter", 0, len(text))
            and self._inside("counter_frame", start, end)
        ):
            return "counter_speech"
        sentence: tuple[int, int] | None = None
        if spans("reporting"):
            sentence = self.sentence(start)
            if self._any("reporting", *sentence):
                return "reporting"
        if self._any("figurative", start, end):
            return "figurative"
        if label in ("threat", "incitement"):
            # A political setting makes a contest verb figurative ("ik ga je politiek afmaken", not
            # "ik sla je in elkaar in de raad"); a game makes any violence in its sentence play.
            contest = spans("figurative_context") and self._any("contest", start, end)
            if contest or spans("game_context"):
                sentence = sentence or self.sentence(start)
                if (contest and self._any("figurative_context", *sentence)) or self._any(
                    "game_context", *sentence
                ):
                    return "figurative"
        if "?" in text and spans("question"):
            sentence_start, sentence_end = sentence or self.sentence(start)
            if text[sentence_start:sentence_end].rstrip().endswith("?") and self._any(
                "question", sentence_start, start + 1
            ):
                return "question"
        if negation == "never":
            return None
        if negation == "before_or_inside" and _NEGATED_AFTER.match(text, end):  # "ik haat homo's niet"
            return "negation"
        if spans("negator"):
            # A hit may begin with the punctuation or emoji before its first word (". pak ze",
            # "🔪 maar zaterdag"); its clause is the one of that word, not the one the mark ends.
            word = _WORD_START.search(text, start, end)
            start = word.start() if word else start
            starts_clause = _CLAUSE_BREAK.match(text, start) is not None  # "maar zaterdag ben je ..."
            negation_from = start if starts_clause else self.clause_start(start)
            negation_to = end if negation == "before_or_inside" else start
            if negation_to > negation_from and self._any("negator", negation_from, negation_to):
                return "negation"
        return None
