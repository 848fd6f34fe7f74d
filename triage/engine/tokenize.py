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
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    default_match = tokenizer.token_match

    def token_match(text: str) -> re.Match[str] | None:
        return _WHOLE_TOKEN.match(text) or (default_match(text) if default_match else None)

    tokenizer.token_match = token_match
    prefixes = [p for p in nlp.Defaults.prefixes or () if p != "#"]
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp
