"""Server-rendered pages: the Jinja2 environment (autoescaping on) and one way to render a page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from triage.engine.labels import LABELS, SEVERITIES
from triage.service.highlight import segments
from triage.store.users import REVIEW_ROLES

if TYPE_CHECKING:
    from triage.service.deps import Auth

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

LABEL_NL = {
    "threat": "bedreiging",
    "incitement": "opruiing",
    "doxxing": "doxing",
    "sexual": "seksueel",
    "identity_hate": "identiteitshaat",
    "insult": "belediging",
    "profanity": "grof taalgebruik",
}
SEVERITY_NL = {"none": "geen", "low": "laag", "medium": "middel", "high": "hoog", "critical": "kritiek"}
STATUS_NL = {
    "new": "nieuw",
    "in_review": "in behandeling",
    "confirmed": "bevestigd",
    "dismissed": "afgewezen",
    "reported": "aangegeven",
    "closed": "gesloten",
}


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = Jinja2Templates(directory=str(TEMPLATES))
    env.env.autoescape = True
    env.env.globals.update(
        LABELS=LABELS,
        SEVERITIES=SEVERITIES,
        LABEL_NL=LABEL_NL,
        SEVERITY_NL=SEVERITY_NL,
        STATUS_NL=STATUS_NL,
        segments=segments,
    )
    env.env.filters["when"] = lambda value: value.strftime("%Y-%m-%d %H:%M UTC") if value else ""
    return env


def render_page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context or {}, status_code=status_code)


def base_context(auth: Auth) -> dict[str, Any]:
    """What base.html needs on every page of a logged-in user: who, the CSRF token, the navigation."""
    return {"user": auth.user, "csrf_token": auth.csrf, "is_reviewer": auth.user.role in REVIEW_ROLES}
