"""`triage train --config FILE.toml` with several data sources: a complete, documented model folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.engine import Engine
from triage.engine.registry import Registry

TOML = """
seed = 13
[model]
name = "triage-nl"
version = "1.0.1"
registry = "{root}"
[backend]
kind = "sklearn"
label_c = 1.0
[data]
corpus = true
corpus_dir = "{batches}"
splits = "{splits}"
extra_train = ["extra.jsonl"]
[[data.source]]
path = "reviews.jsonl"
format = "reviews"
repeat = 2
[[data.source]]
path = "imsypp.csv"
format = "imsypp"
[gate]
label_f1_tolerance = 0.05
"""


def line(id: str, text: str, labels: list[str], severity: str, kind: str) -> str:
    record = {"id": id, "text": text, "labels": labels, "severity": severity, "target": "person"}
    return json.dumps(record | {"platform": "x", "lang": "nl", "kind": kind}) + "\n"


@pytest.mark.slow
def test_train_from_a_toml_with_sources(
    tmp_path: Path, registry: Registry, small_corpus: tuple[Path, Path]
) -> None:
    (tmp_path / "extra.jsonl").write_text(
        line("x1", "Jij bent een glibberige paling, wethouder.", ["insult"], "low", "attack"),
        encoding="utf-8",
    )
    (tmp_path / "reviews.jsonl").write_text(
        line("r1", "Wandelende nul, die minister.", ["insult"], "low", "attack")
        + line("r2", "Goed gedaan, wethouder, dank voor de uitleg.", [], "none", "benign"),
        encoding="utf-8",
    )
    (tmp_path / "imsypp.csv").write_text(
        "uri,doc,type,target\n1,Ik maak je af,3 - violent,1\n2,Mooi weer vandaag,0 - appropriate,0\n",
        encoding="utf-8",
    )
    config = tmp_path / "run.toml"
    config.write_text(
        TOML.format(root=registry.root, batches=small_corpus[0], splits=small_corpus[1]), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["train", "--config", str(config)])
    assert result.exit_code == 0, result.output
    folder = registry.folder("1.0.1")
    assert result.output.strip().endswith(str(folder))
    assert "gate" in result.output and "against triage-nl 1.0.0" in result.output
    for name in (
        "config.json",
        "weights.skops",
        "metrics.json",
        "gate.json",
        "assessment.json",
        "data.json",
        "README.md",
    ):
        assert (folder / name).is_file(), name
    for split in ("dev", "test"):
        for plot in ("pr_curves.png", "severity_confusion.png", "calibration.png"):
            assert (folder / "plots" / split / plot).stat().st_size > 1000
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    sources = {source["path"]: source for source in data["sources"]}
    assert sources["reviews.jsonl"]["examples"] == 2 and sources["reviews.jsonl"]["repeat"] == 2
    assert sources["imsypp.csv"]["examples"] == 2 and sources["extra.jsonl"]["examples"] == 1
    assert data["train"] == sources["corpus"]["examples"] + 1 + 2 * 2 + 2
    card = (folder / "README.md").read_text(encoding="utf-8")
    for expected in (
        "(plots/test/calibration.png)",
        "| zwart |",
        "| women |",
        "## Gate before promotion",
        "reviews.jsonl (reviews): 2 examples, counted 2 times",
    ):
        assert expected in card, expected
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert 0.0 <= metrics["test"]["calibration"]["insult"]["ece"] <= 1.0
    assert set(metrics["test"]["by_lang"]) >= {"nl"}
    engine = Engine.load(folder)
    assert engine.model_info.version == "1.0.1"
    assert engine.config.extra["training"]["sources"][0] == {
        "path": "extra.jsonl",
        "format": "jsonl",
        "repeat": 1,
    }
    assert not [p for p in folder.parent.iterdir() if ".partial-" in p.name]


@pytest.mark.slow
def test_the_transformer_backend_runs_through_the_same_stages(
    tmp_path: Path, registry: Registry, small_corpus: tuple[Path, Path]
) -> None:
    from training.config import TrainConfig
    from training.train import train

    table = {
        "model": {"name": "triage-nl", "version": "0.0.1"},
        "backend": {
            "kind": "transformer",
            "base": "tiny-bert",
            "max_steps": 3,
            "batch_size": 8,
            "max_length": 64,
        },
        "data": {"corpus_dir": str(small_corpus[0]), "splits": str(small_corpus[1])},
    }
    config = TrainConfig.from_dict(table, tmp_path)
    config.models_dir = registry.root
    folder = train(config)
    engine = Engine.load(folder)
    assert engine.config.backend == "transformer" and engine.model_info.version == "0.0.1"
    assert engine.config.extra["training"]["backend"] == "transformer"
    assert (folder / "plots" / "test" / "calibration.png").is_file()
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "fine-tuned transformer" in card and "against triage-nl 1.0.0" in card
