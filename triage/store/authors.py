"""Repeat senders: the same author handle across reports of one organisation, per platform."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import Session

from triage.store.models import Report, User
from triage.store.users import REVIEW_ROLES
from triage.store.visibility import visible_params, visible_to, visible_to_bound

HISTORY_IDS: Final = 20  # report ids listed per sender; the count covers them all


def author_key(handle: str | None) -> str | None:
    """`@Boos_Burger ` and `boos_burger` are the same sender: NFKC, trimmed, no leading @, casefolded."""
    if not handle:
        return None
    key = unicodedata.normalize("NFKC", handle).strip().lstrip("@").strip().casefold()
    return key[:500] or None


def same_author(report: Report) -> list[ColumnElement[bool]]:
    return [
        Report.org_id == report.org_id,
        Report.author_key == report.author_key,
        Report.platform == report.platform,
    ]


_COUNT: Final = select(func.count(Report.id)).where(
    Report.org_id == bindparam("org"),
    Report.author_key == bindparam("author_key"),
    Report.platform == bindparam("platform"),
)


def count_reports(session: Session, report: Report) -> int:
    """The reports of the sender of `report` (as `same_author`), with a statement built once."""
    params = {"org": report.org_id, "author_key": report.author_key, "platform": report.platform}
    return session.scalar(_COUNT, params) or 0


@dataclass(slots=True)
class History:
    count: int  # reports of this sender that the viewer may see, this one included
    report_ids: list[str] = field(default_factory=list)  # the others, newest first, at most HISTORY_IDS


def _histories(reviewer: bool) -> Select[Any]:
    partition = (Report.platform, Report.author_key)
    ranked = (
        select(
            Report.id,
            Report.platform,
            Report.author_key,
            func.row_number()
            .over(partition_by=partition, order_by=(Report.created_at.desc(), Report.id))
            .label("rank"),
            func.count(Report.id).over(partition_by=partition).label("total"),
        )
        .where(*visible_to_bound(reviewer), Report.author_key.in_(bindparam("keys", expanding=True)))
        .subquery()
    )
    return select(ranked).where(ranked.c.rank <= HISTORY_IDS + 1).order_by(ranked.c.rank)


# Built once per kind of viewer (a window query is costly to build and key for SQLAlchemy's cache).
_HISTORIES: Final = {reviewer: _histories(reviewer) for reviewer in (True, False)}


def histories(session: Session, viewer: User, reports: Sequence[Report]) -> dict[str, History]:
    """The sender's history for each report with an author handle, in one query, within what
    `viewer` may see."""
    keyed = [r for r in reports if r.author_key and r.org_id == viewer.org_id]
    if not keyed:
        return {}
    statement = _HISTORIES[viewer.role in REVIEW_ROLES]
    keys = sorted({r.author_key for r in keyed if r.author_key})
    rows = session.execute(statement, {**visible_params(viewer), "keys": keys})
    found: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for report_id, platform, key, _, total in rows:
        found.setdefault((platform, key), (total, []))[1].append(report_id)
    result = {}
    for report in keyed:
        total, ids = found.get((report.platform, report.author_key or ""), (0, []))
        others = [i for i in ids if i != report.id][:HISTORY_IDS]
        result[report.id] = History(count=max(total, 1), report_ids=others)
    return result


def history_reports(session: Session, viewer: User, report: Report, limit: int = 50) -> list[Report]:
    """The sender's other reports that `viewer` may see, newest first (for the report page)."""
    if not report.author_key or report.org_id != viewer.org_id:
        return []
    return list(
        session.scalars(
            select(Report)
            .where(*same_author(report), *visible_to(viewer), Report.id != report.id)
            .order_by(Report.created_at.desc(), Report.id)
            .limit(limit)
        )
    )
