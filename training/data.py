"""The prepare stage's output: train/dev/test examples from the configured sources, with their counts.

Dev and test are always the corpus's fixed splits, so that models stay comparable; every other
source adds training examples only. Examples whose text is also in dev or test are dropped from
training (a reviewed message may be a corpus message), so no split leaks into another.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from training import corpus
from training.config import TrainConfig
from training.corpus import Example
from training.loaders import read_labelled


@dataclass
class Dataset:
    train: list[Example]
    dev: list[Example]
    test: list[Example]
    sources: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "train": len(self.train),
            "dev": len(self.dev),
            "test": len(self.test),
            "sources": self.sources,
            "train_labels": dict(Counter(label for e in self.train for label in e.labels)),
            "train_severity": dict(Counter(e.severity for e in self.train)),
        }


def _canonical(text: str) -> str:
    return " ".join(text.lower().split())


def load_dataset(config: TrainConfig) -> Dataset:
    paths: dict[str, Any] = {}
    if config.corpus_dir is not None:
        paths["batches_dir"] = config.corpus_dir
    if config.splits_file is not None:
        paths["splits_file"] = config.splits_file
    dev = corpus.load_split("dev", **paths)
    test = corpus.load_split("test", **paths)
    held_out = {_canonical(e.text) for e in [*dev, *test]}
    train: list[Example] = []
    sources: list[dict[str, Any]] = []
    if config.corpus:
        examples = corpus.load_split("train", **paths)
        train.extend(examples)
        sources.append({"path": "corpus", "format": "corpus", "repeat": 1, "examples": len(examples)})
    for source in config.sources:
        fmt = "jsonl" if source.format == "reviews" else source.format
        examples = read_labelled(source.path, fmt)
        kept = [e for e in examples if _canonical(e.text) not in held_out]
        train.extend(kept * source.repeat)
        sources.append(
            {**source.describe(), "examples": len(kept), "dropped_held_out": len(examples) - len(kept)}
        )
    if not train:
        raise ValueError("no training examples: enable the corpus or add a data source")
    return Dataset(train=train, dev=dev, test=test, sources=sources)
