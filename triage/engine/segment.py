"""Words written together without spaces: "wewetenwaarjewoont" -> "we weten waar je woont".

A long run of letters that is not a Dutch word is split into the cheapest sequence of known words
(fewest words; pronouns and auxiliaries cost less, short rare words more, so "echteen" is "echt
een", not "ech teen"), but only when the words read as a message: two pronouns or auxiliary
verbs; or one, with an abusive word, or with a group or role word among at least three words; or,
in three words or more, an abusive word next to a group or role word. Dutch compounds and names
("gemeenteraadsvergadering", "dierenwelzijn", "Hellinga") do not split so, messages run together
("ikhoopdatjedoodgaat", "moslimszijnratten", "burgemeesterisgewooneenkankerlijer") do. Known words are spaCy's
Dutch lemma table (its forms and lemmas), spaCy's Dutch stop words, the closed-class words below,
and the project's lexicon, group and role words.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Final

# Runs shorter than this are left alone (the normaliser's pronoun rule splits "ikhaat").
MIN_RUN: Final = 8
MAX_WORD: Final = 24
ANCHOR_COST: Final = 0.4
# Extra cost of a word shorter than four letters that is not a function word: the lemma table holds
# many rare short forms ("ech", "aar") that would otherwise tie with the right split.
SHORT_WORD_PENALTY: Final = 0.5
# Words that real compounds do not contain; a split must produce two of them (see split_run).
ANCHORS: Final = frozenset(
    ("ik", "je", "jij", "jou", "jouw", "hij", "zij", "ze", "wij", "we", "jullie", "iemand", "niemand")
    + ("iedereen", "hem", "haar", "hen", "hun", "dat", "zijn", "is", "ben", "bent", "moet", "moeten")
    + ("ga", "gaat", "gaan", "zal", "zullen", "wil", "willen", "hoop", "weet", "weten", "komt", "kom")
)
# Closed-class words the lemma table lacks.
FUNCTION_WORDS: Final = ANCHORS | frozenset(
    ("u", "uw", "men", "die", "dit", "deze", "de", "het", "een", "en", "of", "maar", "want", "als")
    + ("dan", "waar", "wat", "wie", "hoe", "niet", "geen", "wel", "ook", "nog", "al", "zo", "in", "op")
    + ("aan", "af", "uit", "met", "van", "voor", "naar", "bij", "om", "tot", "door", "over", "neer")
    + ("weg", "kapot", "dood", "heb", "hebt", "heeft", "was", "waren", "zou", "zouden", "mag", "kan")
    + ("kun", "kunt", "kunnen", "wordt", "word", "worden", "laat", "krijg", "krijgt", "allemaal", "alle")
    + ("gewoon", "even", "eens", "toch", "er", "hier", "daar", "nu", "straks", "morgen", "gisteren")
    + ("vandaag", "vanavond", "altijd", "nooit", "weer", "echt", "heel", "zeer", "veel", "meer", "minder")
    + ("graag", "snel", "zeker", "misschien", "alsjeblieft", "alstublieft", "dankjewel", "dankuwel")
    + ("helemaal", "elkaar", "mekaar", "hopelijk", "jezelf", "zichzelf", "mezelf")
    # first-person verb stems, which the lemma table lacks
    + ("maak", "haat", "zeg", "sla", "steek", "schiet", "pak", "snij", "wurg", "verkracht", "vermoord")
    + ("krijg", "vind", "denk", "zie", "ken", "hou", "breek", "trap", "schop", "knal", "hang", "brand")
    # common words the lemma table lacks that look like an elongated abusive word
    + ("app", "apps", "appen", "appje")
    # countries, which look like a typo of their people ("suriname" is not "surinamer")
    + ("suriname", "marokko", "turkije", "nederland", "belgie", "roemenie", "bulgarije", "polen")
    + ("afghanistan", "irak", "iran", "syrie", "somalie", "eritrea", "curacao", "aruba", "israel")
    + ("palestina", "oekraine", "rusland", "china", "ghana", "nigeria", "indonesie", "molukken")
)


def _resource_words(name: str) -> set[str]:
    # Imported here: the rules import the normaliser, which imports this module.
    from triage.engine.rules.ruleset import DEFAULT_RESOURCES
    from triage.engine.rules.tsv import read_rows

    words = set()
    for row in read_rows(DEFAULT_RESOURCES / name):
        words.add(row["term"].lower())
        words.update(form.lower() for form in row["forms"].split(","))
    return {word for word in words if len(word) >= 2 and word.isalpha()}


@cache
def abusive_words() -> frozenset[str]:
    """The single words of the project's lexicon (insults, slurs, profanity), as written there."""
    return frozenset(_resource_words("lexicon.tsv"))


@cache
def group_words() -> frozenset[str]:
    """The single words naming identity groups (groups.tsv)."""
    return frozenset(_resource_words("groups.tsv"))


@cache
def role_words() -> frozenset[str]:
    """The single words naming public roles (roles.tsv)."""
    return frozenset(_resource_words("roles.tsv"))


@cache
def vocabulary() -> frozenset[str]:
    """Known Dutch words, lower case (the lemma table's forms may also hold a few non-words)."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    from triage.engine.tokenize import lemma_table

    table = lemma_table()
    words = set(table)
    words.update(table.values())
    words.update(FUNCTION_WORDS, STOP_WORDS, abusive_words())
    words.update(group_words(), role_words())
    return frozenset(words)


@lru_cache(maxsize=65_536)
def split_run(run: str) -> tuple[str, ...] | None:
    """The words of a run of lower-case letters written together, or None to leave it as it is."""
    if len(run) < MIN_RUN:
        return None
    words = vocabulary()
    if run in words:
        return None
    # best[i]: the cheapest known words that spell run[:i]; an anchor word costs less than another
    # word, so "ik hoop dat je doodgaat" wins over "ik hoop datje doodgaat".
    best: list[tuple[float, list[str]] | None] = [None] * (len(run) + 1)
    best[0] = (0.0, [])
    for end in range(2, len(run) + 1):
        for start in range(max(0, end - MAX_WORD), end - 1):
            prefix = best[start]
            word = run[start:end]
            if prefix is None or word not in words:
                continue
            cost = prefix[0] + _word_cost(word)
            current = best[end]
            if current is None or cost < current[0]:
                best[end] = (cost, [*prefix[1], word])
    last = best[len(run)]
    if last is None or len(last[1]) < 2:
        return None
    found = last[1]
    anchors = [word for word in found if word in ANCHORS]
    if len(anchors) >= 2:
        return tuple(found)
    # One anchor is too little for names and compounds ("hellinga", "dierenwelzijn",
    # "zierikzee"), unless every word is long and one is abusive ("moslimszijnratten"), or a group or
    # role word comes with it in three words or more ("alleasielzoekersmoetenweg").
    abusive = bool(abusive_words().intersection(found))
    named = bool(_named_words().intersection(found))
    if len(anchors) == 1 and all(len(w) >= 4 for w in found) and abusive:
        return tuple(found)
    if len(anchors) == 1 and named and len(found) >= 3:
        return tuple(found)
    # No anchor: an abusive word and a group or role word in three words or more
    # ("kutmarokkanenoprotten"); two are a compound the lexicon reads whole ("kutwethouder").
    if abusive and named and len(found) >= 3 and all(len(w) >= 3 for w in found):
        return tuple(found)
    return None


def _word_cost(word: str) -> float:
    if word in ANCHORS:
        return ANCHOR_COST
    if len(word) < 4 and word not in _short_known():
        return 1.0 + SHORT_WORD_PENALTY
    return 1.0


@cache
def _short_known() -> frozenset[str]:
    """Short words that are not rare: function words, stop words and the project's own words."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(FUNCTION_WORDS | STOP_WORDS | abusive_words() | _named_words())


@cache
def _named_words() -> frozenset[str]:
    """Group and role words (groups.tsv, roles.tsv)."""
    return group_words() | role_words()
