"""Dutch tokenisation with spaCy: `spacy.blank("nl")`, lookup lemmas, hashtags and mentions whole.

No downloaded pipeline: the lemma table is spacy-lookups-data's Dutch `lemma_lookup`. It is read
into a plain dict by a small pipeline component (`triage_lookup_lemmas`) that does what spaCy's
lookup lemmatizer does (a token's lemma is its table entry, else its text) without building
spaCy's hashed lookup table, which cost about a second at every start. The tokenizer is built
once through a registered factory instead of replacing the default one after the fact.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import spacy
from spacy.attrs import LEMMA, LIKE_EMAIL, LIKE_NUM, LIKE_URL, ORTH
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# Hashtags, @mentions and e-mail addresses stay one token.
_WHOLE_TOKEN = re.compile(r"^(?:#\w+|@\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$")
TOKENIZER = "triage.nl_tokenizer.v1"
LEMMATIZER = "triage_lookup_lemmas"
# The lexical attributes the engine reads (features.py). spaCy computes every attribute in
# `lex_attr_getters` for each word it has not seen before (shape, prefix, stop word, ...: about
# 25 us a word); keeping only these makes a new word cheap.
LEXICAL_ATTRIBUTES = (LIKE_NUM, LIKE_URL, LIKE_EMAIL)


@spacy.registry.tokenizers(TOKENIZER)
def _tokenizer_factory() -> Callable[[Language], Tokenizer]:
    def create(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        default_match = defaults.token_match

        def token_match(text: str) -> re.Match[str] | None:
            return _WHOLE_TOKEN.match(text) or (default_match(text) if default_match else None)

        prefixes = [p for p in defaults.prefixes or () if p != "#"]  # '#' starts a hashtag, kept whole
        return Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes or ()).search,
            infix_finditer=compile_infix_regex(defaults.infixes or ()).finditer,
            token_match=token_match,
            url_match=defaults.url_match,
        )

    return create


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spacy-lookups-data's Dutch lemma lookup table (form -> lemma)."""
    data = resources.files("spacy_lookups_data") / "data" / "nl_lemma_lookup.json.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        table: dict[str, str] = json.load(handle)
    return table


class LookupLemmas:
    """Sets each token's lemma from the lookup table, or to its own text (as spaCy's lookup mode).

    Works on the doc's arrays with a memo from a word's hash to its lemma's hash, so a word seen
    before costs one dict lookup and no Token object."""

    CACHE_LIMIT = 500_000

    def __init__(self, strings: StringStore, table: dict[str, str]) -> None:
        self.strings = strings
        self.table = table
        self._lemma_of: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lemma_of = self._lemma_of
        orths: list[int] = doc.to_array(ORTH).tolist()
        if len(lemma_of) > self.CACHE_LIMIT:
            lemma_of.clear()
        lemmas = [lemma_of.get(orth) or self._learn(orth) for orth in orths]
        column = np.asarray(lemmas, dtype=np.uint64).reshape(-1, 1)
        doc.from_array([LEMMA], column)  # type: ignore[arg-type]  # thinc's Ints2d is an ndarray
        return doc

    def _learn(self, orth: int) -> int:
        text = self.strings[orth]
        lemma = self.strings.add(self.table.get(text, text))
        self._lemma_of[orth] = lemma
        return lemma


@Language.factory(LEMMATIZER)
def _lookup_lemmas(nlp: Language, name: str) -> LookupLemmas:
    return LookupLemmas(nlp.vocab.strings, lemma_table())


def build_tokenizer() -> Language:
    nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    vocab: Any = nlp.vocab  # spaCy's stubs omit the (public) lex_attr_getters attribute
    vocab.lex_attr_getters = {
        attribute: vocab.lex_attr_getters[attribute] for attribute in LEXICAL_ATTRIBUTES
    }
    nlp.add_pipe(LEMMATIZER)
    return nlp
