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
from collections.abc import Iterable, Sequence
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Final

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
        else:
            prefixes = [(prefix, False) for prefix, _ in prefixes]
    return prefixes


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


def derive_anchors(regex: str) -> list[frozenset[str]]:
    """Anchor sets of a regex: a text can only match if, for every set, one of its tokens starts
    with one of the set's anchors. An empty list means the regex must always run."""
    try:
        parsed = sre_parse.parse(regex, re.MULTILINE)
    except re.error:
        return []
    items = list(parsed)
    if len(items) == 1 and items[0][0] is sre_constants.BRANCH:  # alternatives: one set, their union
        union: set[str] = set()
        for branch in items[0][1][1]:
            found = _required_sets(list(branch))
            if not found:
                return []
            best: frozenset[str] = max(found, key=_score)
            union |= best
        return [frozenset(union)]
    return _required_sets(items)


def _required_sets(items: list[Any]) -> list[frozenset[str]]:
    sets: list[frozenset[str]] = []
    word_start = True
    for position, (op, av) in enumerate(items):
        if op is sre_constants.AT:
            word_start = av in (sre_constants.AT_BOUNDARY, sre_constants.AT_BEGINNING)
            continue
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
        word_start = op in (sre_constants.SUBPATTERN, sre_constants.BRANCH) and _ends_with_space([(op, av)])
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


class AnchorIndex:
    """Maps the tokens of a message to the indices of the regexes that can match it."""

    def __init__(self, anchors: Sequence[list[frozenset[str]]]) -> None:
        self.always: frozenset[int] = frozenset(i for i, sets in enumerate(anchors) if not sets)
        self._needed = [len(sets) for sets in anchors]
        by_head: dict[str, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
        for index, sets in enumerate(anchors):
            for item, anchor_set in enumerate(sets):
                for anchor in anchor_set:
                    by_head[anchor[:2]].append((anchor, (index, item)))
        self._by_head = dict(by_head)
        self._cache: dict[str, frozenset[tuple[int, int]]] = {}

    def _for_token(self, token: str) -> frozenset[tuple[int, int]]:
        cached = self._cache.get(token)
        if cached is None:
            candidates = self._by_head.get(token[:2], ())
            cached = frozenset(key for anchor, key in candidates if token.startswith(anchor))
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[token] = cached
        return cached

    def candidates(self, tokens: Iterable[str]) -> set[int]:
        satisfied: set[tuple[int, int]] = set()
        for token in tokens:
            found = self._for_token(token)
            if found:
                satisfied |= found
        counts: dict[int, int] = defaultdict(int)
        for index, _item in satisfied:
            counts[index] += 1
        needed = self._needed
        result = set(self.always)
        result.update(index for index, count in counts.items() if count == needed[index])
        return result
