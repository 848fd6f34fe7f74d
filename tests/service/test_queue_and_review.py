from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import Forward, Org


def _queue(client: TestClient, org: Org, **params: object) -> dict[str, object]:
    response = client.get("/api/v1/queue", params=params, headers=org.reviewer.headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_queue_sorts_by_score_then_age_with_cursor(client: TestClient, org: Org, forward: Forward) -> None:
    texts = [
        "hallo wethouder",
        "ik maak je dood",
        "goede motie",
        "jij gaat dood, ik weet waar je woont",
        "fijne dag",
    ]
    for text in texts:
        forward(org.reporter, text)
    seen: list[dict[str, object]] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = _queue(client, org, **params)
        seen.extend(page["items"])  # type: ignore[arg-type]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(texts)
    keys = [(-float(item["severity_score"]), item["created_at"]) for item in seen]  # type: ignore[arg-type]
    assert keys == sorted(keys)


def test_queue_filters(client: TestClient, org: Org, forward: Forward) -> None:
    threat = forward(org.reporter, "ik maak je dood", platform="x", author_handle="@boos")
    forward(org.reporter2, "dank voor uw inzet", platform="facebook")
    by_platform = _queue(client, org, platform="x")["items"]
    assert [i["id"] for i in by_platform] == [threat["id"]]  # type: ignore[index]
    by_author = _queue(client, org, author="@boos")["items"]
    assert [i["id"] for i in by_author] == [threat["id"]]  # type: ignore[index]
    by_reporter = _queue(client, org, reporter=org.reporter.id)["items"]
    assert [i["id"] for i in by_reporter] == [threat["id"]]  # type: ignore[index]
    for flag in threat["verdict"]["flags"]:
        assert threat["id"] in [i["id"] for i in _queue(client, org, label=flag)["items"]]  # type: ignore[index]
    severe = _queue(client, org, min_severity=threat["severity"])["items"]
    assert threat["id"] in [i["id"] for i in severe]  # type: ignore[index]
    assert _queue(client, org, status="closed")["items"] == []
    assert client.get("/api/v1/queue?cursor=%%%", headers=org.reviewer.headers).status_code == 422
    assert client.get("/api/v1/queue?min_severity=huge", headers=org.reviewer.headers).status_code == 422


def test_second_claim_is_409(client: TestClient, org: Org, forward: Forward) -> None:
    report = forward(org.reporter, "ik maak je dood")["id"]
    first = client.post(f"/api/v1/reports/{report}/claim", headers=org.reviewer.headers)
    assert first.status_code == 200 and first.json()["status"] == "in_review"
    assert client.post(f"/api/v1/reports/{report}/claim", headers=org.reviewer.headers).status_code == 200
    second = client.post(f"/api/v1/reports/{report}/claim", headers=org.reviewer2.headers)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    review = client.post(
        f"/api/v1/reports/{report}/reviews", json={"decision": "confirm"}, headers=org.reviewer2.headers
    )
    assert review.status_code == 409


def test_review_flow_and_audit(client: TestClient, org: Org, forward: Forward, settings: object) -> None:
    report = forward(org.reporter, "ik maak je dood")["id"]
    reviewer = org.reviewer.headers
    assert client.post(f"/api/v1/reports/{report}/claim", headers=reviewer).status_code == 200
    body = {
        "decision": "correct",
        "labels": ["threat", "insult"],
        "severity": "critical",
        "note": "adres bekend",
    }
    review = client.post(f"/api/v1/reports/{report}/reviews", json=body, headers=reviewer)
    assert review.status_code == 201, review.text
    assert review.json()["status"] == "confirmed"
    again = client.post(f"/api/v1/reports/{report}/reviews", json={"decision": "dismiss"}, headers=reviewer)
    assert again.status_code == 409
    bad = client.post(f"/api/v1/reports/{report}/status", json={"status": "in_reviewx"}, headers=reviewer)
    assert bad.status_code == 422
    assert (
        client.post(f"/api/v1/reports/{report}/status", json={"status": "reported"}, headers=reviewer).json()[
            "status"
        ]
        == "reported"
    )
    assert (
        client.post(f"/api/v1/reports/{report}/status", json={"status": "closed"}, headers=reviewer).json()[
            "status"
        ]
        == "closed"
    )
    stuck = client.post(f"/api/v1/reports/{report}/status", json={"status": "reported"}, headers=reviewer)
    assert stuck.status_code == 409
    assert client.get(f"/api/v1/reports/{report}", headers=org.reporter.headers).json()["status"] == "closed"

    from sqlalchemy import select

    from triage.store.db import make_db_engine, make_session_factory
    from triage.store.models import AuditEvent

    engine = make_db_engine(settings.effective_database_url)  # type: ignore[attr-defined]
    with make_session_factory(engine)() as session:
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.report_id == report).order_by(AuditEvent.id))
        )
    engine.dispose()
    transitions = [(e.detail["from"], e.detail["to"]) for e in events if e.action == "transition"]
    assert transitions == [
        ("new", "in_review"),
        ("in_review", "confirmed"),
        ("confirmed", "reported"),
        ("reported", "closed"),
    ]
    assert all(e.actor_id for e in events)
    assert {"create", "claim", "review", "view"} <= {e.action for e in events}


def test_dismiss_without_claim_claims_implicitly(client: TestClient, org: Org, forward: Forward) -> None:
    report = forward(org.reporter, "mooi weer vandaag")["id"]
    review = client.post(
        f"/api/v1/reports/{report}/reviews", json={"decision": "dismiss"}, headers=org.admin.headers
    )
    assert review.status_code == 201 and review.json()["status"] == "dismissed"
    bad = client.post(
        f"/api/v1/reports/{report}/reviews", json={"decision": "shrug"}, headers=org.admin.headers
    )
    assert bad.status_code == 422
