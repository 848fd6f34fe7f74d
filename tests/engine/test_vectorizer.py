import numpy as np
import pytest
import scipy.sparse as sp

from triage.engine.features import group_presence_terms
from triage.engine.vectorizer import TfidfIndex, hstack_rows, sklearn_vectorizer

DOCS = [
    "ik ga je vermoorden vuile rat",
    "wat een kutbeleid van die wethouder",
    "de raad vergadert donderdag over de begroting",
    "jij bent een kankerlijer en een rat",
    "mooie speech wethouder, dank je wel",
    "de wethouder en de raad en de begroting",
    "onbekende woorden zoals zwiebelbrot",
    "",
]


@pytest.mark.parametrize("kind", ["char", "word"])
def test_index_reproduces_scikit_learn(kind: str) -> None:
    vectorizer = sklearn_vectorizer(kind).fit(DOCS)  # type: ignore[arg-type]
    index = TfidfIndex(kind, vectorizer.get_feature_names_out(), vectorizer.idf_)  # type: ignore[arg-type]
    expected = vectorizer.transform(DOCS).toarray()
    actual = index.transform(DOCS).toarray()
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


def test_terms_and_idf_must_agree() -> None:
    with pytest.raises(ValueError):
        TfidfIndex("word", np.array(["a", "b"]), np.array([1.0]))


@pytest.mark.parametrize("kind", ["char", "word"])
def test_row_equals_the_documents_row_of_transform(kind: str) -> None:
    index = TfidfIndex.fit(kind, DOCS)  # type: ignore[arg-type]
    matrix = index.transform(DOCS).toarray()
    for position, document in enumerate(DOCS):
        columns, weights = index.row(document)
        dense = np.zeros(len(index), dtype=np.float32)
        dense[columns] = weights
        np.testing.assert_allclose(dense, matrix[position], rtol=1e-5, atol=1e-6)


def test_excluded_terms_are_not_read() -> None:
    index = TfidfIndex.fit("word", DOCS, exclude=lambda terms: frozenset({"wethouder", "de raad"}))
    assert "wethouder" not in set(index.terms) and "de raad" not in set(index.terms)
    assert "de" in set(index.terms)
    columns, _ = index.row("de wethouder")
    assert [str(index.terms[c]) for c in columns] == ["de"]


def test_group_presence_terms_keep_what_is_said_about_a_group() -> None:
    terms = ["_groep_", "een _groep_", "_groep_ ,", "de _groep_", "vuile _groep_", "_groep_ zijn", "een"]
    assert group_presence_terms(terms) == {"_groep_", "een _groep_", "_groep_ ,", "de _groep_"}


def test_hstack_rows_equals_scipy_hstack() -> None:
    chars, words = TfidfIndex.fit("char", DOCS), TfidfIndex.fit("word", DOCS)
    char_rows, word_rows = chars.rows(DOCS), words.rows(DOCS)
    stacked = hstack_rows([char_rows, word_rows], [0, len(chars)])
    actual = sp.csr_matrix(
        (stacked.data, stacked.indices, stacked.indptr), shape=(len(DOCS), len(chars) + len(words))
    )
    expected = sp.hstack([chars.transform(DOCS), words.transform(DOCS)], format="csr")
    for row in range(len(DOCS)):  # canonical CSR: columns ascending within each row
        assert np.all(np.diff(stacked.indices[stacked.indptr[row] : stacked.indptr[row + 1]]) > 0)
    np.testing.assert_array_equal(actual.toarray(), expected.toarray())
    assert (stacked.indptr == expected.indptr).all()


@pytest.mark.parametrize(
    "word",
    ["a", "ab", "abc", "abcd", "kankerlijer", "🪓🪓", "k4nk3r", "élan", "x" * 40, "we'll", "06-12345678"],
)
def test_char_ngrams_of_a_word_are_scikit_learns(word: str) -> None:
    from triage.engine.vectorizer import char_wb_ngrams, sklearn_vectorizer

    assert char_wb_ngrams(word) == sklearn_vectorizer("char").build_analyzer()(word)
