from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Security
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer

from triage.errors import Forbidden, Unauthorized
from triage.service import perspective
from triage.service.classifying import classify_text
from triage.service.deps import ClassifierDep, SettingsDep, StateDep, token_user
from triage.service.perspective_schemas import (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    GoogleErrorBody,
)
from triage.store.models import User

router = APIRouter(prefix="/v1alpha1", tags=["perspective"])

_key = APIKeyQuery(name="key", auto_error=False, description="One of your API tokens.")
_bearer = HTTPBearer(auto_error=False, description="The same API token, as a bearer token.")


async def api_key_user(
    state: StateDep,
    key: Annotated[str | None, Security(_key)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> User:
    """The caller by `?key=` (as Perspective clients send it) or `Authorization: Bearer`; no cookies."""
    secret = key or (bearer.credentials if bearer is not None else None)
    if not secret:
        raise Forbidden("The request is missing a valid API key.")
    user = await token_user(state, secret)
    if user is None:
        raise Unauthorized("API key not valid. Please pass a valid API key.")
    return user


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": GoogleErrorBody, "description": what}
    for status, what in [
        (400, "INVALID_ARGUMENT: bad JSON, empty or too long text, unknown attribute or language"),
        (401, "UNAUTHENTICATED: the key is not valid"),
        (403, "PERMISSION_DENIED: no key"),
        (429, "RESOURCE_EXHAUSTED: over TRIAGE_ANALYZE_RATE_PER_MINUTE"),
    ]
}


@router.post(
    "/comments:analyze",
    response_model=AnalyzeCommentResponse,
    response_model_exclude_none=True,
    responses=_ERRORS,
)
async def analyze(
    body: AnalyzeCommentRequest,
    _caller: Annotated[User, Depends(api_key_user)],
    classifier: ClassifierDep,
    settings: SettingsDep,
) -> AnalyzeCommentResponse:
    """Perspective API's `comments:analyze`: scores for the requested attributes; nothing is stored.
    A Perspective client moves over by changing its base URL and key."""
    names = perspective.check_request(body, perspective.text_limit(settings.max_text_chars))
    verdict = await classify_text(classifier, body.comment.text)
    return perspective.build_response(body, names, verdict)
