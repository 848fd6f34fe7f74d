"""Phrase patterns (patterns.tsv): regular expressions with macros, each run only on messages that
contain one of its anchor words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from triage.engine.analysis import CUE_LABELS, Negation
from triage.engine.labels import LABELS
from triage.engine.rules.anchors import (
    DIGIT,
    AnchorIndex,
    LiteralGates,
    Requirements,
    derive_anchors,
    gate_pieces,
    required_literals,
)
from triage.engine.rules.tsv import RuleResourceError, read_rows, split_list

VALID_LABELS: Final = frozenset(LABELS) | CUE_LABELS
FLAGS: Final = frozenset({"neg_ok", "slur", "contact", "cased", "digits", "at"})
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
    def negation(self) -> Negation:
        if "slur" in self.flags:
            return "never"
        return "before" if "neg_ok" in self.flags else "before_or_inside"

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
    """A regex matching any of the words, the longest where several match, as a trie: words that
    share a beginning share its branch ("mos(?:lim(?:a|s)?|kee)"), so the regex engine tries one
    branch per letter instead of every word (about four times faster for the ~200 group words)."""
    trie: _Trie = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _branches(trie) + ")"


_Trie = dict[str, "_Trie"]


def _branches(node: _Trie) -> str:
    """The regex of a trie node; a word ending here is the last, optional choice (longest first)."""
    parts = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?"


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
    """All patterns, each compiled alone and run only on messages that can match it: its anchor
    words are among the tokens (anchors.py), the literal strings every match contains are in the
    text (`required_literals`), and so are a digit or "@" where its flags say so. All these
    conditions share one bit layout (`Requirements`), so one pass over the bits finds the few
    patterns to run."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self._compiled = [re.compile(pattern.regex, _FLAGS) for pattern in patterns]
        anchors = [derive_anchors(pattern.regex) for pattern in patterns]
        gates: list[list[tuple[str, ...]]] = []
        self._cased_gates: list[tuple[tuple[str, ...], ...]] = []
        for pattern in patterns:
            found = required_literals(pattern.regex, _FLAGS)
            cased = "cased" in pattern.flags  # its literals are checked on the cased text, directly
            self._cased_gates.append(tuple(found) if cased else ())
            own = [] if cased else [gate for gate in found if gate_pieces([gate])]
            if "digits" in pattern.flags:
                own.append((DIGIT,))
            if "at" in pattern.flags:
                own.append(("@",))
            gates.append(own)
        self._requirements = Requirements([len(a) + len(g) for a, g in zip(anchors, gates, strict=True)])
        layout = self._requirements.bits
        self._index = AnchorIndex(anchors, [bits[: len(a)] for a, bits in zip(anchors, layout, strict=True)])
        self._gates = LiteralGates(gates, [bits[len(a) :] for a, bits in zip(anchors, layout, strict=True)])
        self._plans = [
            (pattern, compiled.finditer, "cased" in pattern.flags, cased_gates)
            for pattern, compiled, cased_gates in zip(
                patterns, self._compiled, self._cased_gates, strict=True
            )
        ]

    @property
    def index(self) -> AnchorIndex:
        """Token bits for `scan` (`index.token_mask`)."""
        return self._index

    def finditer(self, text: str, cased: str, tokens: Iterable[str]) -> Iterator[tuple[Pattern, int, int]]:
        return self.scan(text, cased, self._index.mask(tokens))

    def scan(self, text: str, cased: str, mask: int) -> Iterator[tuple[Pattern, int, int]]:
        """Matches of the patterns that can match, in pattern order; `mask` is the OR of the
        message's token bits (`index.token_mask`)."""
        candidates = self._requirements.satisfied(mask | self._gates.present(text))
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
