"""A training run's configuration, read from TOML: the data sources, the backend, the seed, the gate.

    seed = 13
    [model]
    name = "triage-nl"
    version = "1.1.0"
    output = "../../models/triage-nl/1.1.0"   # optional; default models/<name>/<version>
    [backend]
    kind = "sklearn"                           # or "transformer" (see training/transformer.py)
    label_c = 1.0
    [data]
    corpus = true                              # the project's corpus train split (dev/test always)
    extra_train = ["more.jsonl"]               # project JSONL, train only
    [[data.source]]
    path = "exports/reviews.jsonl"
    format = "reviews"                         # jsonl | reviews | imsypp
    repeat = 3                                 # weight: each example counts this many times
    [gate]
    label_f1_tolerance = 0.02

Relative paths are relative to the TOML file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from training.gates import GateConfig

BACKENDS: Final = ("sklearn", "transformer")
FORMATS: Final = ("jsonl", "reviews", "imsypp")


@dataclass(frozen=True, slots=True)
class DataSource:
    path: Path
    format: str = "jsonl"
    repeat: int = 1

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"data source {self.path}: format {self.format!r} is not one of {FORMATS}")
        if self.repeat < 1:
            raise ValueError(f"data source {self.path}: repeat must be at least 1")

    def describe(self) -> dict[str, Any]:
        return {"path": self.path.name, "format": self.format, "repeat": self.repeat}


@dataclass
class TrainConfig:
    name: str = "triage-nl"
    version: str = "1.0.0"
    seed: int = 13
    backend: str = "sklearn"
    label_c: float = 1.0
    target_c: float = 2.0
    output: Path | None = None
    corpus: bool = True
    corpus_dir: Path | None = None  # default data/corpus/batches
    splits_file: Path | None = None  # default data/corpus/splits.tsv
    sources: list[DataSource] = field(default_factory=list)
    transformer: dict[str, Any] = field(default_factory=dict)  # the [backend] table, for kind transformer
    gate: GateConfig = field(default_factory=GateConfig)
    models_dir: Path | None = None  # the registry the gate compares with (default models/)
    progress: bool | None = None  # progress bars: None = when stderr is a terminal

    @property
    def extra_train(self) -> list[Path]:
        return [source.path for source in self.sources]

    @classmethod
    def from_toml(cls, path: Path) -> TrainConfig:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls.from_dict(data, path.parent)

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: Path) -> TrainConfig:
        model = data.get("model", {})
        backend = data.get("backend", {})
        sources = data.get("data", {})
        kind = str(backend.get("kind", "sklearn"))
        if kind not in BACKENDS:
            raise ValueError(f"backend kind {kind!r} is not one of {BACKENDS}")

        def resolve(value: str | None) -> Path | None:
            return (base / Path(value).expanduser()).resolve() if value else None

        listed = [DataSource(resolve(p) or Path(p)) for p in sources.get("extra_train", [])]
        for table in sources.get("source", []):
            listed.append(
                DataSource(
                    path=resolve(str(table["path"])) or Path(table["path"]),
                    format=str(table.get("format", "jsonl")),
                    repeat=int(table.get("repeat", 1)),
                )
            )
        transformer = dict(backend) if kind == "transformer" else {}
        if transformer.get("base", "tiny-bert") != "tiny-bert":
            transformer["base"] = str(resolve(str(transformer["base"])))
        default_version = "0.1.0" if kind == "transformer" else cls.version
        return cls(
            name=str(model.get("name", cls.name)),
            version=str(model.get("version", default_version)),
            seed=int(data.get("seed", cls.seed)),
            backend=kind,
            label_c=float(backend.get("label_c", cls.label_c)),
            target_c=float(backend.get("target_c", cls.target_c)),
            output=resolve(model.get("output")),
            corpus=bool(sources.get("corpus", True)),
            corpus_dir=resolve(sources.get("corpus_dir")),
            splits_file=resolve(sources.get("splits")),
            sources=listed,
            transformer=transformer,
            gate=GateConfig.from_dict(data.get("gate", {})),
            models_dir=resolve(model.get("registry")),
        )

    def registry_root(self) -> Path:
        from triage.engine.registry import MODELS_DIR

        return self.models_dir or MODELS_DIR

    def output_dir(self) -> Path:
        return self.output or self.registry_root() / self.name / self.version

    def describe(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "backend": self.backend,
            "label_c": self.label_c,
            "target_c": self.target_c,
            "corpus": self.corpus,
            "sources": [source.describe() for source in self.sources],
        }
