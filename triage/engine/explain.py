"""Spans that explain a verdict, in offsets of the ORIGINAL text."""

from __future__ import annotations

import re

from spacy.attrs import IDX, LEMMA, ORTH
from spacy.strings import get_string_id

from triage.engine.analysis import Analysis
from triage.engine.classifier import Backend
from triage.engine.labels import LABELS
from triage.engine.verdict import Span

_NO_WORD = re.compile(r"\W*")


def rule_spans(analysis: Analysis) -> list[Span]:
    normalized = analysis.normalized
    assert normalized is not None
    spans = set()
    for hit in analysis.active_hits():
        if hit.label in analysis.flags:
            start, end = normalized.to_original(hit.start, hit.end)
            if end > start:
                spans.add(Span(start, end, hit.label, hit.rule_id))
    return sorted(spans, key=lambda span: (span.start, span.end, span.label, span.source))


def model_spans(analysis: Analysis, backend: Backend, covered: set[str]) -> list[Span]:
    """For flags no rule explains: where the lemmas that weighed most for the model occur."""
    normalized, doc = analysis.normalized, analysis.doc
    assert normalized is not None and doc is not None
    wanted = [label for label in analysis.flags if label not in covered]
    if not wanted or not len(doc):
        return []
    tokens: list[list[int]] = doc.to_array([LEMMA, ORTH, IDX]).tolist()
    strings = doc.vocab.strings
    spans = []
    for label in wanted:
        for ngram, _weight in backend.word_evidence(analysis, LABELS.index(label)):
            lemmas = ngram.split(" ")
            first = get_string_id(lemmas[0])
            for i, (lemma, orth, offset) in enumerate(tokens):
                if lemma == first or orth == first:
                    _, last_orth, last_offset = tokens[min(i + len(lemmas) - 1, len(tokens) - 1)]
                    start, end = normalized.to_original(offset, last_offset + len(strings[last_orth]))
                    if end > start and not _NO_WORD.fullmatch(analysis.original, start, end):
                        spans.append(Span(start, end, label, f"model:{ngram}"))
                    break
    return spans


def explain(analysis: Analysis, backend: Backend) -> list[Span]:
    spans = rule_spans(analysis)
    covered = {span.label for span in spans}
    spans.extend(model_spans(analysis, backend, covered))
    return sorted(spans, key=lambda span: (span.start, span.end, span.label, span.source))
