"""The reporting workflow: GIR, police (aangifte), platform, not reported; the two-working-day flag."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from triage.config import Settings

from .conftest import Forward, Org, backdate

THREAT = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."
DEATH_WISH = "Ik maak je dood"


def _step(client: TestClient, org: Org, report_id: str, **body: Any) -> Any:
    return client.post(f"/api/v1/reports/{report_id}/follow-ups", json=body, headers=org.reviewer.headers)


def _overdue(client: TestClient, org: Org) -> list[str]:
    response = client.get("/api/v1/queue", params={"police_overdue": "true"}, headers=org.reviewer.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert all(item["police_overdue"] for item in items)
    return [item["id"] for item in items]


def test_follow_ups_are_recorded_audited_and_bundled(
    client: TestClient, org: Org, other_org: Org, forward: Forward, tmp_path: Path
) -> None:
    report = forward(org.reporter, THREAT, recipient_role="raadslid")["id"]
    client.post(
        f"/api/v1/reports/{report}/reviews", json={"decision": "confirm"}, headers=org.reviewer.headers
    )

    gir = _step(client, org, report, kind="gir", reference="GIR-2026-0042")
    assert gir.status_code == 201, gir.text
    assert gir.json()["by"] == org.reviewer.email
    assert (
        client.get(f"/api/v1/reports/{report}", headers=org.reviewer.headers).json()["status"] == "confirmed"
    )

    assert _step(client, org, report, kind="police").status_code == 422  # number and date required
    assert _step(client, org, report, kind="police", reference="PL0900-2026123456").status_code == 422
    assert _step(client, org, report, kind="not_reported").status_code == 422  # a reason is required
    assert _step(client, org, report, kind="lost").status_code == 422
    police = _step(
        client, org, report, kind="police", reference="PL0900-2026123456", occurred_at="2026-11-27"
    )
    assert police.status_code == 201, police.text
    assert police.json()["occurred_at"].startswith("2026-11-26T23:00:00")  # a date is Dutch time
    platform = _step(
        client, org, report, kind="platform", reference="X ticket 77", note="gemeld via formulier"
    )
    assert platform.status_code == 201

    body = client.get(f"/api/v1/reports/{report}", headers=org.reviewer.headers).json()
    assert body["status"] == "reported"  # a police report moves a confirmed report on
    assert [f["kind"] for f in body["follow_ups"]] == ["police", "gir", "platform"]  # by date
    assert body["police"] == {"required": True, "decided": True, "due_at": None, "overdue": False}

    stranger = _step(client, other_org, report, kind="gir")
    assert stranger.status_code == 404
    as_reporter = client.post(
        f"/api/v1/reports/{report}/follow-ups", json={"kind": "gir"}, headers=org.reporter.headers
    )
    assert as_reporter.status_code == 403
    listed = client.get(f"/api/v1/reports/{report}/follow-ups", headers=org.reviewer.headers).json()
    assert [f["reference"] for f in listed] == ["PL0900-2026123456", "GIR-2026-0042", "X ticket 77"]

    zipped = client.get(f"/api/v1/reports/{report}/bundle", headers=org.reviewer.headers)
    assert zipped.status_code == 200
    path = tmp_path / "b.zip"
    path.write_bytes(zipped.content)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        folder = manifest["messages"][0]["folder"]
        custody = json.loads(zf.read(f"{folder}/custody.json"))
        report_html = zf.read("rapport.html").decode("utf-8")
    assert [(f["kind"], f["reference"]) for f in custody["follow_ups"]] == [
        ("police", "PL0900-2026123456"),
        ("gir", "GIR-2026-0042"),
        ("platform", "X ticket 77"),
    ]
    assert [e["action"] for e in custody["events"]].count("follow_up") == 3
    assert "PL0900-2026123456" in report_html and "Aangifte bij de politie" in report_html


def test_not_reported_needs_a_reason_and_counts_as_a_decision(
    client: TestClient, org: Org, forward: Forward, settings: Settings
) -> None:
    report = forward(org.reporter, DEATH_WISH)["id"]
    backdate(settings, report, 6)
    assert _overdue(client, org) == [report]
    step = _step(client, org, report, kind="not_reported", note="slachtoffer wil geen aangifte doen")
    assert step.status_code == 201
    assert _overdue(client, org) == []
    body = client.get(f"/api/v1/reports/{report}", headers=org.reviewer.headers).json()
    assert body["status"] == "new" and body["police"]["decided"]


def test_severe_reports_without_police_decision_are_flagged_after_two_working_days(
    client: TestClient, org: Org, forward: Forward, settings: Settings
) -> None:
    critical = forward(org.reporter, THREAT)
    high = forward(org.reporter2, DEATH_WISH)
    mild = forward(org.reporter, "Wat een slecht plan van de wethouder")
    fresh = forward(org.reporter, "Jij gaat eraan, ik weet waar je woont")
    assert critical["severity"] in ("high", "critical") and high["severity"] in ("high", "critical")
    assert fresh["severity"] in ("high", "critical") and mild["severity"] in ("none", "low")
    for report in (critical, high, mild):
        backdate(settings, report["id"], 6)

    assert set(_overdue(client, org)) == {critical["id"], high["id"]}
    queue = client.get("/api/v1/queue", headers=org.reviewer.headers).json()["items"]
    flags = {item["id"]: (item["police_overdue"], item["police_due_at"]) for item in queue}
    assert flags[critical["id"]][0] and flags[high["id"]][0]
    assert flags[fresh["id"]][0] is False and flags[fresh["id"]][1] is not None  # due, not yet late
    assert flags[mild["id"]] == (False, None)

    # still flagged once confirmed (it left the open queue); no longer once the police is informed
    client.post(
        f"/api/v1/reports/{critical['id']}/reviews",
        json={"decision": "confirm"},
        headers=org.reviewer.headers,
    )
    assert critical["id"] in _overdue(client, org)
    _step(client, org, critical["id"], kind="police", reference="PL-1", occurred_at="2026-11-27")
    assert _overdue(client, org) == [high["id"]]

    # a reviewer who lowers the severity takes it off the list; so does dismissing
    client.post(
        f"/api/v1/reports/{high['id']}/reviews",
        json={"decision": "correct", "severity": "low", "labels": ["insult"]},
        headers=org.reviewer.headers,
    )
    assert _overdue(client, org) == []
    assert client.get("/api/v1/queue?police_overdue=maybe", headers=org.reviewer.headers).status_code == 422
    assert client.get("/api/v1/queue?police_overdue=true", headers=org.reporter.headers).status_code == 403
