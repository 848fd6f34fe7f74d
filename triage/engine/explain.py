"""Spans that explain a verdict, in offsets of the ORIGINAL text."""

from __future__ import annotations

import re

from triage.engine.analysis import Analysis
from triage.engine.classifier import Backend
from triage.engine.labels import LABELS
from triage.engine.verdict import Span


def rule_spans(analysis: Analysis) -> list[Span]:
    normalized = analysis.normalized
    assert normalized is not None
    spans = set()
    for hit in analysis.active_hits():
        if hit.label in analysis.flags:
            start, end = normalized.to_original(hit.start, hit.end)
            if end > start:
                spans.add(Span(start, end, hit.label, hit.rule_id))
    return sorted(spans, key=lambda span: (span.start, span.end, span.label))


def model_spans(analysis: Analysis, backend: Backend, covered: set[str]) -> list[Span]:
    """For flags no rule explains: where the lemmas that weighed most for the model occur."""
    normalized, doc = analysis.normalized, analysis.doc
    assert normalized is not None and doc is not None
    spans = []
    for label in analysis.flags:
        if label in covered:
            continue
        for ngram, _weight in backend.word_evidence(analysis, LABELS.index(label)):
            lemmas = ngram.split(" ")
            for token in doc:
                if token.lemma_ == lemmas[0] or token.text == lemmas[0]:
                    last = doc[min(token.i + len(lemmas) - 1, len(doc) - 1)]
                    start, end = normalized.to_original(token.idx, last.idx + len(last.text))
                    if end > start and not re.fullmatch(r"\W*", analysis.original[start:end]):
                        spans.append(Span(start, end, label, f"model:{ngram}"))
                    break
    return spans


def explain(analysis: Analysis, backend: Backend) -> list[Span]:
    spans = rule_spans(analysis)
    covered = {span.label for span in spans}
    spans.extend(model_spans(analysis, backend, covered))
    return sorted(spans, key=lambda span: (span.start, span.end, span.label))
