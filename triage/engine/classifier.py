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
from sklearn.feature_extraction.text import TfidfVectorizer

from triage.engine.analysis import Analysis
from triage.engine.features import char_view, evidence_vector, word_view


class Backend(Protocol):
    """What the engine needs of a classifier backend."""

    def predict_proba(self, analyses: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray]:
        """(label probabilities, shape (n, 7) in LABELS order; target probabilities, shape (n, 4))."""
        ...


@dataclass
class Featurizer:
    char_vectorizer: TfidfVectorizer
    word_vectorizer: TfidfVectorizer

    @classmethod
    def unfitted(cls) -> Featurizer:
        return cls(
            char_vectorizer=TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 5),
                lowercase=False,
                min_df=2,
                max_features=120_000,
                sublinear_tf=True,
                dtype=np.float32,
            ),
            word_vectorizer=TfidfVectorizer(
                analyzer="word",
                token_pattern=r"\S+",
                ngram_range=(1, 2),
                lowercase=False,
                min_df=2,
                max_features=60_000,
                sublinear_tf=True,
                dtype=np.float32,
            ),
        )

    def fit_transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        chars = self.char_vectorizer.fit_transform([char_view(a) for a in analyses])
        words = self.word_vectorizer.fit_transform([word_view(a) for a in analyses])
        return self._stack(chars, words, analyses)

    def transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        chars = self.char_vectorizer.transform([char_view(a) for a in analyses])
        words = self.word_vectorizer.transform([word_view(a) for a in analyses])
        return self._stack(chars, words, analyses)

    def word_feature_slice(self) -> slice:
        start = len(self.char_vectorizer.vocabulary_)
        return slice(start, start + len(self.word_vectorizer.vocabulary_))

    @staticmethod
    def _stack(chars: sp.spmatrix, words: sp.spmatrix, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        evidence = sp.csr_matrix(np.vstack([evidence_vector(a) for a in analyses]).astype(np.float32))
        return sp.hstack([chars, words, evidence], format="csr", dtype=np.float32)


@dataclass
class LinearHeads:
    """Logistic heads for the labels (Platt-calibrated) and a softmax head for the target."""

    label_coef: np.ndarray  # (n_features, n_labels)
    label_intercept: np.ndarray  # (n_labels,)
    platt_a: np.ndarray  # (n_labels,)
    platt_b: np.ndarray  # (n_labels,)
    target_coef: np.ndarray  # (n_features, n_targets)
    target_intercept: np.ndarray  # (n_targets,)

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
        words = self.featurizer.word_vectorizer.transform([word_view(analysis)])
        coef = self.heads.label_coef[self.featurizer.word_feature_slice(), label_index]
        row = words.tocsr()
        contributions = [(int(j), float(v * coef[j])) for j, v in zip(row.indices, row.data, strict=True)]
        names = self.featurizer.word_vectorizer.get_feature_names_out()
        best = sorted(contributions, key=lambda item: -item[1])[:top]
        return [(str(names[j]), weight) for j, weight in best if weight > 0.05]
