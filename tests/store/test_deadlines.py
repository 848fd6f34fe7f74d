"""Two working days (Mon-Fri, Dutch time) for a police decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from triage.store.deadlines import (
    AMSTERDAM,
    add_working_days,
    police_cutoff,
    police_due,
    police_state,
    subtract_working_days,
)


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)  # type: ignore[misc]


def test_weekends_do_not_count() -> None:
    assert police_due(ams(2026, 11, 23, 10)) == ams(2026, 11, 25, 10)  # Monday -> Wednesday
    assert police_due(ams(2026, 11, 27, 10)) == ams(2026, 12, 1, 10)  # Friday -> Tuesday
    assert police_due(ams(2026, 11, 28, 15)) == ams(2026, 12, 2, 0)  # Saturday -> Monday+Tuesday
    assert police_due(ams(2026, 11, 29, 23, 59)) == ams(2026, 12, 2, 0)  # Sunday too
    assert police_cutoff(ams(2026, 12, 1, 10)) == ams(2026, 11, 27, 10)


def test_state() -> None:
    created = ams(2026, 11, 27, 10)
    common = {"created_at": created, "status": "confirmed", "reviewed_severity": None}
    late = police_state(severity="high", decided=False, now=ams(2026, 12, 1, 10), **common)  # type: ignore[arg-type]
    assert late.required and late.overdue and late.due_at == ams(2026, 12, 1, 10)
    early = police_state(severity="critical", decided=False, now=ams(2026, 11, 30, 12), **common)  # type: ignore[arg-type]
    assert early.required and not early.overdue
    done = police_state(severity="high", decided=True, now=ams(2027, 1, 1), **common)  # type: ignore[arg-type]
    assert done.decided and not done.overdue and done.due_at is None
    low = police_state(severity="medium", decided=False, now=ams(2027, 1, 1), **common)  # type: ignore[arg-type]
    assert not low.required and not low.overdue
    corrected = police_state(
        severity="high",
        reviewed_severity="low",
        status="confirmed",
        created_at=created,
        decided=False,
        now=ams(2027, 1, 1),
    )
    assert not corrected.required


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)))
def test_cutoff_is_the_inverse_of_due(moment: datetime) -> None:
    due = add_working_days(moment)
    assert due - moment >= timedelta(days=2)
    cutoff = subtract_working_days(due)
    assert cutoff >= moment and add_working_days(cutoff) == due
    assert police_due(police_cutoff(moment)) == moment or moment.astimezone(AMSTERDAM).weekday() >= 5
