"""The Dashboard page for reviewers and admins: the monitor's questions per week, and drift, as inline SVG
charts with the same numbers in tables; a period selector (the last 4, 12, 26 or 52 weeks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from triage.service import dashboard
from triage.service.dashboard_charts import draw
from triage.service.deps import AuthDep, DbDep, ReviewerActor
from triage.service.routes.api_models import OptionalLiveDep
from triage.service.web import base_context, render_page
from triage.store.deadlines import AMSTERDAM
from triage.store.types import utcnow

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    auth: AuthDep,
    actor: ReviewerActor,
    db: DbDep,
    live: OptionalLiveDep,
    weeks: Annotated[int, Query(ge=1, le=156)] = dashboard.DEFAULT_WEEKS,
) -> Response:
    today = utcnow().astimezone(AMSTERDAM).date()
    figures = dashboard.build(db, live, actor=actor, weeks=weeks, today=today)
    context = base_context(auth) | {
        "d": figures,
        "charts": draw(figures),
        "weeks": weeks,
        "choices": sorted({*dashboard.PERIOD_WEEKS, weeks}),
        "TARGET_NL": dashboard.TARGET_NL,
        "platform_name": dashboard.platform_name,
        "pct": dashboard.percent,
        "nl": dashboard.nl_number,
    }
    return render_page(request, "dashboard.html", context)
