"""The reviewers' pages for the workflow: follow-up form, aftercare, bundle link, the overdue badge."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from triage.config import Settings
from triage.evidence import aftercare
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import Report
from triage.store.types import utcnow

from .conftest import Forward, Member, make_org

PASSWORD = "een-lang-wachtwoord"
THREAT = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."


def _browser(client: TestClient, member: Member) -> tuple[TestClient, str]:
    browser = TestClient(client.app)
    page = browser.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = browser.post(
        "/login",
        data={"email": member.email, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/forward").text)
    assert csrf is not None
    return browser, csrf.group(1)


def test_report_page_follow_up_aftercare_and_overdue_badge(
    client: TestClient, settings: Settings, forward: Forward
) -> None:
    org = make_org(settings, password=PASSWORD)
    report = forward(org.reporter, THREAT)
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        session.execute(
            update(Report).where(Report.id == report["id"]).values(created_at=utcnow() - timedelta(days=6))
        )
        session.commit()
    engine.dispose()
    browser, csrf = _browser(client, org.reviewer)

    queue = browser.get("/queue", params={"police_overdue": "true"})
    assert queue.status_code == 200 and report["id"] in queue.text and "aangifte te laat" in queue.text

    page = browser.get(f"/reports/{report['id']}")
    assert page.status_code == 200
    assert 'id="police-overdue"' in page.text and 'id="follow-up-form"' in page.text
    assert f'href="/api/v1/reports/{report["id"]}/bundle"' in page.text
    care = aftercare(report["severity"])
    assert care.official[0] in page.text.replace("&#39;", "'") and 'id="nazorg"' in page.text

    no_csrf = browser.post(f"/reports/{report['id']}/follow-up", data={"kind": "gir"})
    assert no_csrf.status_code == 403
    done = browser.post(
        f"/reports/{report['id']}/follow-up",
        data={"kind": "police", "reference": "PL0900-77", "occurred_on": "2026-11-27", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = browser.get(f"/reports/{report['id']}")
    assert "PL0900-77" in page.text and "Aangifte bij de politie" in page.text
    assert 'id="police-overdue"' not in page.text
    assert report["id"] not in browser.get("/queue", params={"police_overdue": "true"}).text
    bundle = browser.get(f"/api/v1/reports/{report['id']}/bundle")
    assert bundle.status_code == 200 and bundle.content[:2] == b"PK"

    reporter, _ = _browser(client, org.reporter)
    own = reporter.get(f"/reports/{report['id']}")
    assert own.status_code == 200 and 'id="nazorg"' in own.text
    assert 'id="follow-up-form"' not in own.text and "/bundle" not in own.text


def test_admin_sets_the_contact_address_and_retention_on_the_organisation_page(
    client: TestClient, settings: Settings
) -> None:
    org = make_org(settings, password=PASSWORD)
    admin, csrf = _browser(client, org.admin)
    page = admin.get("/organisation")
    assert page.status_code == 200 and "Postbus 1, 1000 AA Voorbeeld" in page.text
    saved = admin.post(
        "/organisation",
        data={
            "contact_address": "Stadhuis <b>Plein</b> 1, 1234 AB Plaats",
            "contact_phone": "14 020",
            "retention_days": "90",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    body = client.get("/api/v1/organisation", headers=org.admin.headers).json()
    assert body["retention_days"] == 90 and body["contact_address"].startswith("Stadhuis <b>")
    assert "&lt;b&gt;Plein" in admin.get("/organisation").text  # shown escaped
    bad = admin.post("/organisation", data={"retention_days": "5", "csrf_token": csrf})
    assert bad.status_code == 422
    assert f"/api/v1/admin/users/{org.reporter.id}/data" in admin.get("/organisation").text
    access = admin.get(f"/api/v1/admin/users/{org.reporter.id}/data")
    assert access.status_code == 200 and access.json()["user"]["email"] == org.reporter.email
    erased = admin.post(
        f"/organisation/users/{org.reporter2.id}/erase",
        data={"reason": "verzoek per brief", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert erased.status_code == 303
    assert client.get("/api/v1/reports", headers=org.reporter2.headers).status_code == 401
    assert "gewist" in admin.get("/organisation").text
    reviewer, _ = _browser(client, org.reviewer)
    assert reviewer.get("/organisation").status_code == 403
    refused = reviewer.post(
        f"/organisation/users/{org.reporter.id}/erase", data={"reason": "nee", "csrf_token": _}
    )
    assert refused.status_code == 403
    assert 'href="/organisation"' not in reviewer.get("/queue").text
