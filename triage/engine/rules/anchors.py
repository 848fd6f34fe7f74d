"""Gating regexes by anchor words, so a message only runs the few patterns that can match it.

For each regex the anchor sets are derived from its parse tree: every required alternation of
literals that starts a word (after `\\b`, `\\s` or at the start) is one set. A pattern can only
match a text where each of its sets has a token starting with one of its anchors; patterns
without a usable set always run. The
`example` column of every pattern is tested, which guards the derivation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Final

from triage.engine.rules.derivations import memoised

_COMMON: Final = frozenset(
    [
        "je",
        "jij",
        "jou",
        "jouw",
        "u",
        "uw",
        "jullie",
        "ik",
        "we",
        "wij",
        "ze",
        "zij",
        "hij",
        "hem",
        "haar",
        "hun",
        "de",
        "het",
        "een",
        "die",
        "dat",
        "dit",
        "in",
        "op",
        "aan",
        "te",
        "er",
        "om",
        "met",
        "voor",
        "van",
        "en",
        "is",
        "zijn",
        "niet",
        "dan",
        "als",
        "wat",
        "maar",
        "ga",
        "gaat",
        "gaan",
        "zal",
        "wil",
        "kom",
        "moet",
        "k",
        "ge",
        "gij",
        "bent",
        "ben",
    ]
)
_WHITESPACE = (sre_constants.CATEGORY_SPACE,)


_MAX_PREFIXES: Final = 2000


def _expand(items: list[Any], prefixes: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Extend (prefix, still open) pairs with the literal text the items can start with."""
    for op, av in items:
        if not any(is_open for _, is_open in prefixes) or len(prefixes) > _MAX_PREFIXES:
            return [(prefix, False) for prefix, _ in prefixes]
        closed = [(prefix, False) for prefix, is_open in prefixes if not is_open]
        opened = [prefix for prefix, is_open in prefixes if is_open]
        if op is sre_constants.LITERAL:
            prefixes = [(prefix + chr(av), True) for prefix in opened] + closed
        elif op is sre_constants.IN and all(kind is sre_constants.LITERAL for kind, _ in av):
            prefixes = [(prefix + chr(value), True) for prefix in opened for _, value in av] + closed
        elif op is sre_constants.BRANCH:
            prefixes = closed + [
                pair for prefix in opened for b in av[1] for pair in _expand(list(b), [(prefix, True)])
            ]
        elif op is sre_constants.SUBPATTERN:
            prefixes = _expand(list(av[-1]), prefixes)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            # at least one repetition (oe+h): its text is there once, what follows is unknown
            prefixes = [(prefix, False) for prefix, _ in _expand(list(av[2]), prefixes)]
        else:
            prefixes = [(prefix, False) for prefix, _ in prefixes]
    return prefixes


def _gate_expand(items: list[Any], prefixes: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Like `_expand`, for gates: stops (closing every prefix, which keeps it a true prefix) as
    soon as the alternatives would pass `_GATE_PREFIXES`, so long word lists stay cheap."""
    for op, av in items:
        opened = [prefix for prefix, is_open in prefixes if is_open]
        if not opened:
            return prefixes
        closed = [(prefix, False) for prefix, is_open in prefixes if not is_open]
        if op is sre_constants.LITERAL:
            prefixes = [(prefix + chr(av), True) for prefix in opened] + closed
        elif (
            op is sre_constants.IN
            and all(kind is sre_constants.LITERAL for kind, _ in av)
            and len(opened) * len(av) <= _GATE_PREFIXES
        ):
            prefixes = [(prefix + chr(value), True) for prefix in opened for _, value in av] + closed
        elif op is sre_constants.BRANCH and len(opened) * len(av[1]) <= _GATE_PREFIXES:
            prefixes = closed + [
                pair for prefix in opened for b in av[1] for pair in _gate_expand(list(b), [(prefix, True)])
            ]
            if len(prefixes) > _GATE_PREFIXES:
                return [(prefix, False) for prefix, _ in prefixes]
        elif op is sre_constants.SUBPATTERN:
            prefixes = _gate_expand(list(av[-1]), prefixes)
        else:
            return [(prefix, False) for prefix, _ in prefixes]
    return prefixes


_GATE_PREFIXES: Final = 256


def _is_space_repeat(op: Any, av: Any) -> bool:
    if op not in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        return False
    body = list(av[2])
    return (
        len(body) == 1
        and body[0][0] is sre_constants.IN
        and any(item == (sre_constants.CATEGORY, sre_constants.CATEGORY_SPACE) for item in body[0][1])
    )


def _score(anchors: frozenset[str]) -> int:
    words = {anchor.split(" ")[0] for anchor in anchors}
    if any(word in _COMMON for word in words):
        return 0
    return min(len(word) if word.isalnum() else 3 for word in words)


@lru_cache(maxsize=512)
def _parse(regex: str, flags: int) -> Any:
    """The parse tree of a regex (shared by the derivations here, which only read it)."""
    return sre_parse.parse(regex, flags)


def derive_anchors(regex: str) -> list[frozenset[str]]:
    return memoised(
        "anchors",
        regex,
        lambda: _derive_anchors(regex),
        lambda value: [sorted(words) for words in value],
        lambda data: [frozenset(words) for words in data],
    )


def _derive_anchors(regex: str) -> list[frozenset[str]]:
    """Anchor sets of a regex: a text can only match if, for every set, one of its tokens starts
    with one of the set's anchors. An empty list means the regex must always run."""
    try:
        parsed = _parse(regex, re.MULTILINE)
    except re.error:
        return []
    items = list(parsed)
    bare = len(items) == 1 and items[0][0] is sre_constants.BRANCH  # taken to start a word
    if _sole_branch(items, at_word_start=bare) is not None:  # alternatives: one set
        best = _best_set(items, at_word_start=bare)
        return [best] if best is not None else []
    return _required_sets(items)


def _best_set(items: list[Any], at_word_start: bool) -> frozenset[str] | None:
    """For alternatives (`\\b(?:a|b|c)\\b`, nested ones too): the union of each alternative's most
    selective set; for anything else its most selective required set. None when one has none."""
    branch = _sole_branch(items, at_word_start)
    if branch is None:
        found = _required_sets(items)
        return max(found, key=_score) if found else None
    union: set[str] = set()
    for alternative in branch[1]:
        best = _best_set(list(alternative), at_word_start=True)
        if best is None:
            return None
        union |= best
    return frozenset(union)


def _sole_branch(items: list[Any], at_word_start: bool) -> Any:
    """The alternation when the items are one, alone or between word boundaries and lookarounds
    (`\\b(?!x)(?:a|b|c)\\b`), and its alternatives start a word; else None."""
    zero_width = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
    core = [position for position, (op, _) in enumerate(items) if op not in zero_width]
    if len(core) != 1:
        return None
    if not at_word_start and (sre_constants.AT, sre_constants.AT_BOUNDARY) not in items[: core[0]]:
        return None  # the alternatives must start a word, as anchors do
    op, av = items[core[0]]
    if op is sre_constants.SUBPATTERN and len(av[-1]) == 1:  # a capturing group around them
        op, av = next(iter(av[-1]))
    return av if op is sre_constants.BRANCH else None


def _required_sets(items: list[Any]) -> list[frozenset[str]]:
    sets: list[frozenset[str]] = []
    word_start = True
    for position, (op, av) in enumerate(items):
        if op is sre_constants.AT:
            word_start = av in (sre_constants.AT_BOUNDARY, sre_constants.AT_BEGINNING)
            continue
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue  # a lookaround takes no text: what follows starts where it stands
        if _is_space_repeat(op, av):
            word_start = av[0] >= 1  # after an optional space (er\\s?aan) the word may go on
            continue
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] == 0:
            # optional: the next item starts a word whether it is there or not only if it ends in a space
            word_start = word_start and _ends_with_space(list(av[2]))
            continue
        if word_start:
            cut = {prefix.split(" ")[0] for prefix, _ in _expand(items[position:], [("", True)])}
            if cut and all(len(anchor) >= 2 or (anchor and not anchor.isalnum()) for anchor in cut):
                sets.append(frozenset(cut))
        word_start = (op is sre_constants.LITERAL and chr(av).isspace()) or (
            op in (sre_constants.SUBPATTERN, sre_constants.BRANCH) and _ends_with_space([(op, av)])
        )
    return sets


def _ends_with_space(items: Any) -> bool:
    items = list(items)
    if not items:
        return False
    op, av = items[-1]
    if op is sre_constants.BRANCH:
        return all(_ends_with_space(list(branch)) for branch in av[1])
    if op is sre_constants.SUBPATTERN:
        return _ends_with_space(list(av[-1]))
    return _is_space_repeat(op, av)


class Requirements:
    """Bits for "regex i needs all of its k conditions": the first condition of regex `i` is bit
    `i`, further ones take bits after all regexes; `satisfied(mask)` has bit `i` set when every
    condition of regex `i` is in `mask` (always for a regex without conditions)."""

    def __init__(self, counts: Sequence[int]) -> None:
        size = len(counts)
        self.bits: list[list[int]] = []
        extra = size
        for index, count in enumerate(counts):
            self.bits.append([index, *range(extra, extra + count - 1)] if count else [])
            extra += max(count - 1, 0)
        self._always = sum(1 << i for i, count in enumerate(counts) if count == 0)
        self._single = sum(1 << i for i, count in enumerate(counts) if count == 1)
        self._multi = sum(1 << i for i, count in enumerate(counts) if count > 1)
        self._needs = [sum(1 << bit for bit in bits) for bits in self.bits]

    def satisfied(self, mask: int) -> int:
        result = self._always | (mask & self._single)
        multi = mask & self._multi
        needs = self._needs
        while multi:
            low = multi & -multi
            multi ^= low
            need = needs[low.bit_length() - 1]
            if mask & need == need:
                result |= low
        return result


class AnchorIndex:
    """Maps the tokens of a message to the indices of the regexes that can match it.

    Every (regex, anchor set) pair is one bit (see `Requirements`; `bits` gives the layout when
    the bits are shared with other conditions). A token's bits are cached; a message's mask is the
    OR of its tokens' bits."""

    def __init__(
        self, anchors: Sequence[list[frozenset[str]]], bits: Sequence[Sequence[int]] | None = None
    ) -> None:
        self.always: frozenset[int] = frozenset(i for i, sets in enumerate(anchors) if not sets)
        self._requirements = Requirements([len(sets) for sets in anchors])
        bits_of: dict[str, int] = defaultdict(int)
        for sets, set_bits in zip(anchors, bits or self._requirements.bits, strict=True):
            for anchor_set, bit in zip(sets, set_bits, strict=False):
                for anchor in anchor_set:
                    bits_of[anchor] |= 1 << bit
        self._bits_of = dict(bits_of)  # anchor -> the bits of every set it belongs to
        self._lengths = sorted({len(anchor) for anchor in bits_of})
        self._cache: dict[str, int] = {}

    def token_mask(self, token: str) -> int:
        """The bits of the anchor sets that this token satisfies (it starts with one of their anchors):
        each prefix of the token whose length some anchor has is looked up once."""
        cached = self._cache.get(token)
        if cached is None:
            cached = 0
            bits_of = self._bits_of
            size = len(token)
            for length in self._lengths:
                if length > size:
                    break
                cached |= bits_of.get(token[:length], 0)
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[token] = cached
        return cached

    def mask(self, tokens: Iterable[str]) -> int:
        mask = 0
        token_mask = self.token_mask
        for token in tokens:
            mask |= token_mask(token)
        return mask

    def candidate_mask(self, mask: int) -> int:
        """Bit `i` set when regex `i` can match a message whose tokens give `mask` (own layout)."""
        return self._requirements.satisfied(mask)

    def candidates(self, tokens: Iterable[str]) -> set[int]:
        return set(bit_indices(self.candidate_mask(self.mask(tokens))))


DIGIT: Final = " digit "  # a gate "string" for any decimal digit (\d); no real string has spaces at both ends


class LiteralGates:
    """Per regex, its gates from `required_literals`, checked through the whitespace-separated
    chunks of a text: a string without whitespace occurs in a text only inside one chunk, and a
    string with whitespace is gated by its longest whitespace-free piece. The bits of a chunk are
    cached; `passing(text)` has bit `i` set when every gate of regex `i` holds (own layout), and
    `present(text)` gives the raw bits (for a layout shared through `bits`). The gate `(DIGIT,)`
    needs a decimal digit anywhere in the text."""

    def __init__(
        self, gates: Sequence[Sequence[tuple[str, ...]]], bits: Sequence[Sequence[int]] | None = None
    ) -> None:
        self.pieces = [gate_pieces(regex_gates) for regex_gates in gates]
        self._requirements = Requirements([len(regex_gates) for regex_gates in self.pieces])
        bits_of: dict[str, int] = defaultdict(int)
        for regex_gates, gate_bits in zip(self.pieces, bits or self._requirements.bits, strict=True):
            for gate, bit in zip(regex_gates, gate_bits, strict=True):
                for piece in gate:
                    bits_of[piece] |= 1 << bit
        self._digit_bits = bits_of.pop(DIGIT, 0)
        self._short = [(piece, mask) for piece, mask in bits_of.items() if len(piece) < 3]
        self._short_starts = frozenset(piece[0] for piece, _ in self._short)
        by_head: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for piece, mask in bits_of.items():
            if len(piece) >= 3:
                by_head[piece[:3]].append((piece, mask))
        self._by_head = dict(by_head)
        self._cache: dict[str, int] = {}

    def _chunk_bits(self, chunk: str) -> int:
        bits = self._digit_bits if self._digit_bits and _DIGIT.search(chunk) else 0
        if not self._short_starts.isdisjoint(chunk):  # most chunks hold none of their characters
            for piece, piece_bits in self._short:
                if piece in chunk:
                    bits |= piece_bits
        by_head = self._by_head
        for position in range(len(chunk) - 2):
            for piece, piece_bits in by_head.get(chunk[position : position + 3], ()):
                if chunk.startswith(piece, position):
                    bits |= piece_bits
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[chunk] = bits
        return bits

    def present(self, text: str) -> int:
        present = 0
        cache = self._cache
        for chunk in text.split():
            bits = cache.get(chunk)
            present |= self._chunk_bits(chunk) if bits is None else bits
        return present

    def passing(self, text: str) -> int:
        return self._requirements.satisfied(self.present(text))


_DIGIT: Final = re.compile(r"\d")


def gate_pieces(gates: Sequence[tuple[str, ...]]) -> list[frozenset[str]]:
    """Gates as whitespace-free pieces (see LiteralGates); a gate that has none is left out."""
    return [gate for gate in (_pieces(gate) for gate in gates) if gate]


_CACHE_LIMIT: Final = 100_000


def _pieces(gate: tuple[str, ...]) -> frozenset[str]:
    """The gate with each string cut to its longest whitespace-free piece (empty if one has none)."""
    if gate == (DIGIT,):
        return frozenset(gate)
    pieces = set()
    for string in gate:
        parts = string.split()
        if not parts:
            return frozenset()
        pieces.add(max(parts, key=len))
    return _minimal(frozenset(pieces))


def bit_indices(mask: int) -> Iterator[int]:
    """The positions of the set bits of `mask`, lowest first."""
    while mask:
        low = mask & -mask
        mask ^= low
        yield low.bit_length() - 1


def required_literals(regex: str, flags: int = re.MULTILINE) -> list[tuple[str, ...]]:
    return memoised(
        "literals",
        f"{flags}:{regex}",
        lambda: _required_literals(regex, flags),
        lambda value: [list(gate) for gate in value],
        lambda data: [tuple(gate) for gate in data],
    )


def _required_literals(regex: str, flags: int = re.MULTILINE) -> list[tuple[str, ...]]:
    """Gates for a regex: for each tuple, every text the regex matches contains one of its strings.

    Derived from the parse tree (literal runs of required items, unions over alternatives); the
    selective ones come first, cheapest first. Empty when nothing useful can be said (or case is
    folded)."""
    try:
        parsed = _parse(regex, flags)
    except re.error:
        return []
    if parsed.state.flags & re.IGNORECASE or _folds_case(list(parsed)):
        return []
    found = {_minimal(strings) for strings in _literal_sets(list(parsed))}
    useful = [
        strings
        for strings in found
        if _selectivity(strings) >= 3
        and len(strings) <= _MAX_GATE
        and not any(other != strings and _implies(other, strings) for other in found)
    ]
    useful.sort(key=lambda strings: (len(strings), -_selectivity(strings), sorted(strings)))
    return [tuple(sorted(strings, key=lambda s: (len(s), s), reverse=True)) for strings in useful[:2]]


_MAX_GATE: Final = 120
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def _folds_case(items: list[Any]) -> bool:
    for op, av in items:
        if op is sre_constants.SUBPATTERN:
            if av[1] & re.IGNORECASE or _folds_case(list(av[-1])):
                return True
        elif op is sre_constants.BRANCH:
            if any(_folds_case(list(branch)) for branch in av[1]):
                return True
        elif op in _REPEATS or op is sre_constants.ATOMIC_GROUP:
            if _folds_case(list(av[-1])):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and _folds_case(list(av[1])):
            return True
    return False


def _selectivity(strings: frozenset[str]) -> int:
    """How rare the rarest-looking string of a set is likely to be: its length, non-letters count 4."""
    return min(4 if not string.isalpha() else min(len(string), 4) for string in strings)


def _implies(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether a text holding a string of `first` always holds one of `second` (and `first` is
    the stricter gate: it is not implied back, or it is the smaller set)."""
    if not all(any(b in a for b in second) for a in first):
        return False
    back = all(any(a in b for a in first) for b in second)
    return not back or (len(first), sorted(first)) < (len(second), sorted(second))


def _preference(strings: frozenset[str]) -> tuple[int, int]:
    return _selectivity(strings), -len(strings)


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """Drop strings that contain another string of the set: the gate stays the same."""
    kept = set()
    for string in strings:
        size = len(string)
        inner = {string[i:j] for i in range(size) for j in range(i + 1, size + 1)}
        inner.discard(string)
        if inner.isdisjoint(strings):
            kept.add(string)
    return frozenset(kept)


def _literal_text(items: list[Any]) -> str | None:
    """The text a sequence of plain literals matches, None for anything else."""
    if not items or any(op is not sre_constants.LITERAL for op, _ in items):
        return None
    return "".join(chr(av) for _, av in items)


def _literal_sets(items: list[Any], nested: bool = False) -> list[frozenset[str]]:
    """Sets of strings such that every match of the item sequence contains one string of each.

    `nested`: the sequence is the body of a group whose own start strings the caller has (they
    extend this sequence's start strings, so those are implied and skipped)."""
    sets: list[frozenset[str]] = []
    after_literal = nested
    for position, (op, av) in enumerate(items):
        if not after_literal:  # inside a literal run the strings are suffixes of the run's: implied
            starts = {prefix for prefix, _ in _gate_expand(items[position:], [("", True)])}
            if starts and all(starts):
                sets.append(frozenset(starts))
        after_literal = op is sre_constants.LITERAL
        if op is sre_constants.SUBPATTERN:
            sets.extend(_literal_sets(list(av[-1]), nested=True))
        elif op in _REPEATS and av[0] >= 1:
            sets.extend(_literal_sets(list(av[2])))
        elif op is sre_constants.BRANCH:
            union: set[str] = set()
            literal = [_literal_text(list(branch)) for branch in av[1]]
            if all(literal):  # word lists: each alternative is its own best (and only) set
                union = {text for text in literal if text}
                sets.append(_minimal(frozenset(union)))
                continue
            for branch in av[1]:
                options = [_minimal(strings) for strings in _literal_sets(list(branch))]
                if not options:
                    union = set()
                    break
                chosen: frozenset[str] = max(options, key=_preference)
                union |= chosen
            if union:
                sets.append(frozenset(union))
    return sets
