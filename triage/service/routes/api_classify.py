from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from triage.errors import PayloadTooLarge
from triage.service.classifying import classify_text
from triage.service.deps import AuthDep, ClassifierDep, SettingsDep
from triage.service.schemas import ClassifyRequest

router = APIRouter(prefix="/api/v1", tags=["classify"])


@router.post("/classify")
async def classify(
    body: ClassifyRequest, _auth: AuthDep, classifier: ClassifierDep, settings: SettingsDep
) -> dict[str, Any]:
    """A verdict for one text; nothing is stored."""
    if len(body.text) > settings.max_text_chars:
        raise PayloadTooLarge(f"a text may be at most {settings.max_text_chars} characters")
    verdict = await classify_text(classifier, body.text, recipient=body.recipient)
    return verdict.to_dict()
