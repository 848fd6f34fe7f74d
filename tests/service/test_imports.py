from __future__ import annotations

import json

from fastapi.testclient import TestClient

from .conftest import Org


def _wait(client: TestClient, org: Org, job_id: str) -> dict[str, object]:
    client.app.state.triage.runner.wait(job_id, timeout=60)  # type: ignore[attr-defined]
    body: dict[str, object] = client.get(f"/api/v1/imports/{job_id}", headers=org.reviewer.headers).json()
    return body


def test_jsonl_import_runs_in_background_with_progress(client: TestClient, org: Org) -> None:
    lines = [
        json.dumps({"text": f"bericht {i} dood", "platform": "x", "author_handle": "@a"}) for i in range(250)
    ]
    lines += ["{broken", json.dumps({"platform": "x"}), json.dumps(["not", "an", "object"])]
    response = client.post(
        "/api/v1/imports",
        content="\n".join(lines).encode(),
        headers=org.reviewer.headers | {"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 202, response.text
    job = _wait(client, org, response.json()["id"])
    assert job["status"] == "done"
    assert job["total"] == 253 and job["processed"] == 253 and job["failed"] == 3
    assert {e["line"] for e in job["errors"]} == {251, 252, 253}  # type: ignore[union-attr]
    queue = client.get("/api/v1/queue", params={"author": "@a", "limit": 200}, headers=org.reviewer.headers)
    assert len(queue.json()["items"]) == 200


def test_csv_import(client: TestClient, org: Org) -> None:
    content = 'text,platform,author_handle\n"hoi, wethouder",facebook,@b\nik maak je dood,x,@b\n'
    response = client.post(
        "/api/v1/imports",
        files={"file": ("replies.csv", content.encode(), "text/csv")},
        headers=org.reviewer.headers,
    )
    assert response.status_code == 202, response.text
    job = _wait(client, org, response.json()["id"])
    assert job["status"] == "done" and job["processed"] == 2 and job["failed"] == 0
    other = client.get(f"/api/v1/imports/{response.json()['id']}", headers=org.reporter.headers)
    assert other.status_code == 403
