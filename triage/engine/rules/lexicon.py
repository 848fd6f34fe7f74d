"""The word lexicon: insults, slurs, profanity, sexual words and identity words, looked up per token.

Rows of lexicon.tsv and groups.tsv are expanded to their inflected forms at load (plurals,
diminutives, adjective endings); compounds.tsv adds productive compounds (kanker- + noun,
noun + -wijf). A token is looked up by its text, then its lemma, then with doubled letters
squeezed (normalisation leaves two of an elongated letter: "kuttt" -> "kutt"), then as a
compound. Results are cached per token text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from triage.engine.analysis import Negation
from triage.engine.labels import LABELS
from triage.engine.rules.tsv import RuleResourceError, read_rows, split_list
from triage.engine.segment import vocabulary

LEXICON_CATEGORIES: Final = frozenset(
    {
        "insult",
        "dehumanising",
        "slur_ethnicity",
        "slur_religion",
        "slur_lgbt",
        "slur_gender",
        "slur_disability",
        "sexual",
        "profanity",
    }
)
GROUP_CUE: Final = "cue:group"
ROLE_CUE: Final = "cue:role"
_SQUEEZE = re.compile(r"(.)\1+")
_CACHE_LIMIT: Final = 200_000
# After these words a lowercase "kanker" or "pest" is the disease, not a curse.
_MEDICAL_PREV: Final = frozenset(
    {"heeft", "had", "hebben", "hadden", "aan", "tegen", "kreeg", "met", "van", "overleden", "bestrijden"}
)
_MEDICAL_REST: Final = frozenset(
    {
        "bestrijding", "onderzoek", "patient", "patienten", "fonds", "centrum", "verwekkend",
        "verwekkende", "cel", "cellen", "zorg", "behandeling", "medicijn", "medicijnen", "afdeling",
        "diagnose", "risico", "screening", "gezwel", "vrij", "genezing", "specialist", "arts",
    }
)  # fmt: skip


def squeeze(word: str) -> str:
    return _SQUEEZE.sub(r"\1", word)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon, group or compound row: what a matching token emits."""

    rule_id: str
    category: str
    labels: tuple[tuple[str, float], ...]
    aimed_only: bool = False  # fires only when aimed at someone ("jij zak", not "plastic zak")
    intensifier: bool = False  # profanity that becomes an insult when aimed ("jij kanker")

    @property
    def negation(self) -> Negation:
        """What a negation does to this word's hits: a slur stays an attack ("ik heb niks tegen
        negers"); other words are negated ("hij is geen klootzak")."""
        return "never" if self.category.startswith("slur_") else "before_or_inside"


def _noun_forms(term: str) -> list[str]:
    stems = [term]
    if term.endswith(("f", "s")) and len(term) > 3:
        stems.append(term[:-1] + ("v" if term.endswith("f") else "z"))
    forms = [term, term + "s", term + "'s", term + "je", term + "tje", term + "jes", term + "tjes"]
    forms += [term + "ke", term + "kes", term + "ken"]
    forms += [stem + "en" for stem in stems]
    return forms


def _adjective_forms(term: str) -> list[str]:
    return [term, term + "e", term + "er", term + "ere", term + "st", term + "ste", term + "en"]


def expand_forms(term: str, inflect: str, extra: list[str]) -> list[str]:
    forms = _noun_forms(term) if inflect == "n" else _adjective_forms(term) if inflect == "a" else [term]
    return list(dict.fromkeys([*forms, *extra]))


@dataclass(frozen=True, slots=True)
class _Compounds:
    prefixes: tuple[tuple[str, Entry, bool], ...]  # (form, entry, profanity fallback), longest first
    heads: tuple[tuple[str, Entry, bool], ...]  # (form, entry, needs_group), longest first
    persons: frozenset[str]
    _prefix_index: _AffixIndex = field(init=False)
    _head_index: _AffixIndex = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prefix_index", _AffixIndex.of(self.prefixes))
        object.__setattr__(self, "_head_index", _AffixIndex.of(self.heads))

    def prefixes_of(self, text: str) -> list[tuple[str, Entry, bool]]:
        """The prefixes `text` starts with, leaving at least 3 letters, longest first."""
        return self._prefix_index.matching(text, at_end=False)

    def heads_of(self, text: str) -> list[tuple[str, Entry, bool]]:
        """The heads `text` ends with, leaving at least 3 letters, longest first."""
        return self._head_index.matching(text, at_end=True)


@dataclass(frozen=True, slots=True)
class _AffixIndex:
    """Affix forms by length, so a word is checked with one lookup per length, not per form."""

    by_length: tuple[tuple[int, dict[str, list[tuple[str, Entry, bool]]]], ...]  # longest first

    @classmethod
    def of(cls, items: Sequence[tuple[str, Entry, bool]]) -> _AffixIndex:
        tables: dict[int, dict[str, list[tuple[str, Entry, bool]]]] = {}
        for item in items:
            tables.setdefault(len(item[0]), {}).setdefault(item[0], []).append(item)
        return cls(tuple(sorted(tables.items(), reverse=True)))

    def matching(self, text: str, at_end: bool) -> list[tuple[str, Entry, bool]]:
        found: list[tuple[str, Entry, bool]] = []
        room = len(text) - 3
        for length, table in self.by_length:
            if length <= room:
                found += table.get(text[-length:] if at_end else text[:length], ())
        return found


class Lexicon:
    """Token text -> the entries it matches (empty tuple when none)."""

    def __init__(
        self,
        words: dict[str, tuple[Entry, ...]],
        phrases: dict[str, tuple[Entry, ...]],
        compounds: _Compounds,
    ) -> None:
        self._words = words
        self._squeezed: dict[str, tuple[Entry, ...]] = {}
        for form, entries in words.items():
            self._squeezed.setdefault(squeeze(form), entries)
        self._phrases = phrases
        first_words: dict[str, list[str]] = {}
        for phrase in sorted(phrases, key=len, reverse=True):
            first_words.setdefault(phrase.split(" ")[0], []).append(phrase)
        self.phrase_starts = first_words  # first word -> phrases starting with it, longest first
        self._compounds = compounds
        self._cache: dict[str, tuple[Entry, ...]] = {}
        self.rule_ids: frozenset[str] = frozenset(
            entry.rule_id for entries in (*words.values(), *phrases.values()) for entry in entries
        ) | {entry.rule_id for _, entry, _ in (*compounds.prefixes, *compounds.heads)}

    def forms(self, category: str) -> list[str]:
        """All single- and multi-word forms of one category ("group", "role")."""
        return [
            form
            for index in (self._words, self._phrases)
            for form, entries in index.items()
            if any(e.category == category for e in entries)
        ]

    def phrase(self, text: str) -> tuple[Entry, ...]:
        return self._phrases.get(text, ())

    def lookup(self, text: str, lemma: str) -> tuple[Entry, ...]:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        found = self._lookup(text.replace("-", "") if "-" in text else text, lemma)
        if not found and "-" in text:  # oud-burgemeester, anti-moslim: the last part, if a role or group
            last = self._words.get(text.rsplit("-", 1)[1], ())
            found = tuple(entry for entry in last if entry.category in ("role", "group"))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[text] = found
        return found

    def _lookup(self, text: str, lemma: str) -> tuple[Entry, ...]:
        words = self._words
        found = words.get(text) or (words.get(lemma) if lemma != text else None)
        if found:
            return found
        if not text.isalpha() or len(text) < 3:
            return ()
        squeezed = squeeze(text)
        if squeezed != text and text in vocabulary():  # a real word, not an elongation: negeer, heel
            squeezed = text
        if squeezed != text:
            found = words.get(squeezed) or self._squeezed.get(squeezed)
            if found:
                return found
        return self._compound(squeezed if squeezed != text else text)

    def _direct(self, word: str) -> tuple[Entry, ...]:
        return self._words.get(word) or self._squeezed.get(squeeze(word)) or ()

    def _compound(self, text: str) -> tuple[Entry, ...]:
        compounds = self._compounds
        for prefix, entry, fallback in compounds.prefixes_of(text):
            rest = text[len(prefix) :]
            if prefix in ("kanker", "kk") and rest in _MEDICAL_REST:
                return ()
            inner = self._direct(rest)
            weight = entry.labels[0][1]
            if any(e.category == "group" for e in inner):
                return (Entry(entry.rule_id, "compound", (("identity_hate", 0.95), ("insult", weight))),)
            attacks = [e for e in inner if e.category != "profanity"]
            if attacks or rest in compounds.persons or any(e.category == "role" for e in inner):
                labels = {"insult": weight}
                for e in attacks:
                    for label, w in e.labels:
                        labels[label] = max(labels.get(label, 0.0), min(1.0, max(w, weight)))
                return (Entry(entry.rule_id, "compound", tuple(labels.items())),)
            if fallback:
                return (Entry(entry.rule_id, "compound", (("profanity", 0.55),)),)
            return ()
        for head, entry, needs_group in compounds.heads_of(text):
            stem = text[: -len(head)]
            grouped = any(e.category == "group" for e in self._direct(stem)) or any(
                e.category == "group" for e in self._direct(stem.rstrip("s"))
            )
            if needs_group and not grouped:
                continue
            labels = dict(entry.labels)
            if grouped:
                labels["identity_hate"] = max(labels.get("identity_hate", 0.0), 0.95)
            return (Entry(entry.rule_id, "compound", tuple(labels.items())),)
        return ()


def _add(index: dict[str, tuple[Entry, ...]], form: str, entry: Entry) -> None:
    index[form] = (*index.get(form, ()), entry)


def load_lexicon(folder: Path) -> Lexicon:
    words: dict[str, tuple[Entry, ...]] = {}
    phrases: dict[str, tuple[Entry, ...]] = {}
    for row in read_rows(folder / "lexicon.tsv"):
        category, label = row["category"], row["label"]
        if category not in LEXICON_CATEGORIES or label not in LABELS:
            raise RuleResourceError(f"{row.source}: bad category {category!r} or label {label!r}")
        weight = float(row["weight"])
        labels = [(label, weight)] + [(also, weight) for also in split_list(row["also"]) if also != label]
        if any(name not in LABELS for name, _ in labels):
            raise RuleResourceError(f"{row.source}: unknown label in {row['also']!r}")
        entry = Entry(
            row["id"],
            category,
            tuple(labels),
            aimed_only=row["aim"] == "aimed",
            intensifier=category == "profanity",
        )
        for form in expand_forms(row["term"], row["inflect"], split_list(row["forms"])):
            _add(phrases if " " in form else words, form, entry)
    for row in read_rows(folder / "groups.tsv"):
        entry = Entry(row["id"], "group", ((GROUP_CUE, 1.0),))
        for form in [row["term"], *split_list(row["forms"])]:
            _add(phrases if " " in form else words, form, entry)
    for row in read_rows(folder / "roles.tsv"):
        role = Entry(row["id"], "role", ((ROLE_CUE, 1.0),))
        for form in [row["term"], *split_list(row["forms"])]:
            _add(phrases if " " in form else words, form, role)
    return Lexicon(words, phrases, load_compounds(folder))


def load_compounds(folder: Path) -> _Compounds:
    prefixes: list[tuple[str, Entry, bool]] = []
    heads: list[tuple[str, Entry, bool]] = []
    persons: set[str] = set()
    for row in read_rows(folder / "compounds.tsv"):
        part = row["part"]
        if part == "person":
            persons.add(row["form"])
            continue
        labels = split_list(row["labels"])
        if not labels or any(label not in LABELS for label in labels):
            raise RuleResourceError(f"{row.source}: bad labels {row['labels']!r}")
        entry = Entry(row["id"], "compound", tuple((label, float(row["weight"])) for label in labels))
        if part == "prefix":
            prefixes.append((row["form"], entry, row["fallback"] == "yes"))
        elif part == "head":
            heads.append((row["form"], entry, row["needs_group"] == "yes"))
        else:
            raise RuleResourceError(f"{row.source}: unknown part {part!r}")
    prefixes.sort(key=lambda item: len(item[0]), reverse=True)
    heads.sort(key=lambda item: len(item[0]), reverse=True)
    return _Compounds(tuple(prefixes), tuple(heads), frozenset(persons))
