"""The statistical classifier: the backend protocol and the default scikit-learn backend.

A backend turns analysed messages into calibrated probabilities for the seven labels and a
distribution over the four targets. The scikit-learn backend is linear: TF-IDF char and word
n-grams plus the evidence vector, one logistic head per label with Platt calibration, and one
multinomial head for the target, all evaluated in one sparse matrix product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax

from triage.engine.analysis import Analysis
from triage.engine.features import (
    EVIDENCE_FEATURES,
    char_view,
    evidence_vector,
    group_presence_terms,
    word_view,
)
from triage.engine.vectorizer import CsrRows, TfidfIndex, hstack_rows

# A lemma n-gram explains a flag only when it adds at least this much to the label's score.
MIN_EVIDENCE_WEIGHT = 0.25


class Backend(Protocol):
    """What the engine needs of a classifier backend."""

    def predict_proba(self, analyses: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        """(label probabilities, shape (n, 7) in LABELS order; target probabilities, shape (n, 4)).

        A backend may add notes to the analyses (e.g. that its input was truncated)."""
        ...

    def word_evidence(self, analysis: Analysis, label_index: int, top: int = 3) -> list[tuple[str, float]]:
        """Lemma n-grams of the message that raised the label most (empty when it cannot tell)."""
        ...


@dataclass
class Featurizer:
    char: TfidfIndex
    word: TfidfIndex

    @classmethod
    def fit(cls, analyses: Sequence[Analysis]) -> Featurizer:
        return cls(
            char=TfidfIndex.fit("char", [char_view(a) for a in analyses]),
            word=TfidfIndex.fit("word", [word_view(a) for a in analyses], exclude=group_presence_terms),
        )

    @property
    def width(self) -> int:
        return len(self.char) + len(self.word) + len(EVIDENCE_FEATURES)

    def transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        chars = self.char.rows([char_view(a) for a in analyses])
        words = self.word.rows([word_view(a) for a in analyses])
        bounds = words.indptr.tolist()
        for i, analysis in enumerate(analyses):
            start, end = bounds[i], bounds[i + 1]
            analysis.word_row = (words.indices[start:end], words.data[start:end])
        dense = np.array([evidence_vector(a) for a in analyses], dtype=np.float32).reshape(len(analyses), -1)
        present = dense != 0
        evidence = CsrRows(
            np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32),
            np.nonzero(present)[1].astype(np.int32),
            dense[present],
        )
        stacked = hstack_rows([chars, words, evidence], [0, len(self.char), len(self.char) + len(self.word)])
        return sp.csr_matrix(
            (stacked.data, stacked.indices, stacked.indptr), shape=(len(analyses), self.width)
        )

    def word_columns(self) -> slice:
        return slice(len(self.char), len(self.char) + len(self.word))


@dataclass
class LinearHeads:
    """Logistic heads for the labels (Platt-calibrated) and a softmax head for the target."""

    label_coef: np.ndarray  # (n_features, n_labels)
    label_intercept: np.ndarray  # (n_labels,)
    platt_a: np.ndarray  # (n_labels,)
    platt_b: np.ndarray  # (n_labels,)
    target_coef: np.ndarray  # (n_features, n_targets)
    target_intercept: np.ndarray  # (n_targets,)

    def __post_init__(self) -> None:
        # Row-major weights: scipy's sparse @ dense copies a column-major matrix on every call
        # (about 0.3 ms per call for these weights, which dominated single-message classify).
        self.label_coef = np.ascontiguousarray(self.label_coef)
        self.target_coef = np.ascontiguousarray(self.target_coef)

    def label_scores(self, features: sp.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.label_coef) + self.label_intercept

    def label_proba(self, features: sp.csr_matrix) -> np.ndarray:
        return np.asarray(expit(self.platt_a * self.label_scores(features) + self.platt_b))

    def target_proba(self, features: sp.csr_matrix) -> np.ndarray:
        return np.asarray(softmax(np.asarray(features @ self.target_coef) + self.target_intercept, axis=1))


@dataclass
class SklearnBackend:
    featurizer: Featurizer
    heads: LinearHeads

    def predict_proba(self, analyses: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        features = self.featurizer.transform(analyses)
        return self.heads.label_proba(features), self.heads.target_proba(features)

    def word_evidence(self, analysis: Analysis, label_index: int, top: int = 3) -> list[tuple[str, float]]:
        """The lemma n-grams of this message that pushed the label up most, with their weights."""
        if analysis.word_row is not None:
            columns, weights = analysis.word_row
        else:
            columns, weights = self.featurizer.word.row(word_view(analysis))
        if not len(columns):
            return []
        coef = self.heads.label_coef[self.featurizer.word_columns(), label_index]
        contributions = weights * coef[columns]
        best = np.argsort(-contributions)[:top]
        terms = self.featurizer.word.terms
        return [
            (str(terms[columns[i]]), float(contributions[i]))
            for i in best
            if contributions[i] >= MIN_EVIDENCE_WEIGHT
        ]
