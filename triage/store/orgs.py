"""The organisation's own settings: the contact address for bundles and the retention period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy.orm import Session

from triage.errors import Forbidden, InvalidInput, NotFound
from triage.store.audit import Actor, record
from triage.store.models import Organisation

MIN_RETENTION_DAYS: Final = 30
MAX_RETENTION_DAYS: Final = 3650


@dataclass(slots=True)
class OrgSettings:
    contact_address: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    retention_days: int | None = None


def get_org(session: Session, org_id: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound("no such organisation")
    return org


def update_settings(
    session: Session, *, actor: Actor | None, org: Organisation, changes: OrgSettings
) -> None:
    """Change the given (non-None) settings; admins only when an actor is given. Audited."""
    if actor is not None and (actor.user.role != "admin" or actor.user.org_id != org.id):
        raise Forbidden("only an admin of the organisation changes its settings")
    days = changes.retention_days
    if days is not None and not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise InvalidInput(f"retention_days must be between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS}")
    changed: dict[str, Any] = {}
    for name in ("contact_address", "contact_email", "contact_phone", "retention_days"):
        value = getattr(changes, name)
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(org, name) != value:
            changed[name] = {"from": getattr(org, name), "to": value}
            setattr(org, name, value)
    if changed:
        record(session, actor=actor, action="org_settings", org_id=org.id, detail=changed)
