"""Evidence bundles over the API: forward -> review -> bundle -> verify, tenancy, several reports, the key."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image

from triage.config import Settings
from triage.evidence import verify_bundle

from .conftest import Forward, Member, Org

THREAT = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."


def _png(colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _bundle(client: TestClient, member: Member, report_id: str, tmp_path: Path, **params: str) -> Path:
    response = client.get(f"/api/v1/reports/{report_id}/bundle", params=params, headers=member.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    path = tmp_path / f"{response.headers['x-bundle-id']}.zip"
    path.write_bytes(response.content)
    return path


def _public_key(client: TestClient, member: Member, tmp_path: Path) -> Path:
    response = client.get("/api/v1/keys/public", headers=member.headers)
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    path = tmp_path / "org.pub.pem"
    path.write_bytes(response.content)
    return path


def _read_json(path: Path, member: str) -> Any:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(member))


def _forward_with_screenshot(client: TestClient, org: Org) -> dict[str, Any]:
    response = client.post(
        "/api/v1/reports",
        data={
            "text": THREAT,
            "platform": "x",
            "url": "https://x.com/boos/status/1",
            "author_handle": "@boos",
            "author_name": "Boze Burger",
            "recipient_role": "wethouder",
            "posted_at": "2026-11-20T14:02:00+01:00",
        },
        files={"attachments": ("../../etc/passwd.png", _png(), "image/png")},
        headers=org.reporter.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_round_trip_forward_review_bundle_verify(client: TestClient, org: Org, tmp_path: Path) -> None:
    report = _forward_with_screenshot(client, org)
    assert report["severity"] in ("high", "critical")
    review = client.post(
        f"/api/v1/reports/{report['id']}/reviews",
        json={"decision": "confirm", "severity": "critical", "note": "dreiging met adres"},
        headers=org.reviewer.headers,
    )
    assert review.status_code == 201, review.text

    path = _bundle(client, org.reviewer, report["id"], tmp_path, reason="aangifte politie")
    result = verify_bundle(path, _public_key(client, org.reviewer, tmp_path).read_bytes())
    assert result.ok, result.problems
    assert result.key_trusted and result.files_checked > 5

    manifest = _read_json(path, "manifest.json")
    [message] = manifest["messages"]
    assert message["report_id"] == report["id"]
    assert manifest["created_by"] == org.reviewer.email
    assert manifest["organisation"]["contact_address"] == "Postbus 1, 1000 AA Voorbeeld"
    assert {"name": "triage-nl", "version": report["model"]["version"]} in manifest["models"]
    folder = message["folder"]
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert zf.read(f"{folder}/original.txt") == THREAT.encode("utf-8")
        shots = [n for n in names if n.startswith(f"{folder}/attachments/")]
        assert len(shots) == 1 and ".." not in shots[0] and zf.read(shots[0]) == _png()
        assert {"rapport.pdf", "rapport.html"} <= set(names)
    metadata = _read_json(path, f"{folder}/metadata.json")
    assert metadata["author"]["handle"] == "@boos" and metadata["recipient"]["public_role"] == "wethouder"
    assert metadata["posted_at_utc"].startswith("2026-11-20T13:02:00")
    assessment = _read_json(path, f"{folder}/assessment.json")
    assert assessment["kind"] == "machine_assessment" and assessment["verdict"]["flags"]
    reviews = _read_json(path, f"{folder}/reviews.json")
    assert [(r["decision"], r["severity"], r["reviewer"]) for r in reviews] == [
        ("confirm", "critical", org.reviewer.email)
    ]
    custody = _read_json(path, f"{folder}/custody.json")["events"]
    actions = [event["action"] for event in custody]
    assert actions[0] == "create" and actions[-1] == "export" and "review" in actions
    assert custody[-1]["reason"] == "aangifte politie"

    # a changed byte in the original text is caught and named
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == f"{folder}/original.txt":
                data = data.replace(b"mes", b"mas")
            target.writestr(item, data)
    broken = verify_bundle(tampered, _public_key(client, org.reviewer, tmp_path).read_bytes())
    assert not broken.ok and broken.changed == [f"{folder}/original.txt"]

    # the export itself is now in the report's audit trail: the next bundle's chain of custody shows both
    second = _bundle(client, org.reviewer, report["id"], tmp_path)
    exports = [e for e in _read_json(second, f"{folder}/custody.json")["events"] if e["action"] == "export"]
    assert len(exports) == 2
    assert json.loads(exports[0]["detail"])["bundle_id"] == manifest["bundle_id"]


def test_bundle_tenancy_and_roles(
    client: TestClient, org: Org, other_org: Org, forward: Forward, tmp_path: Path
) -> None:
    report = forward(org.reporter, THREAT)["id"]
    path = f"/api/v1/reports/{report}/bundle"
    assert client.get(path, headers=other_org.reviewer.headers).status_code == 404
    assert client.get(path, headers=other_org.admin.headers).status_code == 404
    assert client.get(path, headers=org.reporter.headers).status_code == 403
    assert client.get(path).status_code == 401
    assert client.get("/api/v1/reports/nope/bundle", headers=org.reviewer.headers).status_code == 404
    assert client.get(path, headers=org.admin.headers).status_code == 200
    stranger = client.post(
        "/api/v1/bundles", json={"report_ids": [report]}, headers=other_org.reviewer.headers
    )
    assert stranger.status_code == 404
    by_author = client.post("/api/v1/bundles", json={"campaign": report}, headers=other_org.reviewer.headers)
    assert by_author.status_code == 404
    assert (
        client.post(
            "/api/v1/bundles", json={"report_ids": [report]}, headers=org.reporter.headers
        ).status_code
        == 403
    )


def test_bundle_needs_the_organisations_contact_address(
    client: TestClient, org: Org, forward: Forward
) -> None:
    report = forward(org.reporter, THREAT)["id"]
    cleared = client.patch("/api/v1/organisation", json={"contact_address": ""}, headers=org.admin.headers)
    assert cleared.status_code == 200 and cleared.json()["contact_address"] is None
    response = client.get(f"/api/v1/reports/{report}/bundle", headers=org.reviewer.headers)
    assert response.status_code == 422
    assert "contact address" in response.json()["error"]["message"]
    assert (
        client.patch("/api/v1/organisation", json={"contact_address": "x"}, headers=org.reviewer.headers)
    ).status_code == 403
    client.patch(
        "/api/v1/organisation",
        json={"contact_address": "Stadhuis, Postbus 9, 9999 ZZ Plaats", "contact_phone": "14 020"},
        headers=org.admin.headers,
    )
    response = client.get(f"/api/v1/reports/{report}/bundle", headers=org.reviewer.headers)
    assert response.status_code == 200


def test_bundle_of_several_reports_by_ids_author_and_campaign(
    client: TestClient, org: Org, forward: Forward, tmp_path: Path
) -> None:
    first = forward(org.reporter, THREAT, author_handle="@serie")["id"]
    second = forward(org.reporter2, "Jij gaat eraan, vuile verrader", author_handle="@serie")["id"]
    forward(org.reporter, "Ik steek je huis in brand", author_handle="@ander")
    copy = forward(org.reporter2, THREAT, author_handle="@serie")["id"]  # the same text: a duplicate
    key = _public_key(client, org.admin, tmp_path).read_bytes()

    def bundle(body: dict[str, Any]) -> list[str]:
        response = client.post("/api/v1/bundles", json=body, headers=org.reviewer.headers)
        assert response.status_code == 200, response.text
        path = tmp_path / f"{response.headers['x-bundle-id']}.zip"
        path.write_bytes(response.content)
        assert verify_bundle(path, key).ok
        return [m["report_id"] for m in _read_json(path, "manifest.json")["messages"]]

    assert bundle({"report_ids": [second, first]}) == [second, first]
    assert bundle({"author": "@serie"}) == [first, second, copy]
    assert bundle({"campaign": copy}) == [first, copy]
    for wrong in ({}, {"report_ids": [first], "author": "@serie"}, {"author": "@niemand"}):
        response = client.post("/api/v1/bundles", json=wrong, headers=org.reviewer.headers)
        assert response.status_code in (404, 422), response.text


def test_each_organisation_signs_with_its_own_key(
    client: TestClient, org: Org, other_org: Org, settings: Settings, tmp_path: Path, forward: Forward
) -> None:
    mine = client.get("/api/v1/keys/public", headers=org.reporter.headers)
    theirs = client.get("/api/v1/keys/public", headers=other_org.reporter.headers)
    assert mine.status_code == theirs.status_code == 200
    assert mine.content != theirs.content and mine.headers["x-key-id"].startswith("sha256:")
    assert client.get("/api/v1/keys/public").status_code == 401
    report = forward(org.reporter, THREAT)["id"]
    path = _bundle(client, org.reviewer, report, tmp_path)
    wrong_key = verify_bundle(path, theirs.content)
    assert not wrong_key.ok
    assert verify_bundle(path, mine.content).ok
    org_id = client.get("/api/v1/organisation", headers=org.reviewer.headers).json()["id"]
    assert (settings.effective_key_dir / org_id / "signing-key.pub.pem").read_bytes() == mine.content
