"""The organisation's settings (admins change them), its users, and privacy requests (access, erasure)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from triage.service.deps import AdminActor, DbDep, ReviewerActor
from triage.service.schemas import (
    ErasurePublic,
    ErasureRequest,
    OrganisationPublic,
    OrganisationUpdate,
    UserPublic,
)
from triage.store import privacy
from triage.store.models import Organisation
from triage.store.orgs import OrgSettings, get_org, update_settings
from triage.store.users import list_users

router = APIRouter(prefix="/api/v1", tags=["admin"])


def _org_public(org: Organisation) -> OrganisationPublic:
    return OrganisationPublic(
        id=org.id,
        name=org.name,
        contact_address=org.contact_address,
        contact_email=org.contact_email,
        contact_phone=org.contact_phone,
        retention_days=org.retention_days,
    )


@router.get("/organisation")
def organisation(db: DbDep, actor: ReviewerActor) -> OrganisationPublic:
    return _org_public(get_org(db, actor.user.org_id))


@router.patch("/organisation")
def update_organisation(body: OrganisationUpdate, db: DbDep, actor: AdminActor) -> OrganisationPublic:
    """The contact address on bundles (the organisation's, never the victim's home) and retention."""
    org = get_org(db, actor.user.org_id)
    update_settings(db, actor=actor, org=org, changes=OrgSettings(**body.model_dump()))
    db.commit()
    return _org_public(org)


@router.get("/admin/users")
def users(db: DbDep, actor: AdminActor) -> list[UserPublic]:
    """The organisation's users (to find whose data to export or erase)."""
    rows = list_users(db, actor.user.org_id)
    return [
        UserPublic(id=u.id, email=u.email, role=u.role, active=u.active, erased_at=u.erased_at) for u in rows
    ]


@router.get("/admin/users/{user_id}/data")
def subject_access(user_id: str, db: DbDep, actor: AdminActor) -> dict[str, Any]:
    """Everything stored about one user of the organisation, as JSON (GDPR access). Audited."""
    return privacy.subject_access(db, actor=actor, user_id=user_id)


@router.post("/admin/users/{user_id}/erase")
def erase(user_id: str, body: ErasureRequest, db: DbDep, actor: AdminActor) -> ErasurePublic:
    """Erase a user on request (GDPR erasure): the account and the texts and attachments of the reports
    they forwarded, leaving audit stubs with the hashes. Export needed bundles first. Audited."""
    done = privacy.erase_user(db, actor=actor, user_id=user_id, reason=body.reason)
    return ErasurePublic(user_id=done.user_id, reports_purged=done.reports_purged, erased_at=done.erased_at)
