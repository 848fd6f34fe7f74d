from __future__ import annotations

import hashlib
import io

from fastapi.testclient import TestClient
from PIL import Image

from .conftest import Forward, Org

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) \u202eevil\u202c 🔪"


def test_forward_stores_text_exactly_with_hash_verdict_and_advice(
    client: TestClient, org: Org, forward: Forward
) -> None:
    body = forward(org.reporter, HOSTILE, platform="x", author_handle="@troll", url="javascript:alert(1)")
    assert body["status"] == "new"
    assert body["text"] == HOSTILE
    assert body["text_sha256"] == hashlib.sha256(HOSTILE.encode()).hexdigest()
    assert set(body["verdict"]) >= {"labels", "flags", "severity", "severity_score", "spans", "model"}
    assert body["model"]["version"] == body["verdict"]["model"]["version"]
    assert body["advice"]["severity"] == body["severity"]
    again = client.get(f"/api/v1/reports/{body['id']}", headers=org.reporter.headers).json()
    assert again["text"] == HOSTILE and again["verdict"] == body["verdict"]


def test_critical_advice_puts_safety_first() -> None:
    from triage.service.advice import advice_for

    assert "112" in advice_for("critical").steps[0]


def test_empty_text_without_screenshot_is_refused(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/reports", json={"text": "   "}, headers=org.reporter.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_too_long_text_is_refused(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/reports", json={"text": "a" * 50_001}, headers=org.reporter.headers)
    assert response.status_code == 413


def test_long_text_within_limit_is_kept_whole(client: TestClient, org: Org, forward: Forward) -> None:
    text = ("jij bent dood " * 3000)[:40_000]
    body = forward(org.reporter, text)
    assert len(body["text"]) == 40_000


def test_unknown_fields_and_bad_platform_are_refused(client: TestClient, org: Org) -> None:
    for payload in ({"text": "x", "evil": 1}, {"text": "x", "platform": "myspace"}, {"text": 5}):
        response = client.post("/api/v1/reports", json=payload, headers=org.reporter.headers)
        assert response.status_code == 422, payload


def test_invalid_json_body(client: TestClient, org: Org) -> None:
    response = client.post(
        "/api/v1/reports",
        content=b"{not json",
        headers=org.reporter.headers | {"content-type": "application/json"},
    )
    assert response.status_code == 422


def test_unknown_report_is_404(client: TestClient, org: Org) -> None:
    for report_id in ("0" * 32, "nope", "x" * 5000):
        assert client.get(f"/api/v1/reports/{report_id}", headers=org.reviewer.headers).status_code == 404


def test_same_text_twice_is_linked(client: TestClient, org: Org, forward: Forward) -> None:
    first = forward(org.reporter, "Je bent een schande, dood aan jou")
    second = forward(org.reporter2, "Je bent een schande, dood aan jou")
    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["id"]


def test_own_reports_list(client: TestClient, org: Org, forward: Forward) -> None:
    mine = forward(org.reporter, "bericht van mij")
    forward(org.reporter2, "bericht van een ander")
    items = client.get("/api/v1/reports", headers=org.reporter.headers).json()["items"]
    assert [item["id"] for item in items] == [mine["id"]]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_multipart_with_screenshot_hashes_the_file(client: TestClient, org: Org) -> None:
    png = _png()
    response = client.post(
        "/api/v1/reports",
        data={"text": "zie bijlage, dood", "platform": "instagram"},
        files={"attachments": ("shot.txt", png, "text/plain")},
        headers=org.reporter.headers,
    )
    assert response.status_code == 201, response.text
    attachment = response.json()["attachments"][0]
    assert attachment["media_type"] == "image/png"
    assert attachment["sha256"] == hashlib.sha256(png).hexdigest()
    report_id = response.json()["id"]
    got = client.get(
        f"/api/v1/reports/{report_id}/attachments/{attachment['id']}", headers=org.reporter.headers
    )
    assert got.content == png and got.headers["content-type"] == "image/png"


def test_attachment_type_is_checked_by_content(client: TestClient, org: Org) -> None:
    response = client.post(
        "/api/v1/reports",
        data={"text": "hallo"},
        files={"attachments": ("shot.png", b"<html><script>alert(1)</script>", "image/png")},
        headers=org.reporter.headers,
    )
    assert response.status_code == 415


def test_eml_becomes_a_report(client: TestClient, org: Org) -> None:
    raw = (
        b"From: Boze Burger <boos@example.com>\r\nTo: wethouder@gemeente.nl\r\nSubject: Jij\r\n"
        b"Date: Tue, 05 Nov 2024 10:00:00 +0100\r\nMessage-ID: <abc@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nJe bent zo dood als je morgen komt.\r\n"
    )
    response = client.post(
        "/api/v1/reports/eml", content=raw, headers=org.reporter.headers | {"content-type": "message/rfc822"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["platform"] == "email" and body["author_handle"] == "boos@example.com"
    assert "Je bent zo dood" in body["text"] and body["text_source"] == "eml"
    assert body["attachments"][0]["media_type"] == "message/rfc822"
    assert body["posted_at"].startswith("2024-11-05T09:00:00")


def test_classify_is_stateless(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/classify", json={"text": "ik maak je dood"}, headers=org.reporter.headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body["labels"]) >= {"threat", "insult"}  # a score for every label
    assert "threat" in body["flags"] and body["severity"] in ("high", "critical")
    assert body["model"]["name"] == "triage-nl"
    assert client.get("/api/v1/reports", headers=org.reporter.headers).json()["items"] == []
    assert client.post("/api/v1/classify", json={"text": "x"}).status_code == 401


def test_openapi_docs_render(client: TestClient) -> None:
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/queue" in spec.json()["paths"]
    assert client.get("/docs").status_code == 200
