"""TF-IDF n-gram features at inference time, from a fitted vocabulary and idf weights.

Fitting uses scikit-learn's TfidfVectorizer; serving uses this small index, which produces the
same matrix (tested) without the per-call validation and without storing the vectorizer object:
the model file holds only the terms (in column order) and their idf weights.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

Kind = Literal["char", "word"]
NGRAMS: dict[Kind, tuple[int, int]] = {"char": (2, 5), "word": (1, 2)}
MAX_FEATURES: dict[Kind, int] = {"char": 120_000, "word": 60_000}
WORD_CACHE_SIZE = 200_000


def sklearn_vectorizer(kind: Kind) -> TfidfVectorizer:
    """The unfitted scikit-learn vectorizer whose vocabulary an index is made from."""
    common = {
        "ngram_range": NGRAMS[kind],
        "lowercase": False,
        "min_df": 2,
        "max_features": MAX_FEATURES[kind],
        "sublinear_tf": True,
        "dtype": np.float32,
    }
    if kind == "char":
        return TfidfVectorizer(analyzer="char_wb", **common)
    return TfidfVectorizer(analyzer="word", token_pattern=r"\S+", **common)


@dataclass
class TfidfIndex:
    kind: Kind
    terms: np.ndarray  # the term of each column
    idf: np.ndarray  # float32, one weight per column
    _vocabulary: dict[str, int] = field(init=False, repr=False)
    _analyze: Callable[[str], list[str]] = field(init=False, repr=False)
    _word_cache: dict[str, tuple[int, ...]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.terms = np.asarray(self.terms, dtype=str)
        self.idf = np.asarray(self.idf, dtype=np.float32)
        if self.terms.shape != self.idf.shape:
            raise ValueError("terms and idf differ in length")
        self._vocabulary = {str(term): column for column, term in enumerate(self.terms)}
        self._analyze = sklearn_vectorizer(self.kind).build_analyzer()

    @classmethod
    def fit(cls, kind: Kind, documents: Sequence[str], exclude: frozenset[str] = frozenset()) -> TfidfIndex:
        """Fit the vocabulary and idf weights; `exclude` names terms the model must not read."""
        vectorizer = sklearn_vectorizer(kind).fit(documents)
        terms = vectorizer.get_feature_names_out()
        kept = np.array([str(term) not in exclude for term in terms], dtype=bool)
        return cls(kind, terms[kept], vectorizer.idf_[kept])

    def __len__(self) -> int:
        return len(self.terms)

    def _word_columns(self, word: str) -> tuple[int, ...]:
        """The columns of a word's char n-grams (char_wb n-grams never cross a space), memoised."""
        columns = self._word_cache.get(word)
        if columns is None:
            vocabulary = self._vocabulary
            columns = tuple(c for gram in self._analyze(word) if (c := vocabulary.get(gram)) is not None)
            if len(self._word_cache) >= WORD_CACHE_SIZE:
                self._word_cache.clear()
            self._word_cache[word] = columns
        return columns

    def _columns(self, document: str) -> list[int]:
        if self.kind == "char":
            return [column for word in document.split() for column in self._word_columns(word)]
        vocabulary = self._vocabulary
        return [c for gram in self._analyze(document) if (c := vocabulary.get(gram)) is not None]

    def row(self, document: str) -> tuple[np.ndarray, np.ndarray]:
        """One document's (columns, weights): the same values as its row of `transform`."""
        counts: dict[int, int] = {}
        for column in self._columns(document):
            counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts, dtype=np.int32, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        np.log(weights, out=weights)
        weights += 1.0
        weights *= self.idf[columns]
        norm = float(np.sqrt(np.dot(weights, weights)))
        if norm > 0:
            weights /= norm
        return columns, weights

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        indptr: list[int] = [0]
        indices: list[int] = []
        counts: list[int] = []
        for document in documents:
            row: dict[int, int] = {}
            for column in self._columns(document):
                row[column] = row.get(column, 0) + 1
            indices.extend(row)
            counts.extend(row.values())
            indptr.append(len(indices))
        data = np.asarray(counts, dtype=np.float32)
        index_array = np.asarray(indices, dtype=np.int32)
        np.log(data, out=data)
        data += 1.0  # sublinear tf
        data *= self.idf[index_array]
        matrix = sp.csr_matrix(
            (data, index_array, np.asarray(indptr)), shape=(len(documents), len(self.terms))
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
        return matrix
