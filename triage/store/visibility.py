"""Which reports a user may see: reviewers and admins their organisation's, a reporter only their own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam

from triage.store.models import Report, User
from triage.store.users import REVIEW_ROLES


def visible_to(viewer: User) -> list[ColumnElement[bool]]:
    if viewer.role in REVIEW_ROLES:
        return [Report.org_id == viewer.org_id]
    return [Report.org_id == viewer.org_id, Report.reporter_id == viewer.id]


def visible_to_bound(reviewer: bool) -> list[ColumnElement[bool]]:
    """`visible_to` with the viewer as bound parameters (`visible_params`), for statements built once:
    the variant for reviewers and admins, or for reporters."""
    if reviewer:
        return [Report.org_id == bindparam("viewer_org")]
    return [Report.org_id == bindparam("viewer_org"), Report.reporter_id == bindparam("viewer_id")]


def visible_params(viewer: User) -> dict[str, Any]:
    return {"viewer_org": viewer.org_id, "viewer_id": viewer.id}
