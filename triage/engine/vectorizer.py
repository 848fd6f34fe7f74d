"""TF-IDF n-gram features at inference time, from a fitted vocabulary and idf weights.

Fitting uses scikit-learn's TfidfVectorizer; serving uses this small index, which produces the
same matrix (tested) without the per-call validation and without storing the vectorizer object:
the model file holds only the terms (in column order) and their idf weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

Kind = Literal["char", "word"]
NGRAMS: dict[Kind, tuple[int, int]] = {"char": (2, 5), "word": (1, 2)}
MAX_FEATURES: dict[Kind, int] = {"char": 120_000, "word": 60_000}
WORD_CACHE_SIZE = 200_000
_NO_COLUMNS = np.empty(0, dtype=np.int32)


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


def char_wb_ngrams(word: str) -> list[str]:
    """scikit-learn's `char_wb` n-grams of one word (no whitespace inside), in its order: the word
    padded with a space on each side, every n-gram of NGRAMS["char"] lengths that fits, and the
    padded word itself once when it is no longer than an n-gram (tested against scikit-learn)."""
    low, high = NGRAMS["char"]
    padded = f" {word} "
    size = len(padded)
    if size <= low:
        return [padded]
    return [padded[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)]


@dataclass
class TfidfIndex:
    kind: Kind
    terms: np.ndarray  # the term of each column
    idf: np.ndarray  # float32, one weight per column
    _vocabulary: dict[str, int] = field(init=False, repr=False)
    _analyze: Callable[[str], list[str]] = field(init=False, repr=False)
    _word_cache: dict[str, np.ndarray] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.terms = np.asarray(self.terms, dtype=str)
        self.idf = np.asarray(self.idf, dtype=np.float32)
        if self.terms.shape != self.idf.shape:
            raise ValueError("terms and idf differ in length")
        self._vocabulary = {str(term): column for column, term in enumerate(self.terms)}
        self._analyze = sklearn_vectorizer(self.kind).build_analyzer()

    @classmethod
    def fit(
        cls,
        kind: Kind,
        documents: Sequence[str],
        exclude: Callable[[Iterable[str]], frozenset[str]] | None = None,
    ) -> TfidfIndex:
        """Fit the vocabulary and idf weights; `exclude` picks terms the model must not read."""
        vectorizer = sklearn_vectorizer(kind).fit(documents)
        terms = vectorizer.get_feature_names_out()
        excluded = exclude(str(term) for term in terms) if exclude is not None else frozenset()
        kept = np.array([str(term) not in excluded for term in terms], dtype=bool)
        return cls(kind, terms[kept], vectorizer.idf_[kept])

    def __len__(self) -> int:
        return len(self.terms)

    def _word_columns(self, word: str) -> np.ndarray:
        """The columns of a word's char n-grams (char_wb n-grams never cross a space), memoised."""
        columns = self._word_cache.get(word)
        if columns is None:
            vocabulary = self._vocabulary
            found = [c for gram in char_wb_ngrams(word) if (c := vocabulary.get(gram)) is not None]
            columns = np.asarray(found, dtype=np.int32)
            if len(self._word_cache) >= WORD_CACHE_SIZE:
                self._word_cache.clear()
            self._word_cache[word] = columns
        return columns

    def _columns(self, document: str) -> np.ndarray:
        """The columns of every n-gram of the document, repeated as often as the n-gram occurs."""
        if self.kind == "char":
            words = [self._word_columns(word) for word in document.split()]
            return np.concatenate(words) if words else _NO_COLUMNS
        vocabulary = self._vocabulary
        found = [c for gram in self._analyze(document) if (c := vocabulary.get(gram)) is not None]
        return np.asarray(found, dtype=np.int32)

    def row(self, document: str) -> tuple[np.ndarray, np.ndarray]:
        """One document's (columns, weights): the same values as its row of `transform`."""
        columns, counts = np.unique(self._columns(document), return_counts=True)
        columns = columns.astype(np.int32)
        weights = counts.astype(np.float32)
        np.log(weights, out=weights)
        weights += 1.0
        weights *= self.idf[columns]
        norm = float(np.sqrt(np.dot(weights, weights)))
        if norm > 0:
            weights /= norm
        return columns, weights

    def rows(self, documents: Sequence[str]) -> CsrRows:
        """TF-IDF rows (sublinear tf, l2-normalised) as CSR arrays, counted for the whole batch at
        once with numpy alone (scipy's constructors cost more than the counting for small batches)."""
        pieces = [self._columns(document) for document in documents]
        lengths = np.fromiter((len(piece) for piece in pieces), dtype=np.int64, count=len(pieces))
        columns = np.concatenate(pieces).astype(np.int64) if pieces else _NO_COLUMNS.astype(np.int64)
        width = len(self.terms)
        # One key per (row, column); sorting the keys orders them as CSR does, and repeats are the counts.
        keys = np.repeat(np.arange(len(documents), dtype=np.int64), lengths) * width + columns
        keys, counts = np.unique(keys, return_counts=True)
        row_of_value = keys // width
        indices = (keys - row_of_value * width).astype(np.int32)
        indptr = np.searchsorted(row_of_value, np.arange(len(documents) + 1)).astype(np.int32)
        data = counts.astype(np.float32)
        np.log(data, out=data)
        data += 1.0  # sublinear tf
        data *= self.idf[indices]
        norms = np.sqrt(np.bincount(row_of_value, weights=data * data, minlength=len(documents)))
        norms[norms == 0] = 1.0
        data /= norms[row_of_value].astype(np.float32)
        return CsrRows(indptr, indices, data)

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows as a scipy matrix (training and tests; serving uses `rows`)."""
        rows = self.rows(documents)
        return sp.csr_matrix((rows.data, rows.indices, rows.indptr), shape=(len(documents), len(self.terms)))


class CsrRows(NamedTuple):
    """The three arrays of a CSR matrix: row i holds indices/data[indptr[i]:indptr[i + 1]]."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray


def hstack_rows(blocks: Sequence[CsrRows], offsets: Sequence[int]) -> CsrRows:
    """Blocks of the same rows side by side, each block's columns shifted by its offset."""
    row_count = len(blocks[0].indptr) - 1
    row_of_value = np.concatenate(
        [np.repeat(np.arange(row_count), np.diff(block.indptr)) for block in blocks]
    )
    order = np.argsort(row_of_value, kind="stable")  # stable: within a row, blocks stay in order
    indices = np.concatenate([block.indices + offset for block, offset in zip(blocks, offsets, strict=True)])
    data = np.concatenate([block.data for block in blocks])
    indptr = np.add.reduce([block.indptr.astype(np.int64) for block in blocks]).astype(np.int32)
    return CsrRows(indptr, indices[order].astype(np.int32), data[order])
