"""Working-day arithmetic for the police guideline: report within two working days (Mon-Fri, Dutch time).

Working time is the time that falls on a Monday to Friday in Amsterdam; weekends do not count.
`due(t)` is when two working days have passed since `t`; `cutoff(now)` is its inverse, the latest
moment that is already two working days ago, so that "overdue" is a plain `created_at <= cutoff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
POLICE_WORKING_DAYS: Final = 2
POLICE_SEVERITIES: Final = ("high", "critical")
POLICE_DECISIONS: Final = ("police", "not_reported")
_DAY: Final = timedelta(days=1)


def _local(moment: datetime) -> datetime:
    """Naive Amsterdam wall-clock time: days and weekends are counted as the official sees them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None)


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=AMSTERDAM).astimezone(UTC)


def _midnight(local: datetime) -> datetime:
    return datetime.combine(local.date(), time())


def _weekday(local: datetime) -> bool:
    return local.weekday() < 5


def add_working_days(moment: datetime, days: int = POLICE_WORKING_DAYS) -> datetime:
    """The moment when `days` x 24 hours of Monday-Friday time have passed since `moment`."""
    left = days * _DAY
    t = _local(moment)
    while True:
        end_of_day = _midnight(t) + _DAY
        if _weekday(t):
            if t + left <= end_of_day:
                return _utc(t + left)
            left -= end_of_day - t
        t = end_of_day


def subtract_working_days(moment: datetime, days: int = POLICE_WORKING_DAYS) -> datetime:
    """The latest moment from which `days` working days have passed by `moment` (the inverse of add)."""
    left = days * _DAY
    t = _local(moment)
    while True:
        start_of_day = _midnight(t)
        if t == start_of_day:  # exactly midnight: the time before it belongs to the previous day
            start_of_day -= _DAY
        if _weekday(start_of_day):
            if t - left >= start_of_day:
                return _utc(t - left)
            left -= t - start_of_day
        t = start_of_day


def police_due(created_at: datetime) -> datetime:
    return add_working_days(created_at, POLICE_WORKING_DAYS)


def police_cutoff(now: datetime) -> datetime:
    return subtract_working_days(now, POLICE_WORKING_DAYS)


def needs_police_decision(severity: str, reviewed_severity: str | None, status: str) -> bool:
    effective = reviewed_severity or severity
    return effective in POLICE_SEVERITIES and status not in ("dismissed", "closed")


@dataclass(frozen=True, slots=True)
class PoliceState:
    required: bool  # high or critical, not dismissed or closed
    decided: bool  # a police report or a recorded decision not to report
    due_at: datetime | None  # set while a decision is required and missing
    overdue: bool


def police_state(
    *,
    severity: str,
    reviewed_severity: str | None,
    status: str,
    created_at: datetime,
    decided: bool,
    now: datetime,
) -> PoliceState:
    required = needs_police_decision(severity, reviewed_severity, status)
    due = police_due(created_at) if required and not decided else None
    return PoliceState(required, decided, due, due is not None and now >= due)
