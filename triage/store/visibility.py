"""Which reports a user may see: reviewers and admins their organisation's, a reporter only their own."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from triage.store.models import Report, User
from triage.store.users import REVIEW_ROLES


def visible_to(viewer: User) -> list[ColumnElement[bool]]:
    if viewer.role in REVIEW_ROLES:
        return [Report.org_id == viewer.org_id]
    return [Report.org_id == viewer.org_id, Report.reporter_id == viewer.id]
