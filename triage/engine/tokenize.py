"""Dutch tokenisation with spaCy: `spacy.blank("nl")`, lookup lemmas, hashtags and mentions whole.

No downloaded pipeline: the lemma table comes from the spacy-lookups-data package.
"""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

# Hashtags, @mentions and e-mail addresses stay one token.
_WHOLE_TOKEN = re.compile(r"^(?:#\w+|@\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$")


def build_tokenizer() -> Language:
    nlp = spacy.blank("nl")
    default = nlp.tokenizer
    assert isinstance(default, Tokenizer)
    default_match = default.token_match

    def token_match(text: str) -> re.Match[str] | None:
        return _WHOLE_TOKEN.match(text) or (default_match(text) if default_match else None)

    prefixes = [p for p in nlp.Defaults.prefixes or () if p != "#"]
    # One new tokenizer rather than setting attributes: each setter reloads every special case.
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=nlp.Defaults.tokenizer_exceptions,
        prefix_search=spacy.util.compile_prefix_regex(prefixes).search,
        suffix_search=default.suffix_search,
        infix_finditer=default.infix_finditer,
        token_match=token_match,
        url_match=default.url_match,
    )
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp
