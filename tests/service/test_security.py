"""Security: CSRF on every form, session fixation, rate limits, lock-out, hashed secrets, headers,
no message text or secrets in logs, uploads never on disk or served, and no outbound connections (SSRF)."""

from __future__ import annotations

import io
import logging
import re
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from triage.config import Settings
from triage.ports import Classifier
from triage.service.app import create_app
from triage.service.observability import JsonFormatter
from triage.service.web import STATIC, TEMPLATES
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import AuditEvent, Credential, User

from .conftest import Org, make_org

PASSWORD = "een-goed-wachtwoord"
THREAT = "Ik weet waar je woont, wethouder. Morgen sta ik met een mes voor je deur."
FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>.*?</form>", re.S | re.I)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )


@pytest.fixture
def web_org(client: TestClient, settings: Settings) -> Iterator[Org]:
    client.cookies.clear()
    yield make_org(settings, password=PASSWORD)
    client.cookies.clear()


def test_every_post_form_carries_a_csrf_token_and_is_refused_without_it(
    client: TestClient, web_org: Org
) -> None:
    report = client.post("/api/v1/reports", json={"text": THREAT}, headers=web_org.reporter.headers).json()
    assert _login(client, web_org.reviewer.email).status_code == 303
    pages = ["/queue", f"/reports/{report['id']}", "/forward", "/mine"]
    forms: dict[str, str] = {}
    for page in pages:
        html = client.get(page).text
        for form in FORM.findall(html):
            found = re.search(r'action="([^"]+)"', form)
            assert found is not None
            forms[found.group(1)] = form
    assert {
        "/logout",
        "/forward",
        f"/reports/{report['id']}/claim",
        f"/reports/{report['id']}/review",
    } <= set(forms)
    for action, form in forms.items():
        assert 'name="csrf_token"' in form, f"form {action} has no CSRF token"
        refused = client.post(action, data={"text": "x", "decision": "confirm"}, follow_redirects=False)
        assert refused.status_code == 403, f"{action} accepted a POST without CSRF token"
        wrong = client.post(
            action, data={"csrf_token": "wrong", "decision": "confirm"}, follow_redirects=False
        )
        assert wrong.status_code == 403, action
    client.cookies.clear()
    # The login forms (password and one-time link) check their own token against a cookie.
    assert client.post("/login", data={"email": web_org.reviewer.email, "password": PASSWORD, "csrf_token": "x"}).status_code == 403  # fmt: skip
    assert client.post("/login/once/somesecret").status_code == 403
    for page in ("/login", "/login/once/somesecret"):
        assert all('name="csrf_token"' in f for f in FORM.findall(client.get(page).text))


def _session_cookie(response: Any) -> str:
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith("triage_session="))
    return str(header.split(";", 1)[0].split("=", 1)[1])


def test_login_issues_a_new_session_id(client: TestClient, web_org: Org) -> None:
    planted = "attacker-chosen-session-id"
    client.cookies.set("triage_session", planted)
    first = _session_cookie(_login(client, web_org.reviewer.email))
    assert first and first != planted
    client.cookies.clear()
    refused = client.get("/api/v1/queue", headers={"cookie": f"triage_session={planted}"})
    assert refused.status_code == 401  # the planted id never became a session
    assert client.get("/api/v1/queue", headers={"cookie": f"triage_session={first}"}).status_code == 200
    second = _session_cookie(_login(client, web_org.reviewer.email))
    assert second not in (first, planted)
    client.cookies.clear()


def test_lockout_after_failed_logins(client: TestClient, settings: Settings, web_org: Org) -> None:
    email = web_org.reviewer.email
    for _ in range(settings.lockout_failures):
        assert _login(client, email, "fout-wachtwoord").status_code == 401
    locked = _login(client, email)  # the right password, but the account is locked now
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.text
    assert _login(client, web_org.reporter.email).status_code == 303  # others are not affected
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        user_id = session.scalar(select(User.id).where(User.email == email))
        failed = session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == user_id, AuditEvent.action == "login_failed")
        ).all()
        assert len(failed) == settings.lockout_failures
        assert all(event.detail == {"how": "password"} for event in failed)  # never the password tried
    engine.dispose()


def test_rate_limits_on_forwarding_and_login(
    settings: Settings, classifier: Classifier, client: TestClient
) -> None:
    org = make_org(settings, password=PASSWORD)
    tight = settings.model_copy(update={"forward_rate_per_minute": 3, "login_rate_per_minute": 2})
    with TestClient(create_app(tight, classifier)) as limited:
        codes = [
            limited.post(
                "/api/v1/reports", json={"text": f"hoi {n}"}, headers=org.reporter.headers
            ).status_code
            for n in range(4)
        ]
        assert codes == [201, 201, 201, 429]
        refused = limited.post("/api/v1/reports", json={"text": "nog een"}, headers=org.reporter.headers)
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert int(refused.headers["retry-after"]) > 0
        # another credential has its own budget
        other = limited.post("/api/v1/reports", json={"text": "hoi"}, headers=org.reporter2.headers)
        assert other.status_code == 201
        logins = [_login(limited, org.reviewer.email, "fout-wachtwoord").status_code for _ in range(3)]
        assert logins == [401, 401, 429]
        metrics = limited.get("/metrics").text
        assert 'triage_rate_limited_total{limit="forward"} 2' in metrics


def test_tokens_and_passwords_are_stored_only_as_hashes(settings: Settings, web_org: Org) -> None:
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        user = session.scalars(select(User).where(User.email == web_org.reviewer.email)).one()
        assert (
            user.password_hash
            and user.password_hash.startswith("$argon2")
            and PASSWORD not in user.password_hash
        )
        hashes = session.scalars(select(Credential.hash).where(Credential.user_id == user.id)).all()
        assert hashes and web_org.reviewer.token not in hashes
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    engine.dispose()


UI_PAGES = ["/login", "/queue", "/forward", "/mine"]


def test_security_headers_and_a_csp_without_inline_scripts(client: TestClient, web_org: Org) -> None:
    _login(client, web_org.reviewer.email)
    for page in UI_PAGES:
        response = client.get(page)
        csp = response.headers["content-security-policy"]
        script_src = re.search(r"script-src ([^;]+)", csp)
        assert script_src is not None and "'unsafe-inline'" not in script_src.group(1), page
        assert "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), f"inline script on {page}"
        assert not re.search(r"\son[a-z]+\s*=", response.text), f"inline event handler on {page}"
    session_cookie = client.cookies.get("triage_session")
    assert session_cookie
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), template.name
        assert not re.search(r"\son[a-z]+\s*=", source), template.name
        assert "javascript:" not in source, template.name


def test_security_headers_on_api_answers_errors_and_early_refusals(client: TestClient, org: Org) -> None:
    """The headers come from a pure ASGI middleware: on JSON answers, on error answers, on the 413 it
    gives itself for a declared Content-Length over the limit, and without the CSP on the API docs."""
    answers = [
        client.post("/api/v1/classify", json={"text": "Goedemorgen"}, headers=org.reporter.headers),
        client.get("/api/v1/queue", headers=org.reporter.headers),  # 403
        client.get("/api/v1/reports/nope", headers=org.reporter.headers),  # 404
        client.post(
            "/api/v1/reports",
            content=b"x" * 10,
            headers=org.reporter.headers
            | {"content-type": "application/json", "content-length": str(60 * 1024 * 1024)},
        ),
    ]
    assert [a.status_code for a in answers] == [200, 403, 404, 413]
    assert answers[-1].json()["error"]["code"] == "payload_too_large"
    for answer in answers:
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-request-id"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "content-security-policy" not in docs.headers
    assert docs.headers["x-content-type-options"] == "nosniff" and "cache-control" not in docs.headers
    static = client.get("/static/style.css")
    assert static.status_code == 200 and "cache-control" not in static.headers


def test_session_cookie_flags(client: TestClient, web_org: Org) -> None:
    response = _login(client, web_org.reviewer.email)
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("triage_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("samesite", "SameSite")


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.formatter_ = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("httpx", "httpcore")):
            return  # the test client's own log of what it sent, not the server's
        self.lines.append(self.formatter_.format(record))


def test_no_message_text_or_secrets_in_logs(client: TestClient, org: Org, settings: Settings) -> None:
    marker = f"geheim-{uuid.uuid4().hex}"
    capture = _Capture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        text = f"{THREAT} {marker} 06-12345678 Dorpsstraat 1"
        response = client.post(
            "/api/v1/reports",
            json={
                "text": text,
                "note": marker,
                "author_handle": f"@{marker}",
                "url": f"https://x.com/{marker}",
            },
            headers=org.reporter.headers,
        )
        assert response.status_code == 201
        client.get(f"/api/v1/reports/{response.json()['id']}?q={marker}", headers=org.reporter.headers)
        client.post(f"/v1alpha1/comments:analyze?key={org.reporter.token}", json={"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})  # fmt: skip
        client.post("/api/v1/classify", json={"text": text}, headers=org.reporter.headers)
        client.post("/api/v1/reports", json={"text": "x" * 10, "bogus": marker}, headers=org.reporter.headers)
        client.get("/api/v1/queue", headers={"Authorization": f"Bearer {marker}"})
    finally:
        root.removeHandler(capture)
        root.setLevel(level)
    logged = "\n".join(capture.lines)
    assert capture.lines, "nothing was logged (the access log should be)"
    for secret in (marker, org.reporter.token, "06-12345678", "Dorpsstraat"):
        assert secret not in logged, f"{secret!r} appears in the logs"


def test_uploads_are_not_files_in_any_served_folder(client: TestClient, org: Org, settings: Settings) -> None:
    name = f"bewijs-{uuid.uuid4().hex}.png"
    before = {p for p in settings.data_dir.rglob("*")} | {p for p in STATIC.rglob("*")}
    response = client.post(
        "/api/v1/reports",
        data={"text": THREAT},
        files={"attachments": (name, _png(), "image/png")},
        headers=org.reporter.headers,
    )
    assert response.status_code == 201, response.text
    [attachment] = response.json()["attachments"]
    after = {p for p in settings.data_dir.rglob("*")} | {p for p in STATIC.rglob("*")}
    assert not any(name in str(p) for p in after - before)  # kept in the database, not as a file
    assert re.fullmatch(r"[0-9a-f]{32}", attachment["id"]) and name not in attachment["id"]
    assert client.get(f"/static/{name}").status_code == 404
    path = f"/api/v1/reports/{response.json()['id']}/attachments/{attachment['id']}"
    assert client.get(path).status_code == 401  # only through the app, for whoever may see the report
    assert client.get(path, headers=org.reporter2.headers).status_code == 404
    assert client.get(path, headers=org.reporter.headers).content == _png()


def test_urls_in_messages_are_never_fetched(
    client: TestClient, org: Org, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = make_db_engine(settings.effective_database_url).url
    allowed = {(database.host, database.port or 5432)} if database.host else set()
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and (address[0], address[1]) in allowed:
            return real_connect(self, address)
        attempts.append(address)
        raise AssertionError(f"outbound connection to {address}")

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(host)
        raise AssertionError(f"name lookup of {host}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    urls = "http://169.254.169.254/latest/meta-data/ https://evil.example/x.png http://127.0.0.1:22/ file:///etc/passwd"
    email = f"From: a@evil.example\r\nSubject: kijk\r\nContent-Type: text/html\r\n\r\n<img src='https://evil.example/pixel.gif'>{urls}\r\n"  # fmt: skip
    body = {"text": f"{THREAT} {urls}", "url": "https://evil.example/1", "author_url": "http://10.0.0.1/", "context": urls}  # fmt: skip
    eml_headers = org.reporter.headers | {"content-type": "message/rfc822"}
    requests = [
        client.post("/api/v1/reports", json=body, headers=org.reporter.headers),
        client.post("/api/v1/reports/eml", content=email.encode(), headers=eml_headers),
        client.post("/api/v1/classify", json={"text": urls}, headers=org.reporter.headers),
    ]
    assert [r.status_code for r in requests] == [201, 201, 200], [r.text[:200] for r in requests]
    report = requests[0].json()["id"]
    assert client.get(f"/api/v1/reports/{report}", headers=org.reviewer.headers).status_code == 200
    assert attempts == []
