"""Queue priority: the severity band first, then campaigns and repeat senders, then the score.

    priority = 0.2 * (level + 0.1 * place + campaign_bonus + author_bonus)

`level` is the severity (none 0 ... critical 4), so 0.2 * level is the bottom of the band that
severity_score lies in; `place` is where severity_score lies within its band (0 to 1). The bonuses:

    campaign of 2-3 reports 0.30, 4-7 0.40, 8-15 0.50, 16 or more 0.55
    sender with 2 reports 0.20, 3-4 0.25, 5 or more 0.30

Together at most 0.1 + 0.55 + 0.3 = 0.95 < 1, so a report never leaves its severity band: a medium
campaign never outranks a high report. Within a band every campaign member or repeat sender (at
least 0.2) comes before every single report (at most 0.1), and single reports keep the order of
their severity_score. The counts are of all reports of the organisation (duplicates and closed ones
included). The value is stored and indexed. A new report gets its own at intake; when a campaign's
or a sender's count reaches the next step, `refresh_campaign`/`refresh_author` recompute it in SQL
for all their reports, in the same transaction (so a campaign of 1,000 costs no 1,000-row update
per new member: the bonus only changes at the steps).
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import ColumnElement, Float, bindparam, case, func, literal, select, type_coerce, update
from sqlalchemy.orm import Session, aliased

from triage.engine.labels import SEVERITIES
from triage.store.models import Report

BAND: Final = 0.2
PLACE_WEIGHT: Final = 0.1
CAMPAIGN_BONUS: Final = ((16, 0.55), (8, 0.50), (4, 0.40), (2, 0.30))
AUTHOR_BONUS: Final = ((5, 0.30), (3, 0.25), (2, 0.20))
LEVELS: Final[dict[str, int]] = {severity: level for level, severity in enumerate(SEVERITIES)}


def _bonus(steps: tuple[tuple[int, float], ...], count: int) -> float:
    return next((bonus for least, bonus in steps if count >= least), 0.0)


def campaign_bonus(size: int) -> float:
    return _bonus(CAMPAIGN_BONUS, size)


def author_bonus(count: int) -> float:
    return _bonus(AUTHOR_BONUS, count)


def priority(severity: str, score: float, campaign_size: int = 1, author_count: int = 1) -> float:
    level = LEVELS.get(severity, 0)
    place = min(1.0, max(0.0, (score - BAND * level) / BAND))
    return BAND * (level + PLACE_WEIGHT * place + campaign_bonus(campaign_size) + author_bonus(author_count))


def _bonus_sql(steps: tuple[tuple[int, float], ...], count: ColumnElement[Any]) -> ColumnElement[float]:
    return case(
        *((count >= least, literal(bonus, Float)) for least, bonus in steps), else_=literal(0.0, Float)
    )


def priority_sql(
    campaign: ColumnElement[float] | float, author: ColumnElement[float] | float
) -> ColumnElement[float]:
    """The same formula over a row of `reports`, with the two bonuses as numbers or expressions."""
    level = case(
        *((Report.severity == severity, literal(float(rank), Float)) for severity, rank in LEVELS.items()),
        else_=literal(0.0, Float),
    )
    raw = (Report.severity_score - level * BAND) / BAND
    place = case((raw < 0, literal(0.0, Float)), (raw > 1, literal(1.0, Float)), else_=raw)
    bonuses = [literal(b, Float) if isinstance(b, float) else b for b in (campaign, author)]
    return type_coerce((level + place * PLACE_WEIGHT + bonuses[0] + bonuses[1]) * BAND, Float)


def campaign_bonus_sql() -> ColumnElement[float]:
    """The campaign bonus of the row (0 without a campaign), as a correlated subquery."""
    other = aliased(Report)
    count = func.count(other.id)
    subquery = select(_bonus_sql(CAMPAIGN_BONUS, count)).where(other.campaign_id == Report.campaign_id)
    return subquery.scalar_subquery()


def author_bonus_sql() -> ColumnElement[float]:
    """The sender bonus of the row (0 without an author handle), as a correlated subquery."""
    other = aliased(Report)
    count = func.count(other.id)
    subquery = select(_bonus_sql(AUTHOR_BONUS, count)).where(
        other.org_id == Report.org_id,
        other.author_key == Report.author_key,
        other.platform == Report.platform,
    )
    return subquery.scalar_subquery()


def _update(session: Session, value: ColumnElement[float], *where: ColumnElement[bool]) -> None:
    statement = update(Report).where(*where).values(priority=value)
    session.execute(statement.execution_options(synchronize_session=False))


# Built once: the correlated subqueries make these statements costly to build and to key for
# SQLAlchemy's compiled cache (about 1 ms each time); reused, the key is memoised on the statement.
_REFRESH_CAMPAIGN: Final = (
    update(Report)
    .where(Report.campaign_id == bindparam("campaign"))
    .values(priority=priority_sql(bindparam("bonus", type_=Float), author_bonus_sql()))
    .execution_options(synchronize_session=False)
)
_REFRESH_AUTHOR: Final = (
    update(Report)
    .where(
        Report.org_id == bindparam("b_org"),
        Report.author_key == bindparam("b_author_key"),
        Report.platform == bindparam("b_platform"),
    )
    .values(priority=priority_sql(campaign_bonus_sql(), bindparam("bonus", type_=Float)))
    .execution_options(synchronize_session=False)
)


def refresh_campaign(session: Session, campaign_id: str, size: int) -> None:
    """Recompute the priority of every report of a campaign that now has `size` reports."""
    session.execute(_REFRESH_CAMPAIGN, {"campaign": campaign_id, "bonus": campaign_bonus(size)})


def refresh_author(session: Session, org_id: str, author_key: str, platform: str, count: int) -> None:
    """Recompute the priority of every report of a sender (one author key on one platform of one
    organisation, as `triage.store.authors.same_author`) who now has `count` reports."""
    session.execute(
        _REFRESH_AUTHOR,
        {"b_org": org_id, "b_author_key": author_key, "b_platform": platform, "bonus": author_bonus(count)},
    )


def refresh_all(session: Session, *where: ColumnElement[bool]) -> None:
    """Recompute the priority of the reports matching `where` from their current counts."""
    _update(session, priority_sql(campaign_bonus_sql(), author_bonus_sql()), *where)
