"""The rules stage: lexicon, phrase patterns and cues over one message, each hit scoped."""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from triage.engine.analysis import RuleHit
from triage.engine.normalize import normalize
from triage.engine.rules.derivations import derivation_cache
from triage.engine.rules.lexicon import Entry, Lexicon, load_lexicon
from triage.engine.rules.patterns import CUE_LABELS, PatternSet, alternation, load_macros, load_patterns
from triage.engine.rules.scope import Context, ScopeRules, load_scope
from triage.engine.rules.tsv import resources_version

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from triage.engine.normalize import Normalized

DEFAULT_RESOURCES: Final = Path(__file__).resolve().parent.parent / "resources"
VIOLENCE_CUE: Final = "cue:violence"
CONTACT_ALONE_CIVIL: Final = 0.1  # contact data in an ordinary service message
CONTACT_WITH_THREAT: Final = 0.95  # contact data next to a threat, incitement or a doxxing phrase
RECIPIENT_RULE: Final = "cue.recipient.001"
# A word right before an insult that aims it at someone: "jij zak", "vuile kut", "wat een zak".
_AIM_BEFORE: Final = frozenset(
    [
        "jij",
        "jullie",
        "u",
        "gij",
        "vuile",
        "vieze",
        "smerige",
        "stomme",
        "domme",
        "achterlijke",
        "gore",
        "vette",
        "lelijke",
        "dikke",
        "kut",
        "kanker",
        "tering",
        "tyfus",
        "klote",
        "stinkende",
        "gestoorde",
        "waardeloze",
        "laffe",
        "valse",
        "zielige",
        "rot",
        "vuil",
        "vuile",
        "zo'n",
        "godverdomde",
        "verdomde",
        "kolere",
        "fucking",
        "ouwe",
        "vette",
    ]
)
# Before a profanity word these make it an insult ("jij kanker", "vuile kut"); "wat een kankerweer" stays.
_ESCALATE_BEFORE: Final = frozenset(
    [
        "jij",
        "jullie",
        "u",
        "gij",
        "vuile",
        "vieze",
        "smerige",
        "stomme",
        "gore",
        "domme",
        "achterlijke",
        "vuil",
    ]
)
_AIM_BEFORE_EEN: Final = frozenset(
    ["bent", "ben", "is", "zijn", "zijt", "wat", "echt", "gewoon", "zo", "ook", "toch", "was"]
)
_MEDICAL_BEFORE: Final = frozenset(
    ["heeft", "had", "hebben", "hadden", "aan", "tegen", "kreeg", "met", "overleden", "bestrijden"]
)
_NAME_STOPWORDS: Final = frozenset(
    [
        "van",
        "der",
        "den",
        "de",
        "het",
        "ter",
        "ten",
        "te",
        "in",
        "mr",
        "dr",
        "drs",
        "ir",
        "ing",
        "mevr",
        "dhr",
        "prof",
    ]
)
_ATTACKS_FOR_CONTACT: Final = frozenset({"threat", "incitement"})
_TOKEN_CACHE_LIMIT: Final = 200_000
_ORDER: Final = attrgetter("start", "end", "rule_id", "label")
# Per token text: the text, its pattern and scope anchor bits, and (lexicon entries, phrases that
# start with it) when either is non-empty.
_Token = tuple[str, int, int, tuple[tuple[Entry, ...], tuple[str, ...]] | None]


class RuleSet:
    """Load once with `RuleSet.load()`, then `apply` to each normalised message."""

    def __init__(self, lexicon: Lexicon, patterns: PatternSet, scope: ScopeRules, version: str) -> None:
        self.lexicon = lexicon
        self.patterns = patterns
        self.scope = scope
        self.version = version
        self._tokens: dict[int, _Token] = {}
        self.rule_ids: frozenset[str] = (
            lexicon.rule_ids
            | {pattern.rule_id for pattern in patterns.patterns}
            | scope.rule_ids
            | {RECIPIENT_RULE}
        )

    @classmethod
    def load(cls, resources: Path | None = None) -> RuleSet:
        folder = Path(resources) if resources is not None else DEFAULT_RESOURCES
        lexicon = load_lexicon(folder)
        macros = load_macros(
            folder, {"ROLE": alternation(lexicon.forms("role")), "GROUP": alternation(lexicon.forms("group"))}
        )
        with derivation_cache():
            patterns = PatternSet(load_patterns(folder / "patterns.tsv", macros))
            scope = load_scope(folder / "scope.tsv", macros)
        return cls(lexicon, patterns, scope, resources_version(folder))

    def apply(self, normalized: Normalized, doc: Doc, recipient: str | None = None) -> list[RuleHit]:
        text = normalized.text
        if not text.strip():
            return []
        hits: list[RuleHit] = []
        records = self._records(doc)
        pattern_mask = scope_mask = 0
        wanted = []
        for position, (_, pattern_bits, scope_bits, wanted_here) in enumerate(records):
            pattern_mask |= pattern_bits
            scope_mask |= scope_bits
            if wanted_here is not None:
                wanted.append(position)
        context = Context(text, self.scope, scope_mask)
        if wanted:
            self._lexicon_hits(records, wanted, doc, context, hits)
        self._pattern_hits(normalized, pattern_mask, context, hits)
        if recipient:
            pattern = _recipient_pattern(recipient)
            if pattern is not None:
                hits.extend(
                    RuleHit(RECIPIENT_RULE, "cue:recipient", *m.span()) for m in pattern.finditer(text)
                )
        return _dedupe(hits)

    def _records(self, doc: Doc) -> list[_Token]:
        """What the rules need of each token, cached by the token's text (its orth hash)."""
        hashes: list[int] = doc.to_array("ORTH").tolist()
        cache = self._tokens
        records = list(map(cache.get, hashes))
        if None in records:
            if len(cache) > _TOKEN_CACHE_LIMIT:
                cache.clear()
            for position, record in enumerate(records):
                if record is None:
                    token = doc[position]
                    record = cache[hashes[position]] = self._record(token.text, token.lemma_)
                    records[position] = record
        return cast("list[_Token]", records)

    def _record(self, word: str, lemma: str) -> _Token:
        wanted = None
        if word[0].isalpha():
            entries = self.lexicon.lookup(word, lemma)
            phrases = tuple(self.lexicon.phrase_starts.get(word, ()))
            if entries or phrases:
                wanted = (entries, phrases)
        return (word, self.patterns.index.token_mask(word), self.scope.index.token_mask(word), wanted)

    def _lexicon_hits(
        self, records: list[_Token], wanted: list[int], doc: Doc, context: Context, hits: list[RuleHit]
    ) -> None:
        lexicon = self.lexicon
        text = context.text
        for position in wanted:
            word, _, _, found = records[position]
            assert found is not None
            entries, phrases = found
            start = doc[position].idx
            previous = records[position - 1][0] if position > 0 else ""
            before_previous = records[position - 2][0] if position > 1 else ""
            if entries:
                self._emit(entries, start, start + len(word), previous, before_previous, context, hits)
            for phrase in phrases:
                end = start + len(phrase)
                if text.startswith(phrase, start) and (end == len(text) or not text[end].isalnum()):
                    self._emit(lexicon.phrase(phrase), start, end, previous, before_previous, context, hits)
                    break

    def _emit(
        self,
        entries: tuple[Entry, ...],
        start: int,
        end: int,
        previous: str,
        before_previous: str,
        context: Context,
        hits: list[RuleHit],
    ) -> None:
        aimed = previous in _AIM_BEFORE or (previous == "een" and before_previous in _AIM_BEFORE_EEN)
        for entry in entries:
            if entry.aimed_only and not aimed:
                continue
            if entry.intensifier and previous in _MEDICAL_BEFORE:
                continue
            labels = entry.labels
            if entry.intensifier and previous in _ESCALATE_BEFORE:
                labels = (*labels, ("insult", 0.8))
            for label, weight in labels:
                suppressed = (
                    None if label in CUE_LABELS else context.suppression(start, end, label, entry.negation)
                )
                hits.append(RuleHit(entry.rule_id, label, start, end, weight, suppressed))

    def _pattern_hits(
        self, normalized: Normalized, pattern_mask: int, context: Context, hits: list[RuleHit]
    ) -> None:
        contact: list[RuleHit] = []
        for pattern, start, end in self.patterns.scan(normalized.text, normalized.cased, pattern_mask):
            for label, weight in pattern.labels:
                if label == VIOLENCE_CUE:
                    # A violent word is a threat's evidence only where a threat would count: not
                    # negated, quoted, reported, condemned or figurative.
                    suppressed = context.suppression(start, end, "threat")
                    hits.append(RuleHit(pattern.rule_id, label, start, end, weight, suppressed))
                elif label in CUE_LABELS:
                    hits.append(RuleHit(pattern.rule_id, label, start, end, weight))
                elif pattern.contact:
                    contact.append(RuleHit(pattern.rule_id, label, start, end, weight))
                else:
                    suppressed = context.suppression(start, end, label, pattern.negation)
                    hits.append(RuleHit(pattern.rule_id, label, start, end, weight, suppressed))
        if contact:
            hits.extend(_weigh_contact(contact, hits, context))


def _weigh_contact(contact: list[RuleHit], hits: list[RuleHit], context: Context) -> list[RuleHit]:
    """Contact data alone is weak evidence; next to a threat or a doxxing phrase it is strong."""
    menacing = any(
        hit.active and (hit.label in _ATTACKS_FOR_CONTACT or hit.label == "doxxing") for hit in hits
    )
    civil = bool(context.spans("civil"))
    weighted = []
    for hit in contact:
        if menacing:
            weight = CONTACT_WITH_THREAT
        elif civil:
            weight = min(hit.weight, CONTACT_ALONE_CIVIL)
        else:
            weight = hit.weight
        weighted.append(RuleHit(hit.rule_id, hit.label, hit.start, hit.end, weight))
    return weighted


@lru_cache(maxsize=1024)
def _recipient_pattern(recipient: str) -> re.Pattern[str] | None:
    parts = [
        part
        for part in re.split(r"[^\w'-]+", normalize(recipient).text)
        if len(part) >= 3 and part not in _NAME_STOPWORDS
    ]
    return re.compile(rf"\b{alternation(parts)}\b") if parts else None


def _dedupe(hits: list[RuleHit]) -> list[RuleHit]:
    seen: set[tuple[str, str, int, int]] = set()
    unique = []
    for hit in hits:
        key = (hit.rule_id, hit.label, hit.start, hit.end)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    unique.sort(key=_ORDER)
    return unique
