"""What the statistical classifier sees of an analysed message.

Three views: the normalised characters (char n-grams), the lemmas (word n-grams), and a fixed
vector of evidence from the rules (per-label hit strength, suppressed hits, cues) and the shape of
the message (shouting, exclamation, quotes). Entities become placeholders so that names, handles
and links do not steer the verdict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Final

from spacy.attrs import IDX, LEMMA, ORTH
from spacy.lexeme import Lexeme

from triage.engine.analysis import CUES, Analysis
from triage.engine.labels import LABELS

EVIDENCE_FEATURES: Final[tuple[str, ...]] = (
    *(f"rule:{label}:{kind}" for label in LABELS for kind in ("max", "count", "suppressed")),
    *(f"cue:{cue}" for cue in CUES if cue != "group"),
    "shape:caps",
    "shape:exclaim",
    "shape:question",
    "shape:quote",
    "shape:length",
    "shape:emoji",
)
FEATURES_VERSION: Final = "features.v3"

_PLACEHOLDERS: Final[dict[str, str | None]] = {
    "url": " _url_ ",
    "email": " _email_ ",
    "mention": " _user_ ",
    "hashtag": None,
}
# Identity-group words: removed from the characters the model reads; a placeholder among the lemmas,
# whose unigram (mere presence) is excluded from the vocabulary, so only its context counts.
GROUP_TOKEN: Final = "_groep_"
# Words that say nothing about a group when next to its placeholder ("een _groep_", "_groep_ ,"):
# such bigrams only repeat that a group is named, so they are left out of the vocabulary too.
_NEUTRAL_NEIGHBOURS: Final = (
    "een",
    "de",
    "het",
    "en",
    "of",
    "als",
    "van",
    "met",
    "voor",
    "in",
    "op",
    "bij",
    "ook",
    "geen",
    "over",
    ",",
    ".",
    "!",
    "?",
    ":",
    "-",
)


def group_presence_terms(terms: Iterable[str]) -> frozenset[str]:
    """The vocabulary terms that would only tell the model that a group is named."""
    neutral = set(_NEUTRAL_NEIGHBOURS)
    excluded = {GROUP_TOKEN}
    for term in terms:
        words = term.split(" ")
        if GROUP_TOKEN in words and all(w == GROUP_TOKEN or w in neutral for w in words):
            excluded.add(term)
    return frozenset(excluded)


_INDEX: Final = {name: i for i, name in enumerate(EVIDENCE_FEATURES)}
# Per rule label: the columns of its strongest active hit, its active hits and its suppressed hits.
_RULE_COLUMNS: Final[dict[str, tuple[int, ...]]] = {
    label: tuple(_INDEX[f"rule:{label}:{kind}"] for kind in ("max", "count", "suppressed"))
    for label in LABELS
}
_CAPS, _EXCLAIM, _QUESTION, _QUOTED, _LENGTH, _EMOJI_PRESENT = (
    _INDEX[f"shape:{name}"] for name in ("caps", "exclaim", "question", "quote", "length", "emoji")
)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_QUOTE = re.compile("[\"'«»“”„‘’]")


def _masks(analysis: Analysis) -> list[tuple[int, int, str]]:
    """Spans of the normalised text the model must not read: entities, and identity-group words.

    Group words are removed outright (a placeholder would teach the model "a group is named",
    and the group cue is left out of the evidence vector too): the model judges the hostility of
    what is said, and the scoring stage asks for a named group before it calls that identity hate.
    So neutral mentions of moslims, vrouwen or zwarte mensen do not raise a flag by themselves.
    """
    normalized = analysis.normalized
    assert normalized is not None
    spans = [
        (e.start, e.end, placeholder)
        for e in normalized.entities
        if (placeholder := _PLACEHOLDERS[e.kind]) is not None
    ]
    spans += [(hit.start, hit.end, " ") for hit in analysis.hits if hit.label == "cue:group"]
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def char_view(analysis: Analysis) -> str:
    """The normalised text with entities and identity-group words replaced by placeholders."""
    normalized = analysis.normalized
    assert normalized is not None
    text, pieces, position = normalized.text, [], 0
    for start, end, placeholder in _masks(analysis):
        pieces.append(text[position:start])
        pieces.append(placeholder)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def word_view(analysis: Analysis) -> str:
    """Lemmas separated by spaces, with entities, numbers and group words as placeholders.

    The group placeholder keeps its context ("_groep_ zijn", "terug _groep_") readable, while
    its unigram is excluded from the vocabulary (see `Featurizer.fit`). Computed once per
    analysis (the classifier and the explanation both read it), from the doc's arrays with a memo
    per word."""
    if analysis.word_view is not None:
        return analysis.word_view
    doc = analysis.doc
    assert doc is not None
    groups = [(hit.start, hit.end) for hit in analysis.hits if hit.label == "cue:group"]
    rows: list[list[int]] = doc.to_array([ORTH, LEMMA, IDX]).tolist()
    words: list[str] = []
    for orth, lemma, offset in rows:
        if groups and _inside(offset, groups):
            if not words or words[-1] != GROUP_TOKEN:
                words.append(GROUP_TOKEN)
            continue
        word = _VIEW_WORDS.get((orth, lemma))
        if word is None:
            word = _view_word(doc.vocab[orth], doc.vocab.strings[lemma])
            if len(_VIEW_WORDS) > _VIEW_WORDS_LIMIT:
                _VIEW_WORDS.clear()
            _VIEW_WORDS[(orth, lemma)] = word
        if word:
            words.append(word)
    analysis.word_view = " ".join(words)
    return analysis.word_view


# (word hash, lemma hash) -> what the word view shows for it ("" for whitespace).
_VIEW_WORDS: dict[tuple[int, int], str] = {}
_VIEW_WORDS_LIMIT: Final = 500_000


def _view_word(lexeme: Lexeme, lemma: str) -> str:
    text = lexeme.orth_
    if text.isspace():
        return ""
    if text[0] == "@" and len(text) > 1:
        return "_user_"
    if lexeme.like_url:
        return "_url_"
    if lexeme.like_email:
        return "_email_"
    if lexeme.like_num and _has_digit(text):
        return "_num_"
    return lemma or text


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


_DIGIT = re.compile(r"\d")


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def evidence_vector(analysis: Analysis) -> list[float]:
    """The rule evidence and the shape of the message, in the order of `EVIDENCE_FEATURES`."""
    vector = [0.0] * len(EVIDENCE_FEATURES)
    counts: dict[int, int] = {}
    for hit in analysis.hits:
        if hit.label.startswith("cue:"):
            index = _INDEX.get(hit.label)
        elif hit.active:
            maximum, index, _ = _RULE_COLUMNS[hit.label]
            vector[maximum] = max(vector[maximum], hit.weight)
        else:
            index = _RULE_COLUMNS[hit.label][2]
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    for index, count in counts.items():
        vector[index] = math.log1p(count)
    original = analysis.original
    letters = sum(map(str.isalpha, original))
    if letters >= 8:
        vector[_CAPS] = min(sum(map(str.isupper, original)) / letters, 1.0)
    vector[_EXCLAIM] = min(original.count("!"), 5) / 5
    vector[_QUESTION] = float("?" in original)
    vector[_QUOTED] = float(_QUOTE.search(original) is not None)
    vector[_LENGTH] = math.log1p(len(original)) / 10
    vector[_EMOJI_PRESENT] = float(_EMOJI.search(original) is not None)
    return vector
