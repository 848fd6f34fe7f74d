"""A logged-in browser-like TestClient (session cookie and the page's CSRF token) for web route tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import Member

PASSWORD = "een-lang-wachtwoord"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, html[:500]
    return found.group(1)


def log_in(client: TestClient, member: Member, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A fresh client on the same app, logged in as `member` (made with this password): (client, csrf)."""
    browser = TestClient(client.app)
    token = csrf_of(browser.get("/login").text)
    response = browser.post(
        "/login",
        data={"email": member.email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return browser, csrf_of(browser.get("/forward").text)
