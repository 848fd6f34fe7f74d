"""An organisation with a reporter, a reviewer and an admin, each with an API token."""

from __future__ import annotations

import uuid

from triage.config import Settings
from triage.store import credentials
from triage.store.db import make_db_engine, make_session_factory
from triage.store.users import add_user


def make_members(settings: Settings) -> dict[str, dict[str, str]]:
    engine = make_db_engine(settings.effective_database_url)
    org = f"Gemeente {uuid.uuid4().hex[:8]}"
    members = {}
    with make_session_factory(engine)() as session:
        for role in ("reporter", "reviewer", "admin"):
            user = add_user(
                session,
                email=f"{role}-{uuid.uuid4().hex[:6]}@example.nl",
                org_name=org,
                role=role,
                password=None,
            )
            secret, _ = credentials.issue(session, user=user, kind="token")
            members[role] = {"Authorization": f"Bearer {secret}"}
        session.commit()
    engine.dispose()
    return members
