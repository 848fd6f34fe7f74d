"""Shared by the lifecycle tests: a small corpus and a small baseline model trained from it, once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.config import TrainConfig
from training.gates import GateConfig
from training.train import train
from triage.engine.registry import Registry

from .small_corpus import write_small_corpus

# Small data: the gate's figures move more between two models than on the full corpus. The small
# test split has about 25 messages per label, where the standard error of F1 is about 0.1; and few
# neutral mentions per identity term: one flag moves a rate by ~0.1.
SMALL_GATE = GateConfig(
    label_f1_tolerance=0.1, gender_gap_tolerance=0.1, behaviour_tolerance=1, fpr_tolerance=0.15
)


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_small_corpus(tmp_path_factory.mktemp("corpus"))


def small_config(corpus: tuple[Path, Path], root: Path, version: str, **changes: object) -> TrainConfig:
    config = TrainConfig(
        version=version, corpus_dir=corpus[0], splits_file=corpus[1], models_dir=root, gate=SMALL_GATE
    )
    for key, value in changes.items():
        setattr(config, key, value)
    return config


@pytest.fixture(scope="session")
def small_baseline(small_corpus: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """models/triage-nl/1.0.0 trained on the small corpus (no model in service: its gate is informative)."""
    root = tmp_path_factory.mktemp("baseline-models")
    return train(small_config(small_corpus, root, "1.0.0"))


@pytest.fixture
def registry(tmp_path: Path, small_baseline: Path) -> Registry:
    """A registry of its own per test, with the small baseline as the current version."""
    registry = Registry(tmp_path / "models", "triage-nl")
    shutil.copytree(small_baseline, registry.folder("1.0.0"))
    registry.promote("1.0.0", actor="test", reason="start")
    return registry
