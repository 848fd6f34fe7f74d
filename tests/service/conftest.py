"""A running app per database backend (SQLite in a tmp dir; PostgreSQL in a database made for this run),
and per test a fresh organisation with one user of each role, each with an API token."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update

from triage.config import Settings
from triage.engine import Engine
from triage.engine.verdict import ModelInfo, Verdict
from triage.ports import Classifier
from triage.service.app import create_app
from triage.store import credentials, migrate
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import Report
from triage.store.types import utcnow
from triage.store.users import add_user, get_or_create_org

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def classifier(engine: Engine) -> Classifier:
    """The real engine with the shipped model: a model that does not load fails the tests."""
    return engine


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database of its own for this run (and xdist worker), dropped afterwards."""
    name = f"triage_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - only without the local PostgreSQL
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is needed for tests marked postgres: {exc}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{(folder / 'triage.db').as_posix()}"


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return sqlite_url(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url, data_dir=tmp_path_factory.mktemp("data"), max_text_chars=50_000
    )


@pytest.fixture(scope="session")
def client(settings: Settings, classifier: Classifier) -> Iterator[TestClient]:
    engine = make_db_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    with TestClient(create_app(settings, classifier)) as test_client:
        yield test_client


@dataclass
class Member:
    email: str
    role: str
    token: str
    id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Org:
    name: str
    reporter: Member
    reporter2: Member
    reviewer: Member
    reviewer2: Member
    admin: Member


def make_org(settings: Settings, password: str | None = None) -> Org:
    engine = make_db_engine(settings.effective_database_url)
    name = f"Gemeente {uuid.uuid4().hex[:8]}"
    members = {}
    with make_session_factory(engine)() as session:
        for key, role in [
            ("reporter", "reporter"),
            ("reporter2", "reporter"),
            ("reviewer", "reviewer"),
            ("reviewer2", "reviewer"),
            ("admin", "admin"),
        ]:
            email = f"{key}-{uuid.uuid4().hex[:8]}@example.nl"
            user = add_user(session, email=email, org_name=name, role=role, password=password)
            secret, _ = credentials.issue(session, user=user, kind="token")
            members[key] = Member(email=email, role=role, token=secret, id=user.id)
        organisation = get_or_create_org(session, name)
        organisation.contact_address = "Postbus 1, 1000 AA Voorbeeld"  # bundles need the org's address
        session.commit()
    engine.dispose()
    return Org(name=name, **members)


@pytest.fixture
def org(client: TestClient, settings: Settings) -> Org:
    return make_org(settings)


@pytest.fixture
def other_org(client: TestClient, settings: Settings) -> Org:
    return make_org(settings)


class Forward(Protocol):
    def __call__(self, member: Member, text: str, **fields: object) -> dict[str, Any]: ...


@pytest.fixture
def forward(client: TestClient) -> Forward:
    def send(member: Member, text: str, **fields: object) -> dict[str, Any]:
        response = client.post("/api/v1/reports", json={"text": text, **fields}, headers=member.headers)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return send


def backdate(settings: Settings, report_id: str, days: float) -> None:
    """Pretend the report came in `days` days ago."""
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        session.execute(
            update(Report).where(Report.id == report_id).values(created_at=utcnow() - timedelta(days=days))
        )
        session.commit()
    engine.dispose()


class VersionEngine:
    """Answers every text with its own version (after `delay` seconds per call): which model served a
    request is visible in the verdict."""

    def __init__(self, version: str, delay: float = 0.0) -> None:
        self.model_info = ModelInfo("triage-nl", version)
        self.delay = delay

    def classify(self, text: str, recipient: str | None = None) -> Verdict:
        return self.classify_many([text])[0]

    def classify_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        if self.delay:
            time.sleep(self.delay)
        return [Verdict("nl", {}, [], "none", 0.0, "none", [], [], self.model_info) for _ in texts]
