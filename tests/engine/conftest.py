"""Engine-stage fixtures: the tokenizer and the rules load once per session."""

from __future__ import annotations

import pytest
from spacy.language import Language

from triage.engine.rules import RuleSet
from triage.engine.tokenize import build_tokenizer


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_tokenizer()


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return RuleSet.load()
