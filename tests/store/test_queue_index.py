"""The default queue is read through the partial index ix_reports_open_queue, on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, insert, text

from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import OPEN_QUEUE_WHERE, Report
from triage.store.queue import OPEN_STATUSES, QueueFilter, queue_page
from triage.store.users import add_user

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_db_engine(f"sqlite:///{tmp_path / 'queue.db'}")
        migrate.upgrade(engine)
        yield engine
        engine.dispose()
        return
    name = f"triage_queue_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_db_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _seed(engine: Engine) -> tuple[str, list[str]]:
    """300 reports of one organisation, 12 of them open (2 of those duplicates); the open originals'
    ids in queue order."""
    sessions = make_session_factory(engine)
    with sessions() as session:
        user = add_user(session, email="r@example.nl", org_name="Gemeente Q", role="reporter", password=None)
        session.commit()
        org_id, user_id = user.org_id, user.id
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for number in range(300):
        status = OPEN_STATUSES[number % 2] if number % 25 == 0 else "closed"
        score = (number * 37 % 100) / 100
        rows.append(
            {
                "id": f"{number:032x}",
                "org_id": org_id,
                "reporter_id": user_id,
                "status": status,
                "text": f"bericht {number}",
                "text_sha256": f"{number:064x}",
                "verdict": {"flags": [], "severity": "low", "severity_score": score},
                "model_name": "stub",
                "model_version": "0",
                "severity": "low",
                "severity_score": score,
                "priority": score,
                "duplicate_of_id": f"{0:032x}" if number in (100, 200) else None,
                "created_at": now - timedelta(minutes=number),
                "updated_at": now,
            }
        )
    with engine.begin() as connection:
        connection.execute(insert(Report.__table__), rows)  # type: ignore[arg-type]
    open_rows = [r for r in rows if r["status"] != "closed" and r["duplicate_of_id"] is None]
    open_rows.sort(key=lambda r: (-r["priority"], r["created_at"], r["id"]))
    return org_id, [r["id"] for r in open_rows]


def test_the_default_queue_uses_the_partial_index(db: Engine) -> None:
    assert OPEN_QUEUE_WHERE.startswith("status IN ('new', 'in_review')")  # the literals queue_page writes
    org_id, expected = _seed(db)
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if "ORDER BY" in statement and "FROM reports" in statement:
            statements.append((statement, parameters))

    event.listen(db, "before_cursor_execute", capture)
    with make_session_factory(db)() as session:
        page, cursor = queue_page(session, org_id=org_id, filters=QueueFilter(), limit=5)
        rest, _ = queue_page(session, org_id=org_id, filters=QueueFilter(), cursor=cursor, limit=50)
        explicit, _ = queue_page(session, org_id=org_id, filters=QueueFilter(status=["in_review"]))
    event.remove(db, "before_cursor_execute", capture)
    assert [r.id for r in page + rest] == expected
    assert {r.status for r in explicit} == {"in_review"}
    statement, parameters = statements[0]
    assert "IN ('new', 'in_review')" in statement
    with db.connect() as connection:
        if db.dialect.name == "sqlite":
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            assert "ix_reports_open_queue" in str(plan), plan
        else:
            definition = connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_reports_open_queue'")
            ).scalar_one()
            assert (
                "WHERE" in definition
                and "in_review" in definition
                and "duplicate_of_id IS NULL" in definition
            )
            connection.execute(text("SET enable_seqscan = off"))
            connection.execute(text("SET enable_bitmapscan = off"))
            plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
            assert "ix_reports_open_queue" in str(plan), plan
