"""The project's corpus: batch files in data/corpus/batches/, and its fixed train/dev/test splits.

Splits are assigned once by `prepare` and stored in data/corpus/splits.tsv (id, split). Messages
that are near-duplicates of each other (cosine of char 3-5-grams >= NEAR_DUPLICATE) always share a
split, so that no split leaks into another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from training.corpus_schema import record_problems

DATA_DIR: Final = Path(__file__).resolve().parents[1] / "data"
CORPUS_DIR: Final = DATA_DIR / "corpus"
BATCHES_DIR: Final = CORPUS_DIR / "batches"
SPLITS_FILE: Final = CORPUS_DIR / "splits.tsv"
SPLITS: Final = ("train", "dev", "test")
SPLIT_SHARES: Final = (0.8, 0.1, 0.1)
NEAR_DUPLICATE: Final = 0.8


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    text: str
    labels: tuple[str, ...]
    severity: str
    target: str
    platform: str = "other"
    lang: str = "nl"
    kind: str = "benign"
    source: str = "corpus"


class CorpusError(ValueError):
    pass


def example_from_record(record: dict[str, object], source: str) -> Example:
    problems = record_problems(record)
    if problems:
        raise CorpusError(f"{source}: {record.get('id')}: {'; '.join(problems)}")
    labels = record["labels"]
    assert isinstance(labels, list)
    return Example(
        id=str(record["id"]),
        text=str(record["text"]),
        labels=tuple(str(label) for label in labels),
        severity=str(record["severity"]),
        target=str(record["target"]),
        platform=str(record["platform"]),
        lang=str(record["lang"]),
        kind=str(record["kind"]),
        source=source,
    )


def read_jsonl(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path.name}:{number}: invalid JSON: {exc}") from exc
            examples.append(example_from_record(record, path.name))
    return examples


def read_batches(batches_dir: Path = BATCHES_DIR) -> list[Example]:
    examples: list[Example] = []
    for path in sorted(batches_dir.glob("*.jsonl")):
        examples.extend(read_jsonl(path))
    return examples


def _canonical(text: str) -> str:
    return " ".join(text.lower().split())


def deduplicate(examples: Iterable[Example]) -> list[Example]:
    seen: set[str] = set()
    unique = []
    for example in examples:
        key = _canonical(example.text)
        if key not in seen:
            seen.add(key)
            unique.append(example)
    return unique


def near_duplicate_pairs(texts: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose char 3-5-gram TF-IDF cosine is at least `threshold`."""
    if len(texts) < 2:
        return []
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(
        [_canonical(t) for t in texts]
    )
    pairs = []
    chunk = 1000
    for offset in range(0, vectors.shape[0], chunk):
        block = (vectors[offset : offset + chunk] @ vectors.T).tocoo()
        for i, j, value in zip(block.row, block.col, block.data, strict=True):
            row = int(i) + offset
            if row < int(j) and value >= threshold:
                pairs.append((row, int(j)))
    return pairs


def _groups(count: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        root_i, root_j = find(i), find(j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)
    return [find(i) for i in range(count)]


def _split_for(key: str) -> str:
    fraction = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    cumulative = np.cumsum(SPLIT_SHARES)
    return SPLITS[int(np.searchsorted(cumulative, fraction, side="right").clip(0, len(SPLITS) - 1))]


def assign_splits(examples: Sequence[Example]) -> dict[str, str]:
    """A fixed split per example id; near-duplicates follow the first member of their group."""
    groups = _groups(len(examples), near_duplicate_pairs([e.text for e in examples]))
    return {example.id: _split_for(examples[groups[i]].id) for i, example in enumerate(examples)}


def write_splits(assignment: dict[str, str], path: Path = SPLITS_FILE) -> None:
    lines = ["id\tsplit", *(f"{key}\t{assignment[key]}" for key in sorted(assignment))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_splits(path: Path = SPLITS_FILE) -> dict[str, str]:
    if not path.is_file():
        raise CorpusError(f"{path} is missing: run `triage train --prepare` first")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]
    return {key: split for key, split in rows}


def load_split(name: str, batches_dir: Path = BATCHES_DIR, splits_file: Path = SPLITS_FILE) -> list[Example]:
    if name not in SPLITS:
        raise CorpusError(f"unknown split {name!r}; expected one of {SPLITS}")
    assignment = read_splits(splits_file)
    examples = deduplicate(read_batches(batches_dir))
    return [example for example in examples if assignment.get(example.id) == name]
