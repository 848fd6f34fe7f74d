"""The admin's Modellen page: versions with figures and gate, promote and roll back through the page
change the version the running service answers with (the same code path as the API and the CLI)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from triage.config import Settings
from triage.engine.registry import Registry
from triage.ports import Classifier
from triage.service.app import create_app
from triage.service.live_model import LiveClassifier
from triage.store import migrate
from triage.store.db import make_db_engine

from .conftest import Org, VersionEngine, make_org
from .web_login import PASSWORD, log_in


def _version(
    registry: Registry, version: str, *, f1: float, gate: bool | None, baseline: str = "1.0.0"
) -> None:
    folder = registry.folder(version)
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}", encoding="utf-8")
    labels = {"threat": {"precision": 0.7, "recall": 0.6, "f1": f1, "support": 10}}
    attack = {"precision": 0.9, "recall": 0.8, "f1": 0.85, "macro_f1": f1, "auroc": 0.91}
    (folder / "metrics.json").write_text(
        json.dumps({"test": {"attack": attack, "labels": labels}}), encoding="utf-8"
    )
    if gate is not None:
        verdict = {
            "passed": gate,
            "failed": [] if gate else ["label_f1:threat"],
            "candidate": {"name": "triage-nl", "version": version},
            "baseline": {"name": "triage-nl", "version": baseline},
            "checks": [],
        }
        (folder / "gate.json").write_text(json.dumps(verdict), encoding="utf-8")
    training = {"train": 100, "train_labels": {"threat": 25}, "train_severity": {"none": 60, "high": 40}}
    (folder / "data.json").write_text(json.dumps(training), encoding="utf-8")


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[tuple[TestClient, Registry, Settings]]:
    registry = Registry(tmp_path / "models", "triage-nl")
    _version(registry, "1.0.0", f1=0.70, gate=None)
    _version(registry, "1.1.0", f1=0.75, gate=True)
    _version(registry, "1.2.0", f1=0.60, gate=False)
    registry.promote("1.0.0", actor="test")

    def loader(folder: Path) -> Classifier:
        return VersionEngine(folder.name)

    live = LiveClassifier(registry, check_seconds=3600.0, loader=loader)
    settings = Settings(data_dir=tmp_path / "data", models_dir=registry.root)
    settings.data_dir.mkdir()
    engine = make_db_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    with TestClient(create_app(settings, live)) as client:
        yield client, registry, settings


def _served(client: TestClient, org: Org) -> str:
    answer = client.post("/api/v1/classify", json={"text": "hallo"}, headers=org.reporter.headers)
    assert answer.status_code == 200, answer.text
    version: str = answer.json()["model"]["version"]
    return version


def test_promote_and_rollback_on_the_page_swap_the_served_model(
    live_app: tuple[TestClient, Registry, Settings],
) -> None:
    client, registry, settings = live_app
    org = make_org(settings, password=PASSWORD)
    admin, csrf = log_in(client, org.admin)

    page = admin.get("/admin/models")
    assert page.status_code == 200
    assert 'id="current-version">1.0.0<' in page.text and 'id="serving-version">1.0.0<' in page.text
    assert 'id="version-1.1.0"' in page.text and "geslaagd" in page.text and "label_f1:threat" in page.text
    assert "0.75" in page.text  # the version's macro-F1
    assert _served(client, org) == "1.0.0"

    assert admin.post("/admin/models/promote", data={"version": "1.1.0"}).status_code == 403  # no CSRF
    reviewer, reviewer_csrf = log_in(client, org.reviewer)
    refused = reviewer.post("/admin/models/promote", data={"version": "1.1.0", "csrf_token": reviewer_csrf})
    assert refused.status_code == 403 and registry.current() == "1.0.0"

    promoted = admin.post("/admin/models/promote", data={"version": "1.1.0", "csrf_token": csrf})
    assert promoted.status_code == 200, promoted.text
    assert 'id="model-result"' in promoted.text and 'id="serving-now">1.1.0<' in promoted.text
    assert registry.current() == "1.1.0" and _served(client, org) == "1.1.0"
    assert client.get("/api/v1/models", headers=org.admin.headers).json()["serving"] == "1.1.0"
    assert registry.history()[-1]["actor"] == org.admin.email

    rolled = admin.post("/admin/models/rollback", data={"reason": "terug", "csrf_token": csrf})
    assert rolled.status_code == 200 and 'id="serving-now">1.0.0<' in rolled.text
    assert registry.current() == "1.0.0" and _served(client, org) == "1.0.0"
    assert registry.history()[-1]["reason"] == "terug"

    failed = admin.post("/admin/models/promote", data={"version": "1.2.0", "csrf_token": csrf})
    assert failed.status_code == 409 and "gate failed" in failed.text and registry.current() == "1.0.0"

    forced = admin.post(
        "/admin/models/promote",
        data={"version": "1.2.0", "force": "true", "reason": "spoed", "csrf_token": csrf},
    )
    assert forced.status_code == 200 and "geforceerd" in forced.text and _served(client, org) == "1.2.0"
    history = admin.get("/admin/models").text.split('id="history"', 1)[1]
    assert history.count("<tr>") >= 4 and "spoed" in history


def test_dashboard_compares_production_with_the_served_models_training_data(
    live_app: tuple[TestClient, Registry, Settings],
) -> None:
    client, _, settings = live_app
    org = make_org(settings, password=PASSWORD)
    reviewer, _ = log_in(client, org.reviewer)
    page = reviewer.get("/dashboard")
    assert page.status_code == 200
    assert 'id="no-training"' not in page.text
    row = page.text.split('data-key="label:threat"', 1)[1].split("</tr>", 1)[0]
    assert "25,0%" in row  # the training share from the model folder's data.json
