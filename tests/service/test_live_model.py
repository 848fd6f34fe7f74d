"""Swapping the served model without downtime: requests during a swap all succeed, none is dropped."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from triage.engine.registry import Registry
from triage.ports import Classifier
from triage.service.live_model import LiveClassifier

from .conftest import VersionEngine


def loader(folder: Path) -> Classifier:
    if (folder / "broken").exists():
        raise RuntimeError("damaged weights")
    time.sleep(0.05)  # loading takes a while; requests go on meanwhile
    return VersionEngine(folder.name, delay=0.002)


def make_registry(tmp_path: Path, *versions: str) -> Registry:
    registry = Registry(tmp_path, "triage-nl")
    for version in versions:
        (registry.folder(version)).mkdir(parents=True)
        (registry.folder(version) / "config.json").write_text("{}", encoding="utf-8")
    registry.promote(versions[0], actor="test")
    return registry


def test_concurrent_requests_during_swaps_all_succeed(tmp_path: Path) -> None:
    registry = make_registry(tmp_path, "1.0.0", "1.1.0")
    live = LiveClassifier(registry, check_seconds=0.0, loader=loader)
    stop = threading.Event()

    def hammer() -> list[str]:
        seen = []
        while not stop.is_set():
            seen.append(live.classify("tekst").model.version)
        return seen

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(hammer) for _ in range(8)]
        time.sleep(0.1)
        registry.promote("1.1.0", actor="test")
        deadline = time.monotonic() + 5
        while live.version != "1.1.0" and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        registry.rollback(actor="test")
        live.reload()
        time.sleep(0.1)
        stop.set()
        answers = [version for future in futures for version in future.result()]
    assert len(answers) > 100
    assert set(answers) == {"1.0.0", "1.1.0"}
    assert live.classify("tekst").model.version == "1.0.0"
    assert live.model_info.version == "1.0.0"


def test_a_broken_new_version_keeps_the_old_one_serving(tmp_path: Path) -> None:
    registry = make_registry(tmp_path, "1.0.0", "2.0.0")
    (registry.folder("2.0.0") / "broken").touch()
    live = LiveClassifier(registry, check_seconds=0.0, loader=loader)
    registry.promote("2.0.0", actor="test")
    for _ in range(50):
        assert live.classify("tekst").model.version == "1.0.0"
        if live.last_error:
            break
        time.sleep(0.01)
    assert live.last_error is not None and "damaged" in live.last_error
    assert live.classify_many(["a", "b"])[1].model.version == "1.0.0"
