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
