"""`triage models list|promote|rollback|history`: the gate is enforced, forcing needs a reason and is
recorded, a stale gate is run again against the version now current."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from training import corpus
from training.gates import read_gate
from training.promotion import promote
from triage.cli import main
from triage.engine.registry import Registry
from triage.errors import Conflict


def copy_version(registry: Registry, source: str, version: str, gate_passed: bool) -> None:
    shutil.copytree(registry.folder(source), registry.folder(version))
    config = registry.folder(version) / "config.json"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f'"version": "{source}"', f'"version": "{version}"'),
        encoding="utf-8",
    )
    path = registry.folder(version) / "gate.json"
    gate = json.loads(path.read_text(encoding="utf-8"))
    gate.update(
        passed=gate_passed,
        failed=[] if gate_passed else ["label_f1:threat"],
        baseline={"name": "triage-nl", "version": registry.current()},
    )
    path.write_text(json.dumps(gate), encoding="utf-8")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.slow
def test_promote_refuses_a_failed_gate_unless_forced_with_a_reason(registry: Registry) -> None:
    root = str(registry.root)
    copy_version(registry, "1.0.0", "1.0.1", gate_passed=False)
    code, output = cli("models", "promote", "--root", root, "triage-nl", "1.0.1")
    assert code != 0 and "gate failed" in output and registry.current() == "1.0.0"
    code, output = cli("models", "promote", "--root", root, "triage-nl", "1.0.1", "--force")
    assert code != 0 and "reason" in output
    code, output = cli(
        "models",
        "promote",
        "--root",
        root,
        "triage-nl",
        "1.0.1",
        "--force",
        "--reason",
        "hotfix",
        "--actor",
        "eva",
    )
    assert code == 0, output
    assert "FORCED" in output and registry.current() == "1.0.1"
    entry = registry.history()[-1]
    assert entry["forced"] and entry["reason"] == "hotfix" and entry["actor"] == "eva"
    assert entry["gate"] == {"passed": False, "failed": ["label_f1:threat"], "baseline": "1.0.0"}
    code, output = cli("models", "list", "--root", root)
    assert code == 0 and "* 1.0.1" in output and "gate FAILED" in output
    code, output = cli("models", "rollback", "--root", root, "--reason", "back")
    assert code == 0 and registry.current() == "1.0.0"
    code, output = cli("models", "history", "--root", root)
    assert [json.loads(line)["action"] for line in output.splitlines()][-2:] == ["promote", "rollback"]


@pytest.mark.slow
def test_a_stale_gate_is_run_again_against_the_current_version(
    registry: Registry, small_corpus: tuple[Path, Path]
) -> None:
    copy_version(registry, "1.0.0", "1.0.1", gate_passed=True)
    copy_version(registry, "1.0.0", "1.0.2", gate_passed=True)
    promote(registry, "1.0.1", actor="ana")  # 1.0.2's gate was against 1.0.0: stale now
    test = corpus.load_split("test", batches_dir=small_corpus[0], splits_file=small_corpus[1])
    entry = promote(registry, "1.0.2", actor="ana", test_examples=test)
    gate = read_gate(registry.folder("1.0.2"))
    assert gate is not None and gate["baseline"]["version"] == "1.0.1"
    assert gate["passed"] and entry["gate"]["baseline"] == "1.0.1"  # the same weights: no regression
    with pytest.raises(Conflict):
        promote(registry, "1.0.2", actor="ana")
