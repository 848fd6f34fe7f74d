"""The model-free stages: truncate, normalise, tokenise, identify the language, apply the rules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from spacy.language import Language

from triage.engine import typos
from triage.engine.analysis import Analysis
from triage.engine.language import LanguageIdentifier
from triage.engine.normalize import normalize
from triage.engine.rules import RuleSet
from triage.engine.tokenize import build_tokenizer

MAX_CHARS: Final = 20_000


class Analyzer:
    def __init__(self, rules: RuleSet, nlp: Language, language: LanguageIdentifier, max_chars: int) -> None:
        self.rules = rules
        self.nlp = nlp
        self.language = language
        self.max_chars = max_chars

    @classmethod
    def build(cls, resources: Path | None = None, max_chars: int = MAX_CHARS) -> Analyzer:
        nlp = build_tokenizer()
        typos.warm()  # the normaliser's word lists, loaded now rather than on first use
        return cls(RuleSet.load(resources), nlp, LanguageIdentifier(), max_chars)

    def analyse_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Analysis]:
        if recipients is None:
            recipients = [None] * len(texts)
        if len(recipients) != len(texts):
            raise ValueError("texts and recipients differ in length")
        analyses = []
        for text, recipient in zip(texts, recipients, strict=True):
            truncated = len(text) > self.max_chars
            analysis = Analysis(original=text[: self.max_chars] if truncated else text, truncated=truncated)
            analysis.recipient = recipient.strip() if recipient and recipient.strip() else None
            analysis.normalized = normalize(analysis.original)
            analyses.append(analysis)
        docs = self.nlp.pipe([a.normalized.text for a in analyses if a.normalized], batch_size=256)
        languages = self.language.identify_many([a.normalized.text for a in analyses if a.normalized])
        for analysis, doc, language in zip(analyses, docs, languages, strict=True):
            assert analysis.normalized is not None
            analysis.doc = doc
            analysis.language = language
            analysis.hits = self.rules.apply(analysis.normalized, doc, analysis.recipient)
            if analysis.truncated:
                analysis.notes.append(f"text truncated to the first {self.max_chars} characters")
        return analyses
