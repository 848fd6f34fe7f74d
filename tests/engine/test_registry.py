"""The model registry: versions, the CURRENT pointer, promotion and rollback with their history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.engine.registry import Registry
from triage.errors import Conflict, NotFound


def make_version(registry: Registry, version: str) -> None:
    folder = registry.folder(version)
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"version": version}), encoding="utf-8")


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    registry = Registry(tmp_path, "triage-nl")
    for version in ("1.0.0", "1.2.0", "1.10.0"):
        make_version(registry, version)
    (registry.family / "not-a-model").mkdir()
    return registry


def test_versions_sort_numerically_and_skip_folders_without_config(registry: Registry) -> None:
    assert registry.versions() == ["1.0.0", "1.2.0", "1.10.0"]
    assert registry.current() is None
    with pytest.raises(NotFound):
        registry.current_dir()


def test_promote_and_rollback_walk_the_lineage(registry: Registry) -> None:
    registry.promote("1.0.0", actor="ana")
    registry.promote("1.2.0", actor="ben", gate={"passed": True})
    entry = registry.promote("1.10.0", actor="cas", forced=True, reason="hotfix")
    assert entry["previous"] == "1.2.0" and entry["forced"] and entry["reason"] == "hotfix"
    assert registry.current() == "1.10.0"
    assert registry.rollback(actor="dirk")["version"] == "1.2.0"
    assert registry.rollback(actor="dirk")["version"] == "1.0.0"
    with pytest.raises(Conflict):
        registry.rollback(actor="dirk")
    actions = [(e["action"], e["version"], e["actor"]) for e in registry.history()]
    assert actions == [
        ("promote", "1.0.0", "ana"),
        ("promote", "1.2.0", "ben"),
        ("promote", "1.10.0", "cas"),
        ("rollback", "1.2.0", "dirk"),
        ("rollback", "1.0.0", "dirk"),
    ]
    assert registry.current_dir() == registry.family / "1.0.0"


def test_a_pointer_set_by_hand_is_the_starting_point(registry: Registry) -> None:
    registry.pointer.write_text("1.0.0\n", encoding="utf-8")
    registry.promote("1.2.0", actor="ana")
    assert registry.history()[0]["version"] == "1.0.0"
    assert registry.rollback(actor="ana")["version"] == "1.0.0"


@pytest.mark.parametrize("version", ["", "../etc", "a/b", ".hidden", "9.9.9"])
def test_promote_refuses_what_is_not_a_model_folder(registry: Registry, version: str) -> None:
    with pytest.raises(NotFound):
        registry.promote(version, actor="ana")
    assert registry.current() is None


def test_pointer_is_replaced_whole(registry: Registry) -> None:
    registry.promote("1.0.0", actor="ana")
    registry.promote("1.2.0", actor="ana")
    assert registry.pointer.read_text(encoding="utf-8") == "1.2.0\n"
    assert not [p for p in registry.family.iterdir() if p.name.startswith(".CURRENT")]
