"""Phrase patterns (patterns.tsv): regular expressions with macros, each run only on messages that
contain one of its anchor words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from triage.engine.analysis import CUE_LABELS
from triage.engine.labels import LABELS
from triage.engine.rules.anchors import AnchorIndex, LiteralGates, derive_anchors, required_literals
from triage.engine.rules.tsv import RuleResourceError, read_rows, split_list

VALID_LABELS: Final = frozenset(LABELS) | CUE_LABELS
FLAGS: Final = frozenset({"neg_ok", "contact", "cased", "digits", "at"})
_DIGIT = re.compile(r"\d")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_FLAGS = re.MULTILINE


@dataclass(frozen=True, slots=True)
class Pattern:
    rule_id: str
    labels: tuple[tuple[str, float], ...]
    flags: frozenset[str]
    regex: str  # macros expanded
    example: str

    @property
    def negation_ok(self) -> bool:
        return "neg_ok" in self.flags

    @property
    def contact(self) -> bool:
        return "contact" in self.flags


def expand(template: str, macros: Mapping[str, str], source: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise RuleResourceError(f"{source}: unknown macro {{{name}}}")
        return macros[name]

    return _MACRO.sub(replace, template)


def alternation(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)) + ")"


def load_macros(folder: Path, extra: Mapping[str, str]) -> dict[str, str]:
    macros = dict(extra)
    for row in read_rows(folder / "macros.tsv"):
        macros[row["name"]] = expand(row["regex"], macros, row.source)
    return macros


def load_patterns(path: Path, macros: Mapping[str, str]) -> list[Pattern]:
    patterns = []
    for row in read_rows(path):
        labels = split_list(row["labels"])
        weights = [float(w) for w in split_list(row["weights"])]
        if len(weights) == 1:
            weights *= len(labels)
        if not labels or len(weights) != len(labels) or any(label not in VALID_LABELS for label in labels):
            raise RuleResourceError(
                f"{row.source}: bad labels {row['labels']!r} or weights {row['weights']!r}"
            )
        flags = frozenset(split_list(row["flags"]))
        if flags - FLAGS:
            raise RuleResourceError(f"{row.source}: unknown flags {sorted(flags - FLAGS)}")
        regex = expand(row["pattern"], macros, row.source)
        try:
            compiled = re.compile(regex, _FLAGS)
        except re.error as error:
            raise RuleResourceError(f"{row.source}: {error}") from error
        if compiled.groups:
            raise RuleResourceError(f"{row.source}: use (?:...) groups only")
        patterns.append(
            Pattern(row["id"], tuple(zip(labels, weights, strict=True)), flags, regex, row["example"])
        )
    return patterns


class PatternSet:
    """All patterns, each compiled alone, gated by its anchor words (see anchors.py) and by the
    literal strings a match must contain (`required_literals`), so most never scan a message."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self._compiled = [re.compile(pattern.regex, _FLAGS) for pattern in patterns]
        self._index = AnchorIndex([derive_anchors(pattern.regex) for pattern in patterns])
        gates = [tuple(required_literals(pattern.regex, _FLAGS)) for pattern in patterns]
        # Gates of patterns over the lowercase text go through the chunk index; the few over the
        # cased text are checked directly.
        self._gates = LiteralGates(
            [() if "cased" in p.flags else g for p, g in zip(patterns, gates, strict=True)]
        )
        self._digits_mask = sum(1 << i for i, p in enumerate(patterns) if "digits" in p.flags)
        self._at_mask = sum(1 << i for i, p in enumerate(patterns) if "at" in p.flags)
        self._plans = [
            (pattern, compiled.finditer, "cased" in pattern.flags, g if "cased" in pattern.flags else ())
            for pattern, compiled, g in zip(patterns, self._compiled, gates, strict=True)
        ]

    @property
    def index(self) -> AnchorIndex:
        return self._index

    def finditer(self, text: str, cased: str, tokens: Iterable[str]) -> Iterator[tuple[Pattern, int, int]]:
        return self.scan(text, cased, self._index.mask(tokens))

    def scan(self, text: str, cased: str, mask: int) -> Iterator[tuple[Pattern, int, int]]:
        """Matches of the patterns whose anchor sets are all in `mask` (see AnchorIndex), in pattern order."""
        candidates = self._index.candidate_mask(mask) & self._gates.passing(text)
        if candidates & self._digits_mask and _DIGIT.search(text) is None:
            candidates &= ~self._digits_mask
        if candidates & self._at_mask and "@" not in text:
            candidates &= ~self._at_mask
        plans = self._plans
        while candidates:
            low = candidates & -candidates
            candidates ^= low
            pattern, finditer, use_cased, cased_gates = plans[low.bit_length() - 1]
            if use_cased:
                if cased_gates and not passes(cased_gates, cased):
                    continue
                subject = cased
            else:
                subject = text
            for match in finditer(subject):
                start, end = match.span()
                if end > start:
                    yield pattern, start, end


def passes(gates: tuple[tuple[str, ...], ...], text: str) -> bool:
    """Whether the text holds, for every gate, one of its strings."""
    for gate in gates:
        for string in gate:
            if string in text:
                break
        else:
            return False
    return True
