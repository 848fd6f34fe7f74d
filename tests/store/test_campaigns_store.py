"""The pieces under campaigns: the text signature, the priority formula (Python and SQL agree, and it
never leaves the severity band), purging the band keys, and indexing reports stored before 0004."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from triage.engine.labels import SEVERITIES
from triage.store import campaigns, migrate, privacy
from triage.store.audit import Actor
from triage.store.db import make_db_engine, make_session_factory
from triage.store.linking import index_existing
from triage.store.models import CampaignBand, Report
from triage.store.priority import BAND, author_bonus, campaign_bonus, priority, priority_sql, refresh_all
from triage.store.reports import ReportFields, create_report
from triage.store.signature import MIN_WORDS, THRESHOLD, band_keys, jaccard, signature
from triage.store.users import add_user

BASE = (
    "Beste mevrouw De Vries, jullie gemeenteraad is een stelletje landverraders. Wij weten waar jullie "
    "wonen en jullie krijgen wat jullie verdienen. Pas maar op."
)
VARIANTS = {
    "another name": BASE.replace("mevrouw De Vries", "meneer Jansen"),
    "emoji": BASE.replace("landverraders.", "landverraders 🤬🤬.") + " 🔪",
    "an extra word": BASE.replace("een stelletje", "een vies stelletje"),
    "punctuation and case": BASE.upper().replace(".", "!!!").replace(",", ""),
    "leetspeak": BASE.replace("landverraders", "landv3rrad3rs"),
}
UNRELATED = [
    "De gemeenteraad heeft gisteren besloten over het nieuwe azc. Ik ben het er niet mee eens.",
    "Jullie zijn allemaal landverraders, wij weten waar jullie wonen en jullie krijgen wat jullie verdienen.",
    "Dank voor uw inzet bij het buurtfeest afgelopen zaterdag, het was een geslaagde middag.",
]

# Ten copies of one campaign message, each to another raadslid.
CAMPAIGN_COPIES = [
    BASE.replace("mevrouw De Vries", f"raadslid {name}")
    for name in ("Jansen", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder", "Bos", "Vos", "Peters")
]


@pytest.mark.parametrize("kind", VARIANTS)
def test_small_edits_stay_above_the_threshold(kind: str) -> None:
    a, b = signature(BASE), signature(VARIANTS[kind])
    assert a is not None and b is not None
    assert jaccard(a, b) >= THRESHOLD
    assert set(band_keys(a, "org")) & set(band_keys(b, "org"))  # found by the index


def test_other_messages_stay_below_and_short_texts_have_no_signature() -> None:
    base = signature(BASE)
    assert base is not None
    for text in UNRELATED:
        other = signature(text)
        assert other is not None and jaccard(base, other) < THRESHOLD
    assert signature("vuile landverrader, pas maar op") is None  # five words
    assert signature(" ".join(["woord"] * MIN_WORDS)) is not None


def test_band_keys_are_per_organisation_and_stable() -> None:
    sig = signature(BASE)
    assert sig is not None
    assert band_keys(sig, "a") == band_keys(signature(BASE), "a")  # type: ignore[arg-type]
    assert not set(band_keys(sig, "a")) & set(band_keys(sig, "b"))
    assert all(-(2**63) <= key < 2**63 for key in band_keys(sig, "a"))


def test_priority_never_leaves_the_band_and_orders_within_it() -> None:
    for level, severity in enumerate(SEVERITIES):
        bottom, top = BAND * level, BAND * (level + 1)
        for score in (bottom, bottom + 0.05, top - 1e-9):
            for size in (1, 2, 5, 9, 100):
                for count in (1, 2, 3, 50):
                    assert bottom <= priority(severity, score, size, count) < top
        best_single = priority(severity, top - 1e-9)
        assert priority(severity, bottom, 2) > best_single  # any campaign member beats any single
        assert priority(severity, bottom, 1, 2) > best_single  # any repeat sender too
        assert priority(severity, bottom, 16) > priority(severity, bottom, 4) > priority(severity, bottom, 2)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_db_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate.upgrade(engine)
    with make_session_factory(engine)() as db:
        yield db
    engine.dispose()


def _verdict(severity: str, score: float) -> dict[str, Any]:
    return {
        "severity": severity,
        "severity_score": score,
        "flags": [],
        "model": {"name": "t", "version": "0"},
    }


def test_priority_in_sql_equals_python(session: Session) -> None:
    actor = Actor(add_user(session, email="r@x.nl", org_name="Gemeente A", role="reporter", password=None))
    cases = [(s, BAND * level + extra) for level, s in enumerate(SEVERITIES) for extra in (0.0, 0.13, 0.3)]
    reports = [
        create_report(session, actor=actor, fields=ReportFields(text=f"bericht {n}"), verdict=_verdict(*case))
        for n, case in enumerate(cases)
    ]
    session.commit()
    for size, count in ((1, 1), (3, 2), (20, 7)):
        value = priority_sql(campaign_bonus(size), author_bonus(count))
        for report in reports:
            stored = session.scalar(select(value).where(Report.id == report.id))
            assert stored == pytest.approx(
                priority(report.severity, report.severity_score, size, count), abs=1e-12
            )


def test_stored_priorities_follow_campaigns_and_senders(session: Session) -> None:
    """After every intake, each stored priority equals the formula over the current counts."""
    a = Actor(add_user(session, email="a@x.nl", org_name="Gemeente A", role="reporter", password=None))
    b = Actor(add_user(session, email="b@x.nl", org_name="Gemeente A", role="reporter", password=None))
    texts = [BASE, *VARIANTS.values(), *UNRELATED, BASE]
    for n, text in enumerate(texts):
        fields = ReportFields(text=text, author_handle="@boos" if n % 3 else "@ander", platform="x")
        create_report(session, actor=(a, b)[n % 2], fields=fields, verdict=_verdict("medium", 0.41 + n / 100))
        session.commit()
        expected = {r.id: r.priority for r in session.scalars(select(Report))}
        refresh_all(session)
        session.commit()
        session.expire_all()
        assert {r.id: r.priority for r in session.scalars(select(Report))} == pytest.approx(expected)
    sizes = session.execute(select(Report.campaign_id, func.count()).group_by(Report.campaign_id)).all()
    assert sorted(size for _, size in sizes) == [3, len(VARIANTS) + 2]  # the unrelated three, one campaign


@pytest.fixture
def small_fanout(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setattr(campaigns, "FANOUT", 3)
    campaigns._sample_per_key.cache_clear()  # the statement is built with the FANOUT of its time
    yield 3
    campaigns._sample_per_key.cache_clear()


def test_a_campaign_larger_than_the_sample_per_key_still_gathers_every_copy(
    session: Session, small_fanout: int
) -> None:
    actor = Actor(add_user(session, email="r@x.nl", org_name="Gemeente A", role="reporter", password=None))
    for text in CAMPAIGN_COPIES:
        create_report(session, actor=actor, fields=ReportFields(text=text), verdict=_verdict("high", 0.7))
        session.commit()
    assert session.scalar(select(func.count(func.distinct(Report.campaign_id)))) == 1
    assert session.scalar(select(func.count()).where(Report.campaign_id.is_(None))) == 0
    # Each key is shared by (nearly) all ten; the lookup reads at most FANOUT + 1 reports per key.
    sig = signature(BASE)
    assert sig is not None
    keys = list(dict.fromkeys(band_keys(sig, actor.user.org_id)))
    stored = session.scalar(select(func.count()).where(CampaignBand.key.in_(keys)))
    sampled = session.scalars(campaigns._sample_per_key(len(keys)), {f"k{i}": k for i, k in enumerate(keys)})
    assert len(sampled.all()) <= min(stored - 1, (small_fanout + 1) * len(keys))


def test_intake_reads_by_key_not_by_scanning_the_organisation(session: Session) -> None:
    """Every query of an intake must find its rows through an index on what it looks up: one that
    narrows only by organisation reads every report of it (SQLite's planner chose that for the ten
    candidates of a campaign match, which cost 2 ms at 2,400 reports and grew with each)."""
    actor = Actor(add_user(session, email="r@x.nl", org_name="Gemeente A", role="reporter", password=None))
    for text in [*UNRELATED, *CAMPAIGN_COPIES]:
        create_report(session, actor=actor, fields=ReportFields(text=text), verdict=_verdict("high", 0.7))
    session.commit()
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "UPDATE")):
            statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        fields = ReportFields(text=VARIANTS["another name"], author_handle="@boos", platform="x")
        create_report(session, actor=actor, fields=fields, verdict=_verdict("high", 0.7))
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(statements) >= 4
    with engine.connect() as connection:
        for statement, parameters in statements:
            plan = [
                row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ]
            for step in plan:
                assert not re.search(r"SCAN reports\b|\(org_id=\?\)$", step), (statement, plan)


def test_purging_deletes_the_band_keys(session: Session) -> None:
    actor = Actor(add_user(session, email="r@x.nl", org_name="Gemeente A", role="reporter", password=None))
    report = create_report(
        session, actor=actor, fields=ReportFields(text=BASE), verdict=_verdict("high", 0.7)
    )
    session.commit()
    assert session.scalar(select(func.count()).where(CampaignBand.report_id == report.id)) == 20
    privacy.purge_report(session, report=report, reason="retention", actor=None)
    session.commit()
    assert session.scalar(select(func.count()).where(CampaignBand.report_id == report.id)) == 0


def test_index_existing_groups_reports_stored_before_campaigns(session: Session) -> None:
    a = Actor(add_user(session, email="a@x.nl", org_name="Gemeente A", role="reporter", password=None))
    b = Actor(add_user(session, email="b@x.nl", org_name="Gemeente A", role="reporter", password=None))
    other = Actor(add_user(session, email="c@x.nl", org_name="Gemeente B", role="reporter", password=None))
    texts = [
        (a, BASE),
        (b, VARIANTS["another name"]),
        (other, BASE),
        (a, UNRELATED[0]),
        (b, VARIANTS["emoji"]),
    ]
    ids = [
        create_report(
            session, actor=actor, fields=ReportFields(text=text), verdict=_verdict("critical", 0.9)
        ).id
        for actor, text in texts
    ]
    session.commit()
    # As after migration 0004: no band keys, no near-duplicate campaigns.
    session.execute(delete(CampaignBand))
    session.execute(update(Report).values(campaign_id=None, priority=0.0))
    session.commit()
    assert index_existing(session, batch=2) == 5
    assert index_existing(session) == 0  # already indexed
    rows = {r.id: r for r in session.scalars(select(Report))}
    assert [rows[i].campaign_id for i in ids] == [ids[0], ids[0], None, None, ids[0]]
    assert rows[ids[0]].priority == pytest.approx(priority("critical", 0.9, 3))


def test_campaigns_index_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from triage.cli import main
    from triage.config import get_settings

    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
        done = runner.invoke(main, ["campaigns", "index"])
        assert done.exit_code == 0 and "indexed: 0" in done.output
        missing = runner.invoke(main, ["campaigns", "index", "--org", "Nergens"])
        assert missing.exit_code != 0 and "no organisation" in missing.output
    finally:
        get_settings.cache_clear()
