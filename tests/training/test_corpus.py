"""Data tests of the project's corpus: schema, label set, sizes, duplicates and split leaks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from training import corpus
from training.corpus_schema import ATTACK_LABELS, LABELS, validate_file


@pytest.fixture(scope="module")
def examples() -> list[corpus.Example]:
    return corpus.deduplicate(corpus.read_batches())


@pytest.fixture(scope="module")
def splits() -> dict[str, str]:
    return corpus.read_splits()


@pytest.mark.parametrize("path", sorted(corpus.BATCHES_DIR.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_batch_follows_the_schema(path: Path) -> None:
    count, errors = validate_file(path)
    assert count > 0
    assert errors == []


def test_ids_are_unique_across_batches() -> None:
    ids = Counter(e.id for e in corpus.read_batches())
    assert [key for key, n in ids.items() if n > 1] == []


def test_size_and_balance(examples: list[corpus.Example]) -> None:
    assert len(examples) >= 5000
    counts = Counter(label for e in examples for label in e.labels)
    for label in LABELS:
        if label in ATTACK_LABELS:
            assert counts[label] >= 300, label
    without_attack = sum(1 for e in examples if not ATTACK_LABELS & set(e.labels))
    assert without_attack / len(examples) >= 0.40
    hard = sum(1 for e in examples if e.kind == "hard_negative")
    assert hard >= without_attack / 2


def test_every_example_has_a_split(examples: list[corpus.Example], splits: dict[str, str]) -> None:
    missing = [e.id for e in examples if e.id not in splits]
    assert missing == []
    shares = Counter(splits[e.id] for e in examples)
    assert shares["dev"] >= 0.07 * len(examples)
    assert shares["test"] >= 0.07 * len(examples)


def test_no_duplicates_or_near_duplicates_across_splits(
    examples: list[corpus.Example], splits: dict[str, str]
) -> None:
    leaks = [
        (examples[i].id, examples[j].id)
        for i, j in corpus.near_duplicate_pairs([e.text for e in examples])
        if splits[examples[i].id] != splits[examples[j].id]
    ]
    assert leaks == []


def test_stored_splits_are_what_prepare_computes(
    examples: list[corpus.Example], splits: dict[str, str]
) -> None:
    assert corpus.assign_splits(examples) == {e.id: splits[e.id] for e in examples}
