"""Typos of the words that matter: "flikekr" -> flikker, "kankehroer" -> kankerhoer.

Only the two commonest slips are undone, two neighbouring letters swapped and one letter
dropped, and only towards the project's abusive words (lexicon.tsv), identity-group words
(groups.tsv: "moslmis" -> moslims), the nouns that derogate groups and a few words of violence,
for a word that is not itself a Dutch word or a form of one (`segment.vocabulary`; "schoten",
"wijnen" stay) and is long enough that the correction is unambiguous. A substituted letter is not
undone: it turns too many names into insults ("Kanter").
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final

from triage.engine.segment import abusive_words, group_words, vocabulary

# Words shorter than this are not corrected (as typos of a word of at least one letter more).
MIN_WORD: Final = 6
MIN_TARGET: Final = 7
VIOLENCE_WORDS: Final = (
    "verkrachten",
    "verkracht",
    "vermoorden",
    "vermoord",
    "doodmaken",
    "afmaken",
    "neersteken",
    "doodsteken",
    "doodschieten",
    "neerschieten",
    "opknopen",
    "ophangen",
    "opgehangen",
    "kapotmaken",
    "afslachten",
    "vergassen",
    "woont",
)
# Nouns that derogate a group ("terorristen" -> terroristen); the lexicon holds the insults.
GROUP_TRAIT_WORDS: Final = (
    "terroristen",
    "criminelen",
    "parasieten",
    "verkrachters",
    "zakkenrollers",
    "uitvreters",
    "profiteurs",
    "gelukszoekers",
    "kakkerlakken",
    "ongedierte",
    "barbaren",
)


@cache
def _typos() -> dict[str, str]:
    """Each misspelling (a swap or a dropped letter) of a target word -> the word; "" if ambiguous."""
    targets = set(VIOLENCE_WORDS) | set(GROUP_TRAIT_WORDS) | abusive_words() | group_words()
    known = vocabulary()
    typos: dict[str, str] = {}
    for target in sorted(t for t in targets if len(t) >= MIN_TARGET and t.isalpha()):
        for typo in _misspellings(target):
            if typo in known or typo == target:
                continue
            typos[typo] = "" if typos.get(typo, target) != target else target
    return typos


def _misspellings(word: str) -> set[str]:
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return dropped | swapped


@lru_cache(maxsize=65_536)
def correct(word: str) -> str | None:
    """The abusive or violent word this lower-case word misspells, if it is one."""
    if len(word) < MIN_WORD or _inflection_of_known(word):
        return None
    return _typos().get(word) or None


def _inflection_of_known(word: str) -> bool:
    """Whether the word is a plural, verb form or diminutive of a known word ("schoten", "wijnen"):
    the lemma table does not list every form."""
    known = vocabulary()
    return any(word.endswith(ending) and word[: -len(ending)] in known for ending in _ENDINGS)


_ENDINGS: Final = ("en", "s", "e", "er", "je", "tje", "te", "de", "t")


def warm() -> None:
    _typos()
