from __future__ import annotations

from fastapi import APIRouter

from triage.service.deps import ClassifierDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(classifier: ClassifierDep) -> dict[str, str]:
    return {"status": "ok", "model": f"{classifier.model_info.name} {classifier.model_info.version}"}
