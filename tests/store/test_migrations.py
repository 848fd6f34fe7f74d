from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, inspect, text

from triage.config import Settings
from triage.errors import DatabaseNotMigrated
from triage.service.app import create_app
from triage.store import migrate
from triage.store.db import make_db_engine

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TABLES = {
    "organisations",
    "users",
    "credentials",
    "reports",
    "report_flags",
    "attachments",
    "reviews",
    "audit_events",
    "import_jobs",
    "follow_ups",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_db_engine(f"sqlite:///{tmp_path / 'x.db'}")
        yield engine
        engine.dispose()
        return
    name = f"triage_mig_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_db_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_and_down_again(empty_db: Engine) -> None:
    with pytest.raises(DatabaseNotMigrated, match="triage db upgrade"):
        migrate.ensure_current(empty_db)
    migrate.upgrade(empty_db)
    migrate.ensure_current(empty_db)
    assert set(inspect(empty_db).get_table_names()) >= TABLES
    migrate.downgrade(empty_db)
    assert not TABLES & set(inspect(empty_db).get_table_names())
    assert migrate.current_revision(empty_db) is None
    migrate.upgrade(empty_db)
    assert migrate.current_revision(empty_db) == migrate.head_revision(empty_db)


def test_models_match_migrations(empty_db: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from triage.store.models import Base

    migrate.upgrade(empty_db)
    with empty_db.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if d[0] not in ("add_index", "remove_index")] == []


def test_server_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    app = create_app(settings, classifier=lambda: pytest.fail("must not load the engine first"))  # type: ignore[arg-type,return-value]
    with pytest.raises(DatabaseNotMigrated), TestClient(app):
        pass


def test_auto_migrate_when_told(tmp_path: Path, classifier_stub: object) -> None:
    settings = Settings(data_dir=tmp_path, auto_migrate=True)
    with TestClient(create_app(settings, classifier_stub)) as client:  # type: ignore[arg-type]
        assert client.get("/healthz").status_code == 200


def test_upgrade_keeps_existing_rows_and_gives_them_the_defaults(empty_db: Engine) -> None:
    migrate.upgrade(empty_db, "0001")
    with empty_db.begin() as connection:
        connection.execute(
            text("INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'Gemeente Oud', :now)"),
            {"now": "2026-01-01 00:00:00+00:00"},
        )
    migrate.upgrade(empty_db)
    with empty_db.connect() as connection:
        row = connection.execute(
            text("SELECT retention_days, contact_address FROM organisations WHERE id = 'o1'")
        ).one()
    assert tuple(row) == (365, None)
    assert "follow_ups" in inspect(empty_db).get_table_names()
    migrate.downgrade(empty_db, "0001")
    assert "follow_ups" not in inspect(empty_db).get_table_names()
    assert "retention_days" not in {c["name"] for c in inspect(empty_db).get_columns("organisations")}


def test_campaign_migration_links_existing_reports_and_goes_back(empty_db: Engine) -> None:
    """0004 on rows of 0003: exact duplicates become campaigns, author handles keys and counts, every
    report a priority; downgrading keeps the reports and what hangs on them."""
    from triage.store.priority import priority

    migrate.upgrade(empty_db, "0003_training")
    now = "2026-01-01 00:00:00+00:00"
    reports = [  # id, duplicate_of_id, author_handle, platform, severity, score
        ("r1", None, "@Boos", "x", "high", 0.7),
        ("r2", "r1", "boos", "x", "high", 0.7),
        ("r3", None, "@BOOS", "facebook", "low", 0.25),
        ("r4", None, None, "x", "critical", 0.95),
    ]
    with empty_db.begin() as connection:
        connection.execute(
            text("INSERT INTO organisations (id, name, created_at) VALUES ('o1', 'G', :now)"), {"now": now}
        )
        connection.execute(
            text(
                "INSERT INTO users (id, org_id, email, role, active, created_at) VALUES ('u1', 'o1', 'a@b.nl', 'reporter', :t, :now)"
            ),
            {"now": now, "t": True},
        )
        for report_id, duplicate, handle, platform, severity, score in reports:
            connection.execute(
                text(
                    "INSERT INTO reports (id, org_id, reporter_id, status, text, text_sha256, text_source, platform, "
                    "author_handle, verdict, model_name, model_version, severity, severity_score, duplicate_of_id, "
                    "created_at, updated_at) VALUES (:id, 'o1', 'u1', 'new', 'tekst', 'h', 'input', :platform, :handle, "
                    "'{}', 'm', '1', :severity, :score, :duplicate, :now, :now)"
                ),
                {
                    "id": report_id,
                    "platform": platform,
                    "handle": handle,
                    "severity": severity,
                    "score": score,
                    "duplicate": duplicate,
                    "now": now,
                },
            )
        connection.execute(
            text(
                "INSERT INTO attachments (id, report_id, filename, media_type, size, sha256, content, created_at) "
                "VALUES ('a1', 'r1', 'x.png', 'image/png', 1, 'h', :content, :now)"
            ),
            {"content": b"x", "now": now},
        )
    migrate.upgrade(empty_db)
    with empty_db.connect() as connection:
        rows = {
            row[0]: tuple(row[1:])
            for row in connection.execute(text("SELECT id, campaign_id, author_key, priority FROM reports"))
        }
    assert {k: v[:2] for k, v in rows.items()} == {
        "r1": ("r1", "boos"),
        "r2": ("r1", "boos"),
        "r3": (None, "boos"),
        "r4": (None, None),
    }
    counts = {"r1": (2, 2), "r2": (2, 2), "r3": (1, 1), "r4": (1, 1)}  # campaign size, sender's reports
    for report_id, _, _, _, severity, score in reports:
        assert rows[report_id][2] == pytest.approx(priority(severity, score, *counts[report_id]))
    migrate.downgrade(empty_db, "0003_training")
    assert "campaign_bands" not in inspect(empty_db).get_table_names()
    assert "priority" not in {c["name"] for c in inspect(empty_db).get_columns("reports")}
    with empty_db.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM reports")).scalar() == 4
        assert connection.execute(text("SELECT count(*) FROM attachments")).scalar() == 1
    migrate.upgrade(empty_db)
    assert migrate.current_revision(empty_db) == migrate.head_revision(empty_db)
