"""The admin's Gebruikers page: add a user (one-time login link), change role, (de)activate, API tokens
created on the page work as Bearer tokens until revoked; CSRF required, every change audited, another
organisation's users answer 404."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from triage.config import Settings
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import AuditEvent, Credential, Organisation, User

from .conftest import make_org
from .web_login import PASSWORD, csrf_of, log_in

SECRET = re.compile(r'id="secret-value">([^<]+)<')


def _secret(html: str) -> str:
    found = SECRET.search(html)
    assert found is not None, html[:2000]
    return found.group(1)


def _audit_actions(settings: Settings, org_name: str) -> list[str]:
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        org_id = session.scalar(select(Organisation.id).where(Organisation.name == org_name))
        actions = list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.org_id == org_id).order_by(AuditEvent.id)
            )
        )
    engine.dispose()
    return actions


def test_admin_adds_a_user_changes_role_and_deactivates(client: TestClient, settings: Settings) -> None:
    org = make_org(settings, password=PASSWORD)
    other = make_org(settings, password=PASSWORD)
    admin, csrf = log_in(client, org.admin)

    page = admin.get("/admin/users")
    assert page.status_code == 200
    for member in (org.reporter, org.reviewer, org.admin):
        assert member.email in page.text
    assert other.reporter.email not in page.text
    assert 'href="/admin/users"' in page.text and 'href="/admin/models"' in page.text  # the admin's nav

    email = f"nieuw-{uuid.uuid4().hex[:8]}@example.nl"
    assert admin.post("/admin/users", data={"email": email, "role": "reviewer"}).status_code == 403  # no CSRF
    added = admin.post("/admin/users", data={"email": email, "role": "reviewer", "csrf_token": csrf})
    assert added.status_code == 201, added.text
    link = _secret(added.text)
    assert "/login/once/" in link and email in added.text
    again = admin.post("/admin/users", data={"email": email, "role": "reviewer", "csrf_token": csrf})
    assert again.status_code == 409 and 'id="user-error"' in again.text

    newcomer = TestClient(client.app)  # the link logs the new user in, once
    path = "/login/once/" + link.rsplit("/login/once/", 1)[1]
    used = newcomer.post(path, data={"csrf_token": csrf_of(newcomer.get(path).text)}, follow_redirects=False)
    assert used.status_code == 303 and newcomer.get("/queue").status_code == 200

    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None and user.role == "reviewer" and user.password_hash is None
        new_id = user.id
    engine.dispose()

    assert admin.post(f"/admin/users/{new_id}/role", data={"role": "admin"}).status_code == 403  # no CSRF
    changed = admin.post(
        f"/admin/users/{new_id}/role", data={"role": "admin", "csrf_token": csrf}, follow_redirects=False
    )
    assert changed.status_code == 303
    bad_role = admin.post(f"/admin/users/{new_id}/role", data={"role": "root", "csrf_token": csrf})
    assert bad_role.status_code == 422
    assert newcomer.get("/admin/users").status_code == 200  # now an admin

    reporter, _ = log_in(client, org.reporter)
    assert client.get("/api/v1/reports", headers=org.reporter.headers).status_code == 200
    off = admin.post(
        f"/admin/users/{org.reporter.id}/deactivate", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert off.status_code == 303
    assert client.get("/api/v1/reports", headers=org.reporter.headers).status_code == 401
    assert reporter.get("/mine", follow_redirects=False).status_code == 303  # the session ended
    assert "gedeactiveerd" in admin.get("/admin/users").text
    on = admin.post(
        f"/admin/users/{org.reporter.id}/activate", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert on.status_code == 303
    assert client.get("/api/v1/reports", headers=org.reporter.headers).status_code == 200
    assert reporter.get("/mine", follow_redirects=False).status_code == 303  # sessions do not come back

    own = admin.post(f"/admin/users/{org.admin.id}/deactivate", data={"csrf_token": csrf})
    assert own.status_code == 409  # no admin locks themselves out

    link_again = admin.post(f"/admin/users/{org.reviewer.id}/login-link", data={"csrf_token": csrf})
    assert link_again.status_code == 200 and "/login/once/" in _secret(link_again.text)

    actions = _audit_actions(settings, org.name)
    for action in ("user_add", "user_role", "user_deactivate", "user_activate", "login_link"):
        assert action in actions, actions


def test_token_made_on_the_page_works_until_revoked(client: TestClient, settings: Settings) -> None:
    org = make_org(settings, password=PASSWORD)
    admin, csrf = log_in(client, org.admin)
    assert admin.post(f"/admin/users/{org.reporter2.id}/tokens").status_code == 403  # no CSRF
    made = admin.post(f"/admin/users/{org.reporter2.id}/tokens", data={"csrf_token": csrf})
    assert made.status_code == 201, made.text
    token = _secret(made.text)
    assert token.startswith("trg_")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/reports", headers=bearer).status_code == 200

    page = admin.get("/admin/users").text
    assert token not in page  # shown once, never again
    row = page.split(f'id="user-{org.reporter2.id}"', 1)[1].split("</tr>", 1)[0]
    token_ids = re.findall(r'id="token-([0-9a-f]{12})"', row)
    assert len(token_ids) == 2  # the fixture's token and the new one
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        stored = {
            c.hash[:12]: c
            for c in session.scalars(select(Credential).where(Credential.user_id == org.reporter2.id))
        }
    engine.dispose()
    new_id = next(i for i in token_ids if stored[i].used_at is not None)  # last use recorded
    assert all(token not in c.hash for c in stored.values())
    assert "nooit" in row and "laatst gebruikt 20" in row

    assert admin.post(f"/admin/users/{org.reporter2.id}/tokens/{new_id}/revoke").status_code == 403
    revoked = admin.post(
        f"/admin/users/{org.reporter2.id}/tokens/{new_id}/revoke",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert client.get("/api/v1/reports", headers=bearer).status_code == 401
    assert (
        client.get("/api/v1/reports", headers=org.reporter2.headers).status_code == 200
    )  # the other one stays
    gone = admin.post(f"/admin/users/{org.reporter2.id}/tokens/{new_id}/revoke", data={"csrf_token": csrf})
    assert gone.status_code == 404
    actions = _audit_actions(settings, org.name)
    assert "token_create" in actions and "token_revoke" in actions


def test_another_organisations_users_answer_404(client: TestClient, settings: Settings) -> None:
    org = make_org(settings)
    other = make_org(settings)
    theirs = other.admin.headers
    for path, data in [
        (f"/admin/users/{org.reporter.id}/role", {"role": "admin"}),
        (f"/admin/users/{org.reporter.id}/deactivate", {}),
        (f"/admin/users/{org.reporter.id}/activate", {}),
        (f"/admin/users/{org.reporter.id}/login-link", {}),
        (f"/admin/users/{org.reporter.id}/tokens", {}),
        (f"/admin/users/{org.reporter.id}/tokens/{'0' * 12}/revoke", {}),
        ("/admin/users/no-such-user/role", {"role": "admin"}),
    ]:
        assert client.post(path, data=data, headers=theirs).status_code == 404, path
    assert client.get("/api/v1/reports", headers=org.reporter.headers).status_code == 200  # untouched


def test_every_admin_form_needs_the_csrf_token(client: TestClient, settings: Settings) -> None:
    org = make_org(settings, password=PASSWORD)
    admin, _ = log_in(client, org.admin)
    target = org.reporter.id
    forms = [
        ("/admin/users", {"email": "x@example.nl", "role": "reporter"}),
        (f"/admin/users/{target}/role", {"role": "admin"}),
        (f"/admin/users/{target}/deactivate", {}),
        (f"/admin/users/{target}/activate", {}),
        (f"/admin/users/{target}/login-link", {}),
        (f"/admin/users/{target}/tokens", {}),
        (f"/admin/users/{target}/tokens/{'0' * 12}/revoke", {}),
        ("/admin/models/promote", {"version": "1.0.0"}),
        ("/admin/models/rollback", {}),
    ]
    for path, data in forms:
        assert admin.post(path, data=data).status_code == 403, path
        assert admin.post(path, data={**data, "csrf_token": "wrong"}).status_code == 403, path
    assert client.get("/api/v1/reports", headers=org.reporter.headers).status_code == 200
    assert "x@example.nl" not in admin.get("/admin/users").text
