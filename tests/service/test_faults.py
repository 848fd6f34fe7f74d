"""Faults: SIGKILL of the server mid-forward and mid-import, PostgreSQL going away and coming back, and
backup/restore. Real processes on loopback; every wait is bounded."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from triage.config import Settings
from triage.evidence import verify_bundle
from triage.jobs.recovery import MAX_RESTARTS, resume_interrupted
from triage.ports import Classifier
from triage.service.app import create_app
from triage.store import credentials, migrate
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import AuditEvent, ImportJob, Report, ReportFlag
from triage.store.users import add_user, get_or_create_org

from .processes import Server, cli, pg_cluster

THREAT = "Ik weet waar je woont, wethouder. Morgen sta ik met een mes voor je deur."


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env |= {"TRIAGE_DATA_DIR": str(data_dir), "TRIAGE_FORWARD_RATE_PER_MINUTE": "0"} | extra
    return env


def _member(env: dict[str, str], email: str, role: str) -> dict[str, str]:
    cli(
        env,
        "users",
        "add",
        email,
        "--org",
        "Gemeente Fout",
        "--role",
        role,
        "--password-stdin",
        stdin="geheim-wachtwoord\n",
    )
    return {"Authorization": f"Bearer {cli(env, 'tokens', 'create', email)}"}  # fmt: skip


def _assert_consistent(url: str) -> int:
    """No half-written report: every stored report is whole (hash, flags, its create audit event)."""
    engine = create_engine(url)
    with make_session_factory(engine)() as session:
        reports = session.scalars(select(Report)).all()
        created = set(session.scalars(select(AuditEvent.report_id).where(AuditEvent.action == "create")))
        for report in reports:
            assert report.text_sha256 == hashlib.sha256(report.text.encode()).hexdigest()
            assert report.id in created, f"report {report.id} has no create event"
            flags = set(session.scalars(select(ReportFlag.label).where(ReportFlag.report_id == report.id)))
            assert flags == set(report.verdict["flags"])
    engine.dispose()
    return len(reports)


@pytest.mark.slow
def test_sigkill_during_forwards_keeps_every_acknowledged_report(tmp_path: Path) -> None:
    env = _env(tmp_path / "data")
    cli(env, "db", "upgrade")
    headers = _member(env, "melder@example.nl", "reporter")
    server = Server(env, tmp_path / "serve.log").start()
    acknowledged: dict[str, str] = {}
    stop = threading.Event()

    def forwarder(n: int) -> None:
        with httpx.Client(timeout=15) as client:
            for i in range(10_000):
                if stop.is_set():
                    return
                text = f"{THREAT} [{n}-{i}]"
                try:
                    response = client.post(
                        f"{server.url}/api/v1/reports", json={"text": text, "platform": "x"}, headers=headers
                    )
                except httpx.HTTPError:
                    continue  # the server died under this request: not acknowledged
                if response.status_code == 201:
                    acknowledged[response.json()["id"]] = text

    threads = [threading.Thread(target=forwarder, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 90
    while len(acknowledged) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # SIGKILL while forwards are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 30

    server.start()
    try:
        with httpx.Client(timeout=15, headers=headers) as client:
            for report_id, text in acknowledged.items():
                response = client.get(f"{server.url}/api/v1/reports/{report_id}")
                assert response.status_code == 200, report_id
                assert response.json()["text"] == text
            listed = client.get(f"{server.url}/api/v1/reports", params={"limit": 200}).json()["items"]
    finally:
        server.kill()
    stored = _assert_consistent(f"sqlite:///{tmp_path / 'data' / 'triage.db'}")
    assert stored >= len(acknowledged)
    ids = [item["id"] for item in listed]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_sigkill_during_bulk_import_resumes_without_duplicates(tmp_path: Path) -> None:
    env = _env(tmp_path / "data")
    cli(env, "db", "upgrade")
    headers = _member(env, "behandelaar@example.nl", "reviewer")
    rows = 3000
    payload = "\n".join(
        json.dumps({"text": f"Bericht {i}: jij bent een schande, ik maak je af", "platform": "x"})
        for i in range(rows)
    ).encode()
    server = Server(env, tmp_path / "serve.log").start()
    response = httpx.post(
        f"{server.url}/api/v1/imports",
        content=payload,
        headers=headers | {"content-type": "application/x-ndjson"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    deadline = time.monotonic() + 120
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = httpx.get(f"{server.url}/api/v1/imports/{job_id}", headers=headers, timeout=10).json()
        if job["processed"] >= 200:
            break
        time.sleep(0.02)
    server.kill()  # SIGKILL in the middle of the import
    assert 0 < job["processed"] < rows, job

    server.start()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            job = httpx.get(f"{server.url}/api/v1/imports/{job_id}", headers=headers, timeout=10).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
    finally:
        server.kill()
    assert job["status"] == "done", job
    assert job["processed"] == rows and job["failed"] == 0
    assert any("interrupted by a server restart" in e["error"] for e in job["errors"])
    engine = create_engine(f"sqlite:///{tmp_path / 'data' / 'triage.db'}")
    with make_session_factory(engine)() as session:
        texts = session.scalars(select(Report.text).where(Report.import_job_id == job_id)).all()
    engine.dispose()
    assert len(texts) == rows and len(set(texts)) == rows  # every row exactly once
    _assert_consistent(f"sqlite:///{tmp_path / 'data' / 'triage.db'}")


class _Runner:
    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, name: str, job_id: str) -> None:
        self.submitted.append(job_id)

    def shutdown(self) -> None:
        pass


def test_import_interrupted_too_often_is_marked_failed_with_a_message(
    settings: Settings, client: Any
) -> None:
    engine = make_db_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        user = add_user(session, email=f"{uuid.uuid4().hex[:8]}@example.nl", org_name="Gemeente Herstart", role="reviewer", password=None)  # fmt: skip
        notes = [{"line": None, "error": "interrupted", "restart": True}] * MAX_RESTARTS
        stuck = ImportJob(org_id=user.org_id, user_id=user.id, kind="jsonl", payload=b"{}", status="running", processed=200, total=900, errors=notes)  # fmt: skip
        fresh = ImportJob(org_id=user.org_id, user_id=user.id, kind="jsonl", payload=b"{}", status="running")
        session.add_all([stuck, fresh])
        session.commit()
        stuck_id, fresh_id = stuck.id, fresh.id
    runner = _Runner()
    resumed = resume_interrupted(sessions, runner)
    assert fresh_id in resumed and stuck_id not in resumed and runner.submitted == resumed
    with sessions() as session:
        failed = session.get(ImportJob, stuck_id)
        assert failed is not None and failed.status == "failed" and failed.finished_at is not None
        assert "after 200 of 900 rows" in failed.errors[-1]["error"]
        assert "import the remaining rows again" in failed.errors[-1]["error"]
        fresh_job = session.get(ImportJob, fresh_id)
        assert fresh_job is not None and "resumed" in fresh_job.errors[-1]["error"]
        fresh_job.status = "done"  # keep other tests' app start from resuming it
        session.commit()
    engine.dispose()


def _token(url: str, email: str, role: str) -> dict[str, str]:
    engine = make_db_engine(url)
    with make_session_factory(engine)() as session:
        user = add_user(session, email=email, org_name="Gemeente Backup", role=role, password=None)
        get_or_create_org(session, "Gemeente Backup").contact_address = "Postbus 1, 1000 AA Voorbeeld"
        secret, _ = credentials.issue(session, user=user, kind="token")
        session.commit()
    engine.dispose()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.slow
def test_postgres_going_away_answers_503_and_recovers_without_restart(
    tmp_path: Path, classifier: Classifier
) -> None:
    with pg_cluster() as pg:
        engine = make_db_engine(pg.url)
        migrate.upgrade(engine)
        engine.dispose()
        headers = _token(pg.url, "melder@example.nl", "reporter")
        settings = Settings(database_url=pg.url, data_dir=tmp_path)
        with TestClient(create_app(settings, classifier)) as client:
            first = client.post("/api/v1/reports", json={"text": THREAT}, headers=headers)
            assert first.status_code == 201, first.text
            pg.stop()
            for method, path, body in [
                ("POST", "/api/v1/reports", {"text": THREAT}),
                ("GET", f"/api/v1/reports/{first.json()['id']}", None),
                ("GET", "/api/v1/reports", None),
            ]:
                down = client.request(method, path, json=body, headers=headers)
                assert down.status_code == 503, down.text
                assert down.json()["error"]["code"] == "database_unavailable"
                assert down.headers["retry-after"]
            assert client.get("/readyz").status_code == 503
            assert client.get("/healthz").status_code == 200  # the process itself lives
            pg.start()
            again = client.post("/api/v1/reports", json={"text": THREAT + " (2)"}, headers=headers)
            assert again.status_code == 201, again.text
            assert client.get(f"/api/v1/reports/{first.json()['id']}", headers=headers).status_code == 200
            assert client.get("/readyz").status_code == 200


def _workload(
    client: TestClient, reporter: dict[str, str], reviewer: dict[str, str], tmp_path: Path
) -> list[str]:
    ids = []
    for n in range(3):
        response = client.post(
            "/api/v1/reports", json={"text": f"{THREAT} ({n})", "platform": "x"}, headers=reporter
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    assert client.post(f"/api/v1/reports/{ids[0]}/claim", headers=reviewer).status_code == 200
    review = client.post(f"/api/v1/reports/{ids[0]}/reviews", json={"decision": "confirm", "note": "ernstig"}, headers=reviewer)  # fmt: skip
    assert review.status_code == 201, review.text
    return ids


def _trail(client: TestClient, reviewer: dict[str, str], report_id: str) -> list[tuple[str, str]]:
    engine = make_db_engine(client.app.state.triage.settings.effective_database_url)  # type: ignore[attr-defined]
    with make_session_factory(engine)() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.created_at)
            .where(AuditEvent.report_id == report_id)
            .order_by(AuditEvent.id)
        ).all()
    engine.dispose()
    return [(action, str(created)) for action, created in rows]


def _bundle(client: TestClient, reviewer: dict[str, str], report_id: str, path: Path) -> Path:
    response = client.get(f"/api/v1/reports/{report_id}/bundle", headers=reviewer)
    assert response.status_code == 200, response.text
    path.write_bytes(response.content)
    return path


@pytest.mark.slow
def test_sqlite_backup_online_and_restore(tmp_path: Path, classifier: Classifier) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    engine = make_db_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    reporter = _token(settings.effective_database_url, "melder@example.nl", "reporter")
    reviewer = _token(settings.effective_database_url, "behandelaar@example.nl", "reviewer")
    env = _env(data)
    with TestClient(create_app(settings, classifier)) as client:
        ids = _workload(client, reporter, reviewer, tmp_path)
        before = {i: client.get(f"/api/v1/reports/{i}", headers=reviewer).json() for i in ids}
        trails = {i: _trail(client, reviewer, i) for i in ids}
        bundle = _bundle(client, reviewer, ids[0], tmp_path / "before.zip")
        key = client.get("/api/v1/keys/public", headers=reviewer).content
        cli(env, "backup", str(tmp_path / "triage.backup"))  # while the server runs
        late = client.post("/api/v1/reports", json={"text": "na de back-up"}, headers=reporter).json()["id"]
    cli(env, "restore", "--yes", str(tmp_path / "triage.backup"))
    with TestClient(create_app(settings, classifier)) as client:
        for report_id, public in before.items():
            trail = _trail(client, reviewer, report_id)
            assert trail[: len(trails[report_id])] == trails[report_id]
            again = client.get(f"/api/v1/reports/{report_id}", headers=reviewer).json()
            assert again["text"] == public["text"] and again["text_sha256"] == public["text_sha256"]
            assert again["status"] == public["status"] and again["verdict"] == public["verdict"]
        assert client.get(f"/api/v1/reports/{late}", headers=reviewer).status_code == 404
        assert verify_bundle(bundle, key).ok
        assert verify_bundle(_bundle(client, reviewer, ids[0], tmp_path / "after.zip"), key).ok


@pytest.mark.slow
def test_postgres_backup_and_restore_with_pg_dump(tmp_path: Path, classifier: Classifier) -> None:
    with pg_cluster() as pg:
        engine = make_db_engine(pg.url)
        migrate.upgrade(engine)
        engine.dispose()
        reporter = _token(pg.url, "melder@example.nl", "reporter")
        reviewer = _token(pg.url, "behandelaar@example.nl", "reviewer")
        settings = Settings(database_url=pg.url, data_dir=tmp_path / "data")
        env = _env(tmp_path / "data", TRIAGE_DATABASE_URL=pg.url)
        with TestClient(create_app(settings, classifier)) as client:
            ids = _workload(client, reporter, reviewer, tmp_path)
            trails = {i: _trail(client, reviewer, i) for i in ids}
        cli(env, "backup", str(tmp_path / "triage.dump"))
        with TestClient(create_app(settings, classifier)) as client:
            client.post("/api/v1/reports", json={"text": "na de back-up"}, headers=reporter)
        cli(env, "restore", "--yes", str(tmp_path / "triage.dump"))
        engine = make_db_engine(pg.url)
        with make_session_factory(engine)() as session:
            assert session.scalar(select(func.count(Report.id))) == len(ids)
        engine.dispose()
        with TestClient(create_app(settings, classifier)) as client:
            for report_id in ids:
                assert _trail(client, reviewer, report_id)[: len(trails[report_id])] == trails[report_id]
