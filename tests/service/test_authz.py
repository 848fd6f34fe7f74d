"""Authorisation matrix: every role against every endpoint, plus tenancy (404 for what is not yours)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import Forward, Org

ROLES = ["anonymous", "reporter", "reviewer", "admin", "bad_token"]


def _headers(org: Org, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    if role == "bad_token":
        return {"Authorization": "Bearer trg_wrong"}
    member = getattr(org, role)
    return member.headers  # type: ignore[no-any-return]


# (method, path template, body, expected status per role)
MATRIX = [
    ("POST", "/api/v1/reports", {"text": "hallo"}, {"reporter": 201, "reviewer": 201, "admin": 201}),
    ("GET", "/api/v1/reports", None, {"reporter": 200, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/reports/{own}", None, {"reporter": 200, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/queue", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("POST", "/api/v1/reports/{own}/claim", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    (
        "POST",
        "/api/v1/reports/{own}/reviews",
        {"decision": "confirm"},
        {"reporter": 403, "reviewer": 201, "admin": 201},
    ),
    ("POST", "/api/v1/classify", {"text": "hallo"}, {"reporter": 200, "reviewer": 200, "admin": 200}),
    (  # Perspective-compatible: a token as bearer (or ?key=); no key is 403 there, as at Google
        "POST",
        "/v1alpha1/comments:analyze",
        {"comment": {"text": "hallo"}, "requestedAttributes": {"TOXICITY": {}}},
        {"reporter": 200, "reviewer": 200, "admin": 200, "anonymous": 403},
    ),
    ("POST", "/api/v1/imports", None, {"reporter": 403, "reviewer": 202, "admin": 202}),
    ("GET", "/api/v1/reports/{own}/bundle", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("POST", "/api/v1/bundles", {"report_ids": ["{own}"]}, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/keys/public", None, {"reporter": 200, "reviewer": 200, "admin": 200}),
    (
        "POST",
        "/api/v1/reports/{own}/follow-ups",
        {"kind": "gir", "reference": "GIR-1"},
        {"reporter": 403, "reviewer": 201, "admin": 201},
    ),
    ("GET", "/api/v1/reports/{own}/follow-ups", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/queue?police_overdue=true", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/exports/gir?format=json", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/exports/stats", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/stats", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/api/v1/organisation", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    (
        "PATCH",
        "/api/v1/organisation",
        {"contact_phone": "14 030"},
        {"reporter": 403, "reviewer": 403, "admin": 200},
    ),
    ("GET", "/api/v1/admin/users", None, {"reporter": 403, "reviewer": 403, "admin": 200}),
    ("GET", "/api/v1/admin/users/{reporter2}/data", None, {"reporter": 403, "reviewer": 403, "admin": 200}),
    (
        "POST",
        "/api/v1/admin/users/{reporter2}/erase",
        {"reason": "verzoek"},
        {"reporter": 403, "reviewer": 403, "admin": 200},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_role_matrix(
    client: TestClient,
    org: Org,
    forward: Forward,
    role: str,
    method: str,
    path: str,
    body: dict[str, object] | None,
    expected: dict[str, int],
) -> None:
    own = forward(org.reporter, "bericht")["id"]
    kwargs: dict[str, object] = {"headers": _headers(org, role)}
    if path == "/api/v1/imports":
        kwargs["content"] = b'{"text": "hallo"}\n'
        kwargs["headers"] = {**_headers(org, role), "content-type": "application/x-ndjson"}
    elif body is not None:
        kwargs["json"] = {
            k: [x.format(own=own) for x in v] if isinstance(v, list) else v for k, v in body.items()
        }
    url = path.format(own=own, reporter2=org.reporter2.id)
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    want = expected.get(role, 401)
    assert response.status_code == want, response.text
    if want >= 400:
        assert "code" in response.json()["error"]


def test_reporter_cannot_read_another_reporters_report(
    client: TestClient, org: Org, forward: Forward
) -> None:
    theirs = forward(org.reporter2, "van reporter B")["id"]
    response = client.get(f"/api/v1/reports/{theirs}", headers=org.reporter.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_other_organisation_gets_404_everywhere(
    client: TestClient, org: Org, other_org: Org, forward: Forward
) -> None:
    report = forward(org.reporter, "dood aan jou")
    stranger = other_org.reviewer.headers
    assert client.get(f"/api/v1/reports/{report['id']}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/reports/{report['id']}/claim", headers=stranger).status_code == 404
    review = {"decision": "dismiss"}
    assert (
        client.post(f"/api/v1/reports/{report['id']}/reviews", json=review, headers=stranger).status_code
        == 404
    )
    queue = client.get("/api/v1/queue", headers=stranger).json()["items"]
    assert report["id"] not in [item["id"] for item in queue]
    attachment = client.get(f"/api/v1/reports/{report['id']}/attachments/x", headers=stranger)
    assert attachment.status_code == 404
    assert client.get(f"/api/v1/reports/{report['id']}/bundle", headers=stranger).status_code == 404
    assert (
        client.post("/api/v1/bundles", json={"report_ids": [report["id"]]}, headers=stranger).status_code
        == 404
    )
    step = {"kind": "gir", "reference": "GIR-1"}
    assert (
        client.post(f"/api/v1/reports/{report['id']}/follow-ups", json=step, headers=stranger).status_code
        == 404
    )
    assert client.get(f"/api/v1/reports/{report['id']}/follow-ups", headers=stranger).status_code == 404
    their_admin = other_org.admin.headers
    assert client.get(f"/api/v1/admin/users/{org.reporter.id}/data", headers=their_admin).status_code == 404
    erase = client.post(
        f"/api/v1/admin/users/{org.reporter.id}/erase", json={"reason": "verzoek"}, headers=their_admin
    )
    assert erase.status_code == 404
    records = client.get("/api/v1/exports/gir?format=json&include_unreviewed=true", headers=stranger).json()
    assert report["id"] not in [r["melding_id"] for r in records["records"]]


def test_tokens_are_stored_only_as_hashes(client: TestClient, org: Org, settings: object) -> None:
    from sqlalchemy import select

    from triage.store.db import make_db_engine, make_session_factory
    from triage.store.models import Credential

    engine = make_db_engine(settings.effective_database_url)  # type: ignore[attr-defined]
    with make_session_factory(engine)() as session:
        stored = list(session.scalars(select(Credential.hash)))
    engine.dispose()
    assert org.reporter.token not in stored
    assert all(len(h) == 64 for h in stored)


# The web pages for reviewers and admins (HTML forms; anonymous callers and bad tokens go to the login
# page). With a token no CSRF token is needed; cookie sessions need one (tests/service/test_web_users.py).
WEB_MATRIX = [
    ("GET", "/dashboard", None, {"reporter": 403, "reviewer": 200, "admin": 200}),
    ("GET", "/admin/users", None, {"reporter": 403, "reviewer": 403, "admin": 200}),
    ("POST", "/admin/users", {"email": "nieuw-{uid}@example.nl", "role": "reporter"}, {"admin": 201}),
    ("POST", "/admin/users/{reporter2}/role", {"role": "reviewer"}, {"admin": 303}),
    ("POST", "/admin/users/{reporter2}/deactivate", None, {"admin": 303}),
    ("POST", "/admin/users/{reporter2}/activate", None, {"admin": 303}),
    ("POST", "/admin/users/{reporter2}/login-link", None, {"admin": 200}),
    ("POST", "/admin/users/{reporter2}/tokens", None, {"admin": 201}),
    ("POST", "/admin/users/{reporter2}/tokens/{token}/revoke", None, {"admin": 303}),
    ("GET", "/admin/models", None, {"reporter": 403, "reviewer": 403, "admin": 200}),
    # This server serves a fixed model folder: the registry is off (tests/service/test_web_models.py has one).
    ("POST", "/admin/models/promote", {"version": "9.9.9"}, {"admin": 409}),
    ("POST", "/admin/models/rollback", None, {"admin": 409}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), WEB_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in WEB_MATRIX]
)
def test_web_role_matrix(
    client: TestClient,
    org: Org,
    role: str,
    method: str,
    path: str,
    body: dict[str, str] | None,
    expected: dict[str, int],
) -> None:
    import hashlib
    import uuid

    token = hashlib.sha256(org.reporter2.token.encode()).hexdigest()[:12]
    url = path.format(reporter2=org.reporter2.id, token=token)
    data = {k: v.format(uid=uuid.uuid4().hex[:8]) for k, v in (body or {}).items()}
    response = client.request(
        method, url, data=data or None, headers=_headers(org, role), follow_redirects=False
    )
    want = expected.get(role, 303 if role in ("anonymous", "bad_token") else 403)
    assert response.status_code == want, response.text
    if want == 303 and role in ("anonymous", "bad_token"):
        assert response.headers["location"] == "/login"
