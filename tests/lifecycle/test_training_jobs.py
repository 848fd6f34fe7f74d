"""Training in the background: through the API onto a Redis (RQ) queue that a separate worker process
runs, and on the default in-server runner (a spawned process), where a failure is recorded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from triage.config import Settings
from triage.engine.registry import Registry
from triage.service.app import create_app
from triage.store import migrate
from triage.store.db import make_db_engine

from .members import make_members

REDIS_URL = "redis://127.0.0.1:6379/0"
CONFIG = """
seed = 13
[model]
name = "triage-nl"
[backend]
kind = "sklearn"
[data]
corpus_dir = "{batches}"
splits = "{splits}"
[gate]
label_f1_tolerance = 0.05
gender_gap_tolerance = 0.1
behaviour_tolerance = 1
"""


def app_settings(tmp_path: Path, registry: Registry, corpus: tuple[Path, Path], **extra: Any) -> Settings:
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "small.toml").write_text(CONFIG.format(batches=corpus[0], splits=corpus[1]), encoding="utf-8")
    (configs / "broken.toml").write_text(
        CONFIG.format(batches=tmp_path / "nowhere", splits=tmp_path / "no.tsv"), encoding="utf-8"
    )
    settings = Settings(
        database_url=f"sqlite:///{(tmp_path / 'triage.db').as_posix()}",
        data_dir=tmp_path / "data",
        models_dir=registry.root,
        training_configs_dir=configs,
        **extra,
    )
    db = make_db_engine(settings.effective_database_url)
    migrate.upgrade(db)
    db.dispose()
    return settings


def wait_for(client: TestClient, job_id: str, headers: dict[str, str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"/api/v1/models/train/{job_id}", headers=headers).json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.5)


@pytest.fixture
def redis_queue() -> Any:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisDown as exc:  # pragma: no cover - only without the local Redis
        pytest.fail(f"Redis at {REDIS_URL} is needed for the task-queue test: {exc}")
    name = f"triage-test-{uuid.uuid4().hex[:8]}"
    yield name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)
    connection.close()


@pytest.mark.slow
def test_a_training_job_goes_through_redis_to_a_worker_process(
    tmp_path: Path, registry: Registry, small_corpus: tuple[Path, Path], redis_queue: str
) -> None:
    settings = app_settings(tmp_path, registry, small_corpus, queue_url=REDIS_URL, queue_name=redis_queue)
    members = make_members(settings)
    with TestClient(create_app(settings)) as client:
        body = {"config": "small", "version": "1.1.0", "include_reviews": True}
        response = client.post("/api/v1/models/train", json=body, headers=members["admin"])
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["status"] == "queued"
        assert (
            client.get("/api/v1/models", headers=members["reviewer"]).status_code == 200
        )  # the API is not blocked
        env = {
            **os.environ,
            "TRIAGE_DATABASE_URL": settings.effective_database_url,
            "TRIAGE_DATA_DIR": str(settings.data_dir),
            "TRIAGE_MODELS_DIR": str(registry.root),
            "TRIAGE_QUEUE_URL": REDIS_URL,
            "TRIAGE_QUEUE_NAME": redis_queue,
            "TRIAGE_TRAINING_CONFIGS_DIR": str(settings.training_configs_dir),
        }
        worker = subprocess.run(
            [str(Path(sys.executable).with_name("triage")), "worker", "--burst"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
        done = wait_for(client, job["id"], members["admin"], timeout=10)
        assert done["status"] == "done", done
        assert done["stage"] == "package" and done["worker"]
        assert done["result"]["folder"] == str(registry.folder("1.1.0"))
        assert done["result"]["gate"]["passed"] is not None
        assert (registry.folder("1.1.0") / "weights.skops").is_file()
        assert registry.current() == "1.0.0"  # training never promotes
        assert (settings.data_dir / "exports" / f"reviews-{job['id']}.jsonl").is_file()
        again = client.post("/api/v1/models/train", json=body, headers=members["admin"])
        assert again.status_code == 409  # the version exists now


@pytest.mark.slow
def test_the_default_runner_trains_in_another_process_and_records_failures(
    tmp_path: Path, registry: Registry, small_corpus: tuple[Path, Path]
) -> None:
    settings = app_settings(tmp_path, registry, small_corpus)
    members = make_members(settings)
    with TestClient(create_app(settings)) as client:
        refused = client.post(
            "/api/v1/models/train", json={"config": "../x", "version": "2"}, headers=members["admin"]
        )
        assert refused.status_code == 422
        forbidden = client.post(
            "/api/v1/models/train", json={"config": "small", "version": "2"}, headers=members["reviewer"]
        )
        assert forbidden.status_code == 403
        response = client.post(
            "/api/v1/models/train", json={"config": "broken", "version": "2.0.0"}, headers=members["admin"]
        )
        assert response.status_code == 202, response.text
        done = wait_for(client, response.json()["id"], members["admin"], timeout=120)
        assert done["status"] == "failed" and "CorpusError" in (done["error"] or ""), done
        assert done["worker"] and done["finished_at"]
        assert not registry.folder("2.0.0").exists()
