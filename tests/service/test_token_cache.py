"""The API-token cache (triage.service.auth_cache): a known token needs no database query; revoking a
token or changing its user takes effect at once in the process that made the change, and within
`token_cache_seconds` when another process (the CLI, a second server) made it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, event, select, update

from triage.config import Settings
from triage.ports import Classifier
from triage.service.app import create_app
from triage.service.auth_cache import TokenCache
from triage.service.state import AppState
from triage.store import credentials
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import Credential, User

from .conftest import Member, make_org

TEXT = "Beste wethouder, wanneer komt het besluit over de fietsbrug?"


def _app(settings: Settings, classifier: Classifier, seconds: float) -> Iterator[TestClient]:
    with TestClient(
        create_app(settings.model_copy(update={"token_cache_seconds": seconds}), classifier)
    ) as c:
        yield c


@pytest.fixture
def cached(client: TestClient, settings: Settings, classifier: Classifier) -> Iterator[TestClient]:
    yield from _app(settings, classifier, 60.0)  # `client` has migrated the database


@pytest.fixture
def short(client: TestClient, settings: Settings, classifier: Classifier) -> Iterator[TestClient]:
    yield from _app(settings, classifier, 0.3)


def _state(client: TestClient) -> AppState:
    state: AppState = client.app.state.triage  # type: ignore[attr-defined]
    return state


def _classify(client: TestClient, member: Member) -> int:
    return client.post("/api/v1/classify", json={"text": TEXT}, headers=member.headers).status_code


def _elsewhere(settings: Settings, statement: Any) -> None:
    """A change made by another process (the CLI, a second server): its own engine and session."""
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        session.execute(statement)
        session.commit()
    engine.dispose()


def test_a_known_token_needs_no_database_query(cached: TestClient, settings: Settings) -> None:
    org = make_org(settings)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(_state(cached).db, "before_cursor_execute", count)
    try:
        assert _classify(cached, org.reporter) == 200
        assert statements, "the first request looks the token up"
        statements.clear()
        assert [_classify(cached, org.reporter) for _ in range(3)] == [200, 200, 200]
        assert statements == []
    finally:
        event.remove(_state(cached).db, "before_cursor_execute", count)
    assert (
        cached.post(
            "/api/v1/classify", json={"text": TEXT}, headers={"Authorization": "Bearer trg_x"}
        ).status_code
        == 401
    )


def test_changes_made_by_this_process_take_effect_at_once(cached: TestClient, settings: Settings) -> None:
    org = make_org(settings)
    members = [org.reporter, org.reporter2, org.reviewer]
    assert [_classify(cached, m) for m in members] == [200, 200, 200]
    assert cached.get("/api/v1/queue", headers=org.reporter2.headers).status_code == 403
    sessions = _state(cached).sessions
    with sessions() as session:  # as the admin pages and routes do: ORM changes, then commit
        user = session.get(User, org.reporter.id)
        assert user is not None
        user.active = False
        session.commit()
    assert _classify(cached, org.reporter) == 401
    with sessions() as session:
        promoted = session.get(User, org.reporter2.id)
        assert promoted is not None
        promoted.role = "reviewer"
        session.commit()
    assert cached.get("/api/v1/queue", headers=org.reporter2.headers).status_code == 200
    with sessions() as session:  # a bulk delete, as erasure does
        session.execute(delete(Credential).where(Credential.user_id == org.reviewer.id))
        session.commit()
    assert _classify(cached, org.reviewer) == 401


def test_a_rolled_back_change_keeps_the_cache(cached: TestClient, settings: Settings) -> None:
    org = make_org(settings)
    assert _classify(cached, org.reporter) == 200
    tokens = _state(cached).tokens
    generation = tokens.generation
    with _state(cached).sessions() as session:
        session.execute(update(User).where(User.id == org.reporter.id).values(role="admin"))
        session.rollback()
    assert tokens.generation == generation
    assert _classify(cached, org.reporter) == 200


def test_changes_made_elsewhere_take_effect_within_the_cache_time(
    short: TestClient, settings: Settings
) -> None:
    org = make_org(settings)
    assert _classify(short, org.reporter) == 200
    assert _classify(short, org.reporter2) == 200
    digest = credentials.digest(org.reporter.token)
    _elsewhere(settings, delete(Credential).where(Credential.hash == digest))  # `triage tokens revoke`
    _elsewhere(settings, update(User).where(User.id == org.reporter2.id).values(active=False))
    time.sleep(0.4)
    assert _classify(short, org.reporter) == 401
    assert _classify(short, org.reporter2) == 401


def test_without_the_cache_every_request_looks_the_token_up(
    client: TestClient, settings: Settings, classifier: Classifier
) -> None:
    org = make_org(settings)
    for client in _app(settings, classifier, 0.0):
        assert _classify(client, org.reporter) == 200
        _elsewhere(
            settings, delete(Credential).where(Credential.hash == credentials.digest(org.reporter.token))
        )
        assert _classify(client, org.reporter) == 401


def test_cache_entries_expire_are_copies_and_a_lookup_older_than_a_clear_is_dropped() -> None:
    cache = TokenCache(ttl=60.0)
    user = User(
        id="u1",
        org_id="o1",
        email="a@example.nl",
        role="reporter",
        active=True,
        password_hash="x",
        erased_at=None,
    )
    user.created_at = credentials.utcnow()
    cache.put("d1", user, None, cache.generation)
    first, second = cache.get("d1"), cache.get("d1")
    assert first is not None and second is not None and first is not second
    assert (first.id, first.role, first.password_hash, first.erased_at) == ("u1", "reporter", "x", None)
    first.role = "admin"
    assert cache.get("d1").role == "reporter"  # type: ignore[union-attr]
    stale = cache.generation
    cache.clear()
    assert cache.get("d1") is None
    cache.put("d2", user, None, stale)  # looked up before the clear: not kept
    assert cache.get("d2") is None
    expired = TokenCache(ttl=0.05)
    expired.put("d3", user, None, expired.generation)
    time.sleep(0.06)
    assert expired.get("d3") is None
    assert TokenCache(ttl=0).get("d1") is None
    past = TokenCache(ttl=60.0)
    past.put("d4", user, credentials.utcnow(), past.generation)  # the token itself has expired
    assert past.get("d4") is None


def test_token_lookup_still_records_last_use(cached: TestClient, settings: Settings) -> None:
    org = make_org(settings)
    assert _classify(cached, org.reporter) == 200
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        used = session.scalar(
            select(Credential.used_at).where(Credential.hash == credentials.digest(org.reporter.token))
        )
    engine.dispose()
    assert used is not None
