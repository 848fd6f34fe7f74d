"""Normalisation of Dutch social-media text, with a map from every character back to the original.

`normalize(original)` returns a `Normalized`: `text` is lowercased, NFKC-folded, free of
invisible characters, with homoglyphs and leetspeak folded (k4nker -> kanker), spaced-out words
joined (h a a t -> haat), elongations squeezed (kuttttt -> kutt) and common missing spaces restored
(ikhaat -> ik haat). `cased` is the same text before lowercasing (for patterns where case
matters, such as postcodes). URLs, e-mail addresses, @mentions and hashtags are kept whole and
listed as entities. `to_original(start, end)` maps any span of `text` to offsets in `original`.

The function is idempotent: normalising a normalised text changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from triage.engine.segment import split_run
from triage.engine.typos import correct

# Characters that are invisible or steer rendering; attackers use them to split words.
_INVISIBLE = frozenset(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides
    + list(range(0x2060, 0x2070))  # word joiner, invisible operators, bidi isolates
    + list(range(0xFE00, 0xFE10))  # variation selectors
    + list(range(0xE0000, 0xE0080))  # tag characters
)
_QUOTES = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
_QUOTES |= {"«": '"', "»": '"', "‹": "'", "›": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"}
# Cyrillic and Greek letters that look like Latin ones.
_HOMOGLYPHS = dict(
    zip(
        "аеорсхуіјѕԁӏкмнтвзАЕОРСХУІЈЅКМНТВαοερτυνικχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcxyijsdlkmhtb3AEOPCXYIJSKMHTBaoeptuvikxABEZHIKMNOPTYX",
        strict=True,
    )
)
_LEET = {"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "$": "s", "@": "a", "€": "e", "!": "i"}

ENTITY_PATTERN = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b)"
    r"|(?P<mention>(?<![\w@])@\w{1,30})"
    r"|(?P<hashtag>(?<![\w#])#\w+)",
    re.IGNORECASE,
)
_WORDISH = re.compile(r"[$€]?[^\W_](?:[^\W_]|[$@€!](?=[^\W_]))*")
_SPACED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[ .\-_*][^\W\d_]){2,}(?![^\W\d_])")
_ELONGATED = re.compile(r"([^\d\s])\1{2,}")
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_LEET_CHAR = re.compile(r"[013457$@€!]")  # the keys of _LEET
_EDGE_DIGITS = re.compile(r"\d\d$|^\d\d")
_SEPARATORS = re.compile(r"[ .\-_*]")
# Plain ASCII stands for itself; anything else (and the backtick, a quote) is folded one by one.
_SPECIAL_CHAR = re.compile(r"[^\n\x20-\x5f\x61-\x7e]")
# A spaced-out word with leet characters: at least four single letters or leet characters.
_SPACED_LEET = re.compile(r"(?<![\w$@€!])[^\W_$@€!](?:[ .\-_*](?:[^\W_]|[$@€!])){3,}(?![\w$@€!])")
# What _SPACED needs: a letter, a separator, a letter, a separator, a letter.
_SPACED_HINT = re.compile(r"[^\W\d_][ .\-_*][^\W\d_][ .\-_*][^\W\d_]")
# A whole run of four or more letters: what the word splitters and the typo step look at.
_LETTER_RUN = re.compile(r"(?<![^\W\d_])[^\W\d_]{4,}(?![^\W\d_])")

# Missing-space forms: a token made only of these short words is split ("ikmaakjeaf").
_PRONOUNS = ("ik", "je", "jij", "jou", "we", "wij", "ze", "zij", "hij", "jullie")
_SPLIT_WORDS = frozenset(
    _PRONOUNS
    + ("hem", "haar", "hun", "u", "af", "kapot", "dood", "neer", "eraan", "moeder", "vader", "kop")
    + ("haat", "ga", "gaat", "gaan", "maak", "maakt", "maken", "sla", "slaat", "slaan", "schiet")
    + ("steek", "vermoord", "hoop", "weet", "weten", "kom", "komt", "komen", "krijg", "zal", "zullen")
    + ("wil", "moet", "pak", "pakken", "krijgt", "bent", "ben", "bent", "mag", "snij", "wurg", "verkracht")
)


@dataclass(frozen=True, slots=True)
class Entity:
    kind: str  # url, email, mention or hashtag
    start: int  # offsets in the normalised text
    end: int


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    text: str
    cased: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    entities: tuple[Entity, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of the normalised span [start, end)."""
        if not self.text:
            return 0, 0
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return self.starts[start], max(self.ends[end - 1], self.starts[start])


class _Builder:
    """Characters of a text under rewriting, each with the original range it came from."""

    __slots__ = ("cased", "ends", "lower", "starts")

    def __init__(self) -> None:
        self.cased: list[str] = []
        self.lower: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, cased: str, lower: str, start: int, end: int) -> None:
        self.cased.append(cased)
        self.lower.append(lower)
        self.starts.append(start)
        self.ends.append(end)

    @classmethod
    def identity(cls, cased: str, lower: str) -> _Builder:
        """A text whose every character stands for the original character at the same offset."""
        built = cls()
        built.cased = list(cased)
        built.lower = list(lower)
        built.starts = list(range(len(lower)))
        built.ends = list(range(1, len(lower) + 1))
        return built

    def text(self) -> str:
        return "".join(self.lower)

    def rewrite(self, edits: Iterable[tuple[int, int, str]]) -> _Builder:
        """Apply non-overlapping (start, end, replacement) edits, sorted by start.

        A replacement of the same length substitutes character by character; a shorter one must be
        a subsequence of the span (deletions), a longer one inserts a space before the span end.
        """
        out = _Builder()
        position = 0
        for start, end, replacement in edits:
            out._copy(self, position, start)
            out._replace(self, start, end, replacement)
            position = end
        out._copy(self, position, len(self.lower))
        return out

    def _copy(self, source: _Builder, start: int, end: int) -> None:
        self.cased.extend(source.cased[start:end])
        self.lower.extend(source.lower[start:end])
        self.starts.extend(source.starts[start:end])
        self.ends.extend(source.ends[start:end])

    def _replace(self, source: _Builder, start: int, end: int, replacement: str) -> None:
        span = source.lower[start:end]
        if len(replacement) == len(span):
            for offset, char in enumerate(replacement):
                i = start + offset
                cased = source.cased[i] if char == source.lower[i] else char
                self.add(cased, char, source.starts[i], source.ends[i])
            return
        i = start
        for char in replacement:
            j = i
            while j < end and source.lower[j] != char:
                j += 1
            if j < end:
                self.add(source.cased[j], char, source.starts[j], source.ends[j])
                i = j + 1
            else:  # an inserted character: it points at the start of the next kept character
                anchor = source.starts[min(i, end - 1)]
                self.add(char, char, anchor, anchor)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_DROP = ()
_CONTROL = (("\0", "\0"),)
_MARK = (("\1", "\1"),)


@lru_cache(maxsize=8192)
def _fold_one(char: str) -> tuple[tuple[str, str], ...]:
    """The (cased, lowercased) characters one original character becomes."""
    if ord(char) in _INVISIBLE:
        return _DROP
    if char == "\n":
        return (("\n", "\n"),)
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Co") or char in "\r\t":
        return _CONTROL
    if category == "Mn":
        return _MARK
    pieces: list[tuple[str, str]] = []
    for piece in _QUOTES.get(char) or unicodedata.normalize("NFKC", char):
        piece = _HOMOGLYPHS.get(piece, piece)
        for letter in _strip_marks(piece) if ord(piece) > 127 else piece:
            if ord(letter) > 127 and unicodedata.category(letter) == "Mn":
                continue  # a mark from the folding (Thai sara am): dropped, as a mark in the text is
            letter = _HOMOGLYPHS.get(letter, letter)  # a Greek or Cyrillic letter once its accent is gone
            lower = letter.lower()
            if len(lower) > 1:
                lower = _strip_marks(lower) or lower
            pieces.extend((letter if len(lower) == 1 else low, _HOMOGLYPHS.get(low, low)) for low in lower)
    return tuple(pieces)


def _fold_characters(original: str) -> _Builder:
    built = _Builder()
    cased, lower, starts, ends = built.cased, built.lower, built.starts, built.ends
    position = 0
    for special in _SPECIAL_CHAR.finditer(original):
        index = special.start()
        if index > position:  # a run of printable ASCII: each character stands for itself
            run = original[position:index]
            cased.extend(run)
            lower.extend(run.lower())
            starts.extend(range(position, index))
            ends.extend(range(position + 1, index + 1))
        position = index + 1
        pieces = _fold_one(special.group())
        if pieces is _CONTROL:  # control characters become one space
            if lower and lower[-1] != " ":
                cased.append(" ")
                lower.append(" ")
                starts.append(index)
                ends.append(index + 1)
        elif pieces is _MARK:  # a combining mark belongs to the previous letter
            if ends:
                ends[-1] = index + 1
        else:
            for upper_piece, lower_piece in pieces:
                cased.append(upper_piece)
                lower.append(lower_piece)
                starts.append(index)
                ends.append(index + 1)
    if position < len(original):
        run = original[position:]
        cased.extend(run)
        lower.extend(run.lower())
        starts.extend(range(position, len(original)))
        ends.extend(range(position + 1, len(original) + 1))
    return built


def _may_hold_entities(text: str) -> bool:
    """Every entity needs "@" (e-mail, mention), "#" (hashtag), "://" or "www." (URL)."""
    return "@" in text or "#" in text or "://" in text or "www." in text.lower()


def _protected(text: str) -> list[tuple[int, int]]:
    if not _may_hold_entities(text):
        return []
    return [match.span() for match in ENTITY_PATTERN.finditer(text)]


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= left or start >= right for left, right in spans)


def _leet_edits(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    first = _LEET_CHAR.search(text)  # a word without one of these folds to itself
    if first is None:
        return edits
    # Words never span whitespace: scanning from the start of the first leet character's chunk
    # finds the same words from there on as scanning the whole text.
    begin = first.start()
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    for match in _WORDISH.finditer(text, begin):
        word = match.group()
        if word.isalpha():
            continue
        folded = "".join(_LEET.get(char, char) for char in word)
        if not _leet_word(word) and folded not in _SHORT_LEET_WORDS:
            continue
        if not _outside(protected, *match.span()):
            continue
        if folded != word:
            edits.append((match.start(), match.end(), folded))
    return edits


# Two-character words that leetspeak threats are full of ("ik m44k j3 4f"): folded although they
# have only one letter, since no number or code reads like them.
_SHORT_LEET_WORDS: Final = frozenset({"je", "af", "ga", "me", "ze", "we", "te", "op", "ik", "is", "om", "de"})


def _leet_word(word: str) -> bool:
    """Whether a word with digits or symbols is leetspeak rather than a number or code."""
    letters = sum(char.isalpha() for char in word)
    digits = sum(char.isdigit() for char in word)
    return not (letters < 2 or digits > letters or _EDGE_DIGITS.search(word))


def _spaced_leet_edits(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Spaced-out words with leet characters ("k 4 n k e r" -> "k4nker", folded by the leet step)."""
    edits: list[tuple[int, int, str]] = []
    if not _LEET_CHAR.search(text):
        return edits
    for match in _SPACED_LEET.finditer(text):
        word = _SEPARATORS.sub("", match.group())
        if word.isalpha() or not _leet_word(word) or not _outside(protected, *match.span()):
            continue
        if not "".join(_LEET.get(char, char) for char in word).isalpha():  # the leet step would not fold it
            continue
        edits.append((match.start(), match.end(), word))
    return edits


def _regex_edits(
    pattern: re.Pattern[str], text: str, protected: list[tuple[int, int]], replace: Callable[[str], str]
) -> list[tuple[int, int, str]]:
    edits = []
    for match in pattern.finditer(text):
        if _outside(protected, *match.span()):
            replacement = replace(match.group())
            if replacement != match.group():
                edits.append((match.start(), match.end(), replacement))
    return edits


def _segment(token: str) -> list[str] | None:
    """Split a token made only of short pronouns and verbs ("ikhaatje" -> ik haat je)."""
    if not token.startswith(_PRONOUNS) or token in _SPLIT_WORDS:
        return None
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - 9), end):
            prefix = best[start]
            if prefix is not None and token[start:end] in _SPLIT_WORDS:
                candidate = [*prefix, token[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    result = best[len(token)]
    return result if result and len(result) > 1 else None


def _missing_space_edits(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    edits = []
    for match in _LETTER_RUN.finditer(text):
        run = match.group()
        parts = _segment(run) or split_run(run)
        if parts and _outside(protected, *match.span()):
            edits.append((match.start(), match.end(), " ".join(parts)))
    return edits


def _typo_edits(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    edits = []
    for match in _LETTER_RUN.finditer(text):
        corrected = correct(match.group())
        if corrected is not None and _outside(protected, *match.span()):
            edits.append((match.start(), match.end(), corrected))
    return edits


_STEPS: tuple[Callable[[str, list[tuple[int, int]]], list[tuple[int, int, str]]], ...] = (
    _spaced_leet_edits,
    _leet_edits,
    lambda t, p: _regex_edits(_SPACED, t, p, lambda s: _SEPARATORS.sub("", s)) if _maybe_spaced(t) else [],
    lambda t, p: _regex_edits(_ELONGATED, t, p, lambda s: s[:2]),
    _missing_space_edits,
    _typo_edits,
)


def _maybe_spaced(text: str) -> bool:
    return _SPACED_HINT.search(text) is not None


def normalize(original: str) -> Normalized:
    built: _Builder | None = None
    if original.isascii() and not _ASCII_CONTROL.search(original):  # the common case, fast
        text = original.lower()
    else:
        built = _fold_characters(original)
        text = built.text()
    protected = _protected(text)
    # Until no step finds anything ("€€aa" -> "€eaa" -> "eeaa"; "a a a0" -> "aa0" -> "aao"), so
    # that normalising is idempotent; a text without edits takes one pass.
    for _ in range(_MAX_PASSES):
        changed = False
        for step in _STEPS:
            edits = step(text, protected)
            while edits:
                changed = True
                if built is None:
                    built = _Builder.identity(original, text)
                built = built.rewrite(edits)
                text = built.text()
                protected = _protected(text)
                edits = step(text, protected)
        if not changed:
            break
    entities = (
        tuple(
            Entity(str(match.lastgroup), match.start(), match.end())
            for match in ENTITY_PATTERN.finditer(text)
        )
        if protected
        else ()
    )
    if built is None:
        return Normalized(
            original=original,
            text=text,
            cased=original,
            starts=_positions(0, len(text)),
            ends=_positions(1, len(text) + 1),
            entities=entities,
        )
    return Normalized(
        original=original,
        text=text,
        cased="".join(built.cased),
        starts=tuple(built.starts),
        ends=tuple(built.ends),
        entities=entities,
    )


_MAX_PASSES: Final = 6
_RANGE: Final = tuple(range(4097))


def _positions(start: int, stop: int) -> tuple[int, ...]:
    return _RANGE[start:stop] if stop < len(_RANGE) else tuple(range(start, stop))
