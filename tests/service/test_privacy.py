"""Privacy: retention per organisation, GDPR access and erasure, and the lawful basis for author data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select, update

from triage.config import Settings
from triage.evidence import verify_bundle
from triage.store.audit import trail
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import Attachment, AuditEvent, Report
from triage.store.types import utcnow

from .conftest import Forward, Org

THREAT = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _db(settings: Settings) -> Any:
    return make_db_engine(settings.effective_database_url)


def _set(settings: Settings, report_id: str, **values: Any) -> None:
    engine = _db(settings)
    with make_session_factory(engine)() as session:
        session.execute(update(Report).where(Report.id == report_id).values(**values))
        session.commit()
    engine.dispose()


def _actions(settings: Settings, report_id: str) -> list[str]:
    engine = _db(settings)
    with make_session_factory(engine)() as session:
        actions = [event.action for event, _ in trail(session, report_id)]
    engine.dispose()
    return actions


def _with_screenshot(client: TestClient, org: Org, text: str = THREAT) -> dict[str, Any]:
    response = client.post(
        "/api/v1/reports",
        data={"text": text, "context": "eerder bericht in de draad", "note": "kwam binnen via DM"},
        files={"attachments": ("shot.png", _png(), "image/png")},
        headers=org.reporter.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _close(client: TestClient, org: Org, report_id: str) -> None:
    headers = org.reviewer.headers
    assert client.post(f"/api/v1/reports/{report_id}/reviews", json={"decision": "confirm"}, headers=headers)
    closed = client.post(f"/api/v1/reports/{report_id}/status", json={"status": "closed"}, headers=headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed", closed.text


def _save_bundle(client: TestClient, org: Org, report_id: str, path: Path) -> Path:
    response = client.get(f"/api/v1/reports/{report_id}/bundle", headers=org.reviewer.headers)
    assert response.status_code == 200, response.text
    path.write_bytes(response.content)
    return path


def _org_id(client: TestClient, org: Org) -> str:
    org_id: str = client.get("/api/v1/organisation", headers=org.admin.headers).json()["id"]
    return org_id


def test_retention_deletes_texts_of_closed_reports_and_old_bundles_keep_verifying(
    client: TestClient, org: Org, other_org: Org, forward: Forward, settings: Settings, tmp_path: Path
) -> None:
    assert client.get("/api/v1/organisation", headers=org.admin.headers).json()["retention_days"] == 365
    shortened = client.patch("/api/v1/organisation", json={"retention_days": 30}, headers=org.admin.headers)
    assert shortened.status_code == 200 and shortened.json()["retention_days"] == 30
    too_short = client.patch("/api/v1/organisation", json={"retention_days": 7}, headers=org.admin.headers)
    assert too_short.status_code == 422

    old = _with_screenshot(client, org)
    _close(client, org, old["id"])
    earlier = _save_bundle(client, org, old["id"], tmp_path / "earlier.zip")
    recent = forward(org.reporter, "Ik maak je dood")
    _close(client, org, recent["id"])
    still_open = forward(org.reporter2, "Jij gaat eraan")
    theirs = forward(other_org.reporter, THREAT)
    _close(client, other_org, theirs["id"])
    long_ago = utcnow() - timedelta(days=100)
    _set(settings, old["id"], closed_at=utcnow() - timedelta(days=31))
    _set(settings, still_open["id"], created_at=long_ago, updated_at=long_ago)
    _set(settings, theirs["id"], closed_at=long_ago)  # within the other organisation's 365 days

    runner = client.app.state.triage.runner  # type: ignore[attr-defined]
    for org_id in (_org_id(client, org), _org_id(client, other_org)):
        runner.submit("apply_retention", org_id)
        runner.wait(org_id, timeout=60)

    headers = org.reviewer.headers
    gone = client.get(f"/api/v1/reports/{old['id']}", headers=headers).json()
    assert gone["text"] == "" and gone["context"] is None and gone["note"] is None
    assert gone["purged_at"] is not None and gone["text_sha256"] == old["text_sha256"]
    assert gone["attachments"][0]["sha256"] == old["attachments"][0]["sha256"]  # the stub keeps the hash
    attachment = client.get(
        f"/api/v1/reports/{old['id']}/attachments/{old['attachments'][0]['id']}", headers=headers
    )
    assert attachment.status_code == 410
    bundle = client.get(f"/api/v1/reports/{old['id']}/bundle", headers=headers)
    assert bundle.status_code == 410 and bundle.json()["error"]["code"] == "gone"
    assert "purge" in _actions(settings, old["id"])

    key = client.get("/api/v1/keys/public", headers=headers).content
    result = verify_bundle(earlier, key)
    assert result.ok, result.problems  # the bundle exported before still verifies
    with zipfile.ZipFile(earlier) as zf:
        folder = json.loads(zf.read("manifest.json"))["messages"][0]["folder"]
        assert zf.read(f"{folder}/original.txt") == THREAT.encode()

    for kept, member in ((recent, org), (still_open, org), (theirs, other_org)):
        body = client.get(f"/api/v1/reports/{kept['id']}", headers=member.reviewer.headers).json()
        assert body["text"] and body["purged_at"] is None

    engine = _db(settings)
    with make_session_factory(engine)() as session:
        content = session.scalar(select(Attachment.content).where(Attachment.report_id == old["id"]))
        runs = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "retention")).all()
    engine.dispose()
    assert content == b""
    assert any(run["purged"] == 1 and run["retention_days"] == 30 for run in runs)


def test_subject_access_and_erasure(
    client: TestClient, org: Org, other_org: Org, forward: Forward, settings: Settings, tmp_path: Path
) -> None:
    first = _with_screenshot(client, org)
    second = forward(
        org.reporter,
        "Ik steek je huis in brand",
        author_details="werkt bij de gemeente als handhaver",
        author_lawful_basis="art. 6 lid 1 sub f AVG, gerechtvaardigd belang (veiligheid)",
    )
    other = forward(org.reporter2, "Jij gaat eraan, ik weet waar je woont")
    client.get(f"/api/v1/reports/{first['id']}", headers=org.reporter.headers)
    evidence = _save_bundle(client, org, first["id"], tmp_path / "evidence.zip")

    listed = client.get("/api/v1/admin/users", headers=org.admin.headers).json()
    assert org.reporter.id in [u["id"] for u in listed]
    path = f"/api/v1/admin/users/{org.reporter.id}/data"
    assert client.get(path, headers=org.reviewer.headers).status_code == 403
    assert client.get(path, headers=other_org.admin.headers).status_code == 404
    data = client.get(path, headers=org.admin.headers)
    assert data.status_code == 200
    document = data.json()
    assert document["user"]["email"] == org.reporter.email
    assert [r["id"] for r in document["reports"]] == [first["id"], second["id"]]
    assert document["reports"][0]["text"] == THREAT and document["reports"][0]["attachments"][0]["sha256"]
    assert document["reports"][1]["author_lawful_basis"].startswith("art. 6")
    assert {"create", "view"} <= {a["action"] for a in document["activity"]}
    assert document["credentials"] == {"token": 1}
    assert other["id"] not in json.dumps(document)

    erase = f"/api/v1/admin/users/{org.reporter.id}/erase"
    assert client.post(erase, json={"reason": "x"}, headers=org.reviewer.headers).status_code == 403
    assert client.post(erase, json={"reason": "verzoek"}, headers=other_org.admin.headers).status_code == 404
    assert client.post(erase, json={}, headers=org.admin.headers).status_code == 422
    done = client.post(erase, json={"reason": "verzoek per e-mail van 28-11-2026"}, headers=org.admin.headers)
    assert done.status_code == 200, done.text
    assert done.json()["reports_purged"] == 2
    again = client.post(erase, json={"reason": "nogmaals"}, headers=org.admin.headers)
    assert again.status_code == 409
    selferase = client.post(
        f"/api/v1/admin/users/{org.admin.id}/erase", json={"reason": "zelf"}, headers=org.admin.headers
    )
    assert selferase.status_code == 409

    assert client.get("/api/v1/reports", headers=org.reporter.headers).status_code == 401  # token gone
    for report in (first, second):
        body = client.get(f"/api/v1/reports/{report['id']}", headers=org.reviewer.headers).json()
        assert body["text"] == "" and body["status"] == "closed" and body["recipient"] is None
        assert body["author_details"] is None and body["purged_at"] is not None
        assert (
            client.get(f"/api/v1/reports/{report['id']}/bundle", headers=org.reviewer.headers).status_code
            == 410
        )
    untouched = client.get(f"/api/v1/reports/{other['id']}", headers=org.reviewer.headers).json()
    assert untouched["text"] and untouched["purged_at"] is None
    after = client.get(path, headers=org.admin.headers).json()
    assert after["user"]["email"] == f"erased-{org.reporter.id}@invalid" and not after["user"]["active"]
    assert all(r["text"] == "" for r in after["reports"]) and after["credentials"] == {}

    key = client.get("/api/v1/keys/public", headers=org.admin.headers).content
    assert verify_bundle(evidence, key).ok
    actions = _actions(settings, first["id"])
    assert actions.index("export") < actions.index("purge") < len(actions) - 1  # closed after the purge
    engine = _db(settings)
    with make_session_factory(engine)() as session:
        org_events = session.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.action.in_(["gdpr_access", "gdpr_erasure"]), AuditEvent.report_id.is_(None))
            .order_by(AuditEvent.id)  # without it PostgreSQL may return the rows in any order
        ).all()
    engine.dispose()
    mine = [(action, detail) for action, detail in org_events if detail.get("user") == org.reporter.id]
    assert [action for action, _ in mine] == ["gdpr_access", "gdpr_erasure", "gdpr_access"]
    assert mine[1][1]["reason"] == "verzoek per e-mail van 28-11-2026"


def test_author_data_beyond_the_message_needs_a_lawful_basis(
    client: TestClient, org: Org, forward: Forward, tmp_path: Path
) -> None:
    refused = client.post(
        "/api/v1/reports",
        json={"text": THREAT, "author_handle": "@boos", "author_details": "woont in de Dorpsstraat"},
        headers=org.reporter.headers,
    )
    assert refused.status_code == 422 and "lawful" in refused.text
    blank = client.post(
        "/api/v1/reports",
        json={"text": THREAT, "author_details": "woont in de Dorpsstraat", "author_lawful_basis": "  "},
        headers=org.reporter.headers,
    )
    assert blank.status_code == 422
    # what the message itself shows needs no basis
    plain = forward(
        org.reporter,
        "Ik maak je dood",
        author_handle="@boos",
        author_name="Boos",
        author_url="https://x.com/boos",
    )
    assert plain["author_lawful_basis"] is None
    basis = "art. 6 lid 1 sub e AVG: publieke taak, veiligheid van ambtsdragers"
    report = forward(
        org.reporter, THREAT, author_details="woont in de Dorpsstraat", author_lawful_basis=basis
    )
    assert report["author_details"] == "woont in de Dorpsstraat" and report["author_lawful_basis"] == basis
    path = _save_bundle(client, org, report["id"], tmp_path / "b.zip")
    with zipfile.ZipFile(path) as zf:
        folder = json.loads(zf.read("manifest.json"))["messages"][0]["folder"]
        author = json.loads(zf.read(f"{folder}/metadata.json"))["author"]
        html = zf.read("rapport.html").decode()
    assert author["details"] == "woont in de Dorpsstraat" and author["lawful_basis"] == basis
    assert "Grondslag vastlegging afzendergegevens" in html

    lines = [
        json.dumps({"text": "Ik maak je dood", "author_details": "buurman"}),
        json.dumps({"text": "Ik maak je dood", "author_details": "buurman", "author_lawful_basis": basis}),
    ]
    job = client.post(
        "/api/v1/imports",
        content="\n".join(lines).encode(),
        headers=org.reviewer.headers | {"content-type": "application/x-ndjson"},
    )
    assert job.status_code == 202
    client.app.state.triage.runner.wait(job.json()["id"], timeout=60)  # type: ignore[attr-defined]
    status = client.get(f"/api/v1/imports/{job.json()['id']}", headers=org.reviewer.headers).json()
    assert status["failed"] == 1 and status["errors"][0]["line"] == 1
