from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from triage.cli import main
from triage.config import get_settings
from triage.store import credentials
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import Credential
from triage.store.users import authenticate


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_admin_commands(data_dir: Path) -> None:
    runner = CliRunner()
    refused = runner.invoke(main, ["users", "add", "a@x.nl", "--org", "Utrecht", "--role", "admin"])
    assert refused.exit_code != 0 and "triage db upgrade" in refused.output
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    added = runner.invoke(
        main,
        ["users", "add", "Rev@X.nl", "--org", "Utrecht", "--role", "reviewer", "--password-stdin"],
        input="geheim-wachtwoord\n",
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(main, ["users", "add", "rev@x.nl", "--org", "Utrecht", "--role", "reviewer"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad_role = runner.invoke(main, ["users", "add", "b@x.nl", "--org", "U", "--role", "god"])
    assert bad_role.exit_code != 0
    link = runner.invoke(main, ["users", "add", "c@x.nl", "--org", "Utrecht", "--role", "reporter"])
    assert link.exit_code == 0 and "/login/once/" in link.stdout
    token = runner.invoke(main, ["tokens", "create", "rev@x.nl"])
    assert token.exit_code == 0
    secret = token.stdout.strip()
    assert secret.startswith("trg_")
    missing = runner.invoke(main, ["tokens", "create", "nobody@x.nl"])
    assert missing.exit_code != 0

    engine = make_db_engine(get_settings().effective_database_url)
    with make_session_factory(engine)() as session:
        assert authenticate(session, "rev@x.nl", "geheim-wachtwoord") is not None
        assert authenticate(session, "rev@x.nl", "fout") is None
        assert credentials.resolve(session, secret, "token") is not None
        assert secret not in set(session.scalars(select(Credential.hash)))
    engine.dispose()


def test_bundle_export_from_the_database(data_dir: Path) -> None:
    from triage.store.audit import Actor, trail
    from triage.store.reports import ReportFields, create_report
    from triage.store.users import find_user

    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    added = runner.invoke(main, ["users", "add", "rev@x.nl", "--org", "Utrecht", "--role", "reviewer"])
    assert added.exit_code == 0, added.output
    verdict = {"severity": "high", "severity_score": 0.8, "flags": ["threat"], "model": {"name": "m"}}
    engine = make_db_engine(get_settings().effective_database_url)
    with make_session_factory(engine)() as session:
        user = find_user(session, "rev@x.nl")
        assert user is not None
        report = create_report(
            session, actor=Actor(user), fields=ReportFields(text="Ik maak je dood"), verdict=verdict
        )
        session.commit()
        report_id, org_id = report.id, report.org_id
    out = data_dir / "out" / "bundle.zip"

    no_address = runner.invoke(main, ["bundle", "export", "--report", report_id, "--out", str(out)])
    assert no_address.exit_code != 0 and "contact address" in no_address.output
    setting = runner.invoke(main, ["orgs", "set", "Utrecht", "--contact-address", "Postbus 16200, Utrecht"])
    assert setting.exit_code == 0 and setting.stdout.strip() == org_id
    missing = runner.invoke(main, ["bundle", "export", "--report", "nope", "--out", str(out)])
    assert missing.exit_code != 0 and "no report" in missing.output

    exported = runner.invoke(
        main,
        [
            "bundle",
            "export",
            "--report",
            report_id,
            "--out",
            str(out),
            "--by",
            "rev@x.nl",
            "--reason",
            "aangifte",
        ],
    )
    assert exported.exit_code == 0, exported.output
    assert exported.stdout.strip() == str(out)
    key = data_dir / "org.pub.pem"
    keys = data_dir / "keys" / org_id
    assert (
        runner.invoke(main, ["bundle", "public-key", "--key-dir", str(keys), "--out", str(key)]).exit_code
        == 0
    )
    verified = runner.invoke(main, ["bundle", "verify", str(out), "--public-key", str(key)])
    assert verified.exit_code == 0, verified.output
    with make_session_factory(engine)() as session:
        events = [(event.action, event.detail) for event, _ in trail(session, report_id)]
    engine.dispose()
    assert events[-1][0] == "export"
    assert events[-1][1]["via"] == "cli" and events[-1][1]["reason"] == "aangifte"
    assert events[-1][1]["by"] == "rev@x.nl"


def test_retention_run_from_the_cli(data_dir: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from triage.store.audit import Actor
    from triage.store.models import Report
    from triage.store.reports import ReportFields, create_report
    from triage.store.types import utcnow
    from triage.store.users import find_user

    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert (
        runner.invoke(main, ["users", "add", "rev@x.nl", "--org", "Utrecht", "--role", "reviewer"]).exit_code
        == 0
    )
    assert runner.invoke(main, ["orgs", "set", "Utrecht", "--retention-days", "30"]).exit_code == 0
    assert runner.invoke(main, ["orgs", "set", "Utrecht", "--retention-days", "3"]).exit_code != 0
    verdict = {"severity": "low", "severity_score": 0.3, "flags": ["insult"], "model": {"name": "m"}}
    engine = make_db_engine(get_settings().effective_database_url)
    with make_session_factory(engine)() as session:
        user = find_user(session, "rev@x.nl")
        assert user is not None
        ids = [
            create_report(session, actor=Actor(user), fields=ReportFields(text=t), verdict=verdict).id
            for t in ("oud en gesloten", "nieuw en gesloten", "oud en open")
        ]
        old = utcnow() - timedelta(days=40)
        session.execute(update(Report).where(Report.id == ids[0]).values(status="closed", closed_at=old))
        session.execute(update(Report).where(Report.id == ids[1]).values(status="closed", closed_at=utcnow()))
        session.execute(update(Report).where(Report.id == ids[2]).values(updated_at=old, created_at=old))
        session.commit()

    dry = runner.invoke(main, ["retention", "run", "--dry-run"])
    assert dry.exit_code == 0 and "Utrecht: 1 reports due" in dry.stdout
    assert runner.invoke(main, ["retention", "run", "--org", "Nergens"]).exit_code != 0
    done = runner.invoke(main, ["retention", "run", "--org", "Utrecht"])
    assert done.exit_code == 0 and "Utrecht: 1 reports purged" in done.stdout
    with make_session_factory(engine)() as session:
        texts = {r.id: (r.text, r.purged_at is not None) for r in session.scalars(select(Report))}
    engine.dispose()
    assert texts[ids[0]] == ("", True)
    assert texts[ids[1]] == ("nieuw en gesloten", False) and texts[ids[2]] == ("oud en open", False)
    assert "0 reports purged" in runner.invoke(main, ["retention", "run"]).stdout
