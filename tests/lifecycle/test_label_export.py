"""Exporting reviewed labels: confirmed and corrected decisions only, the latest decision wins,
valid project JSONL with provenance, and the export itself is audited."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from training.corpus_schema import record_problems
from triage.cli import main
from triage.engine import Engine
from triage.store import migrate
from triage.store.audit import Actor
from triage.store.db import make_db_engine, make_session_factory
from triage.store.label_export import export_reviewed
from triage.store.models import AuditEvent, User
from triage.store.reports import ReportFields, create_report
from triage.store.users import add_user
from triage.store.workflow import add_review, set_status


def test_export_keeps_confirmed_and_corrected_with_provenance(
    tmp_path: Path, engine: Engine, monkeypatch: object
) -> None:
    url = f"sqlite:///{(tmp_path / 'triage.db').as_posix()}"
    db = make_db_engine(url)
    migrate.upgrade(db)
    with make_session_factory(db)() as session:
        reporter = add_user(
            session, email="r@example.nl", org_name="Gemeente A", role="reporter", password=None
        )
        reviewer = add_user(
            session, email="v@example.nl", org_name="Gemeente A", role="reviewer", password=None
        )
        other = add_user(session, email="o@example.nl", org_name="Gemeente B", role="reviewer", password=None)

        def report(text: str, user: User = reporter) -> str:
            verdict = engine.classify(text).to_dict()
            return create_report(
                session, actor=Actor(user), fields=ReportFields(text=text), verdict=verdict
            ).id

        from triage.store.models import Report

        def review(report_id: str, decision: str, user: User = reviewer, **changes: object) -> None:
            row = session.get(Report, report_id)
            assert row is not None
            add_review(session, actor=Actor(user), report=row, decision=decision, **changes)  # type: ignore[arg-type]

        confirmed = report("Jij bent een vuile kankerlijer, wethouder.")
        corrected = report("Die wethouder is een glibberige paling.")
        dismissed = report("Mooie speech gisteren in de raad.")
        reopened = report("Ik hoop dat je een hartaanval krijgt.")
        elsewhere = report(
            "Wandelende nul, die minister.",
            user=add_user(
                session, email="p@example.nl", org_name="Gemeente B", role="reporter", password=None
            ),
        )
        review(confirmed, "confirm")
        review(corrected, "correct", labels=["insult", "sexual"], severity="low", target="person")
        review(dismissed, "dismiss")
        review(reopened, "confirm")
        row = session.get(Report, reopened)
        assert row is not None
        set_status(session, actor=Actor(reviewer), report=row, status="in_review")
        review(reopened, "dismiss")
        review(elsewhere, "correct", user=other, labels=["insult"])
        session.commit()

        stream = io.StringIO()
        assert export_reviewed(session, stream, actor=Actor(reviewer), org_id=reviewer.org_id) == 2
        lines = {
            json.loads(line)["provenance"]["report_id"]: json.loads(line)
            for line in stream.getvalue().splitlines()
        }
        assert set(lines) == {confirmed, corrected}
        for line in lines.values():
            assert record_problems(line) == []
            assert line["provenance"]["reviewer_id"] == reviewer.id
            assert line["provenance"]["model"] == {"name": "triage-nl", "version": engine.model_info.version}
        fixed = lines[corrected]
        assert fixed["labels"] == ["sexual", "insult"]
        assert fixed["severity"] == "medium"  # raised to what `sexual` needs, per the rubric
        assert fixed["kind"] == "attack" and fixed["provenance"]["decision"] == "correct"
        assert "insult" in lines[confirmed]["labels"]
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export_labels")).one()
        assert event.detail["lines"] == 2 and event.actor_id == reviewer.id
    db.dispose()

    monkeypatch.setenv("TRIAGE_DATABASE_URL", url)  # type: ignore[attr-defined]
    from triage.config import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["export-labels", "--output", str(tmp_path / "all.jsonl")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 3
