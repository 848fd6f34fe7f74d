"""Evidence bundles from the database: map stored rows onto `triage.evidence`'s model, build, sign, audit.

Attachments are read from the database one at a time, while the bundle streams them, in a short
session of their own, so a bundle of many large screenshots never holds them all in memory and
never holds a write lock on SQLite while it is written.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Final, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage import evidence as ev
from triage.config import Settings
from triage.errors import Forbidden, Gone, InvalidInput, NotFound
from triage.store.audit import Actor, record, trail
from triage.store.authors import author_key
from triage.store.deadlines import AMSTERDAM
from triage.store.followups import follow_ups_of
from triage.store.models import Attachment, Organisation, Report, Review, User
from triage.store.orgs import get_org
from triage.store.reports import attachments_of, get_visible
from triage.store.types import utcnow
from triage.store.users import REVIEW_ROLES

MAX_BUNDLE_REPORTS: Final = 500
ROLE_UNKNOWN: Final = "publieke taak (functie niet opgegeven)"


def signer_for(settings: Settings, org_id: str) -> ev.Signer:
    """The organisation's Ed25519 key, in key_dir/<organisation id>/, created on first use."""
    return ev.Signer.load_or_create(settings.effective_key_dir / org_id)


def organisation_evidence(org: Organisation) -> ev.Organisation:
    if not (org.contact_address or "").strip():
        raise InvalidInput(
            f"the organisation {org.name!r} has no contact address yet; an admin sets it first "
            "(PATCH /api/v1/organisation or `triage orgs set`). Bundles carry the organisation's "
            "address, never the victim's home address."
        )
    return ev.Organisation(
        name=org.name,
        contact_address=org.contact_address or "",
        email=org.contact_email or "",
        phone=org.contact_phone or "",
    )


class _StoredContent(io.RawIOBase):
    """An attachment's bytes, fetched from the database on the first read and dropped at the end."""

    def __init__(self, load: Callable[[], bytes]) -> None:
        super().__init__()
        self._load = load
        self._data: memoryview | None = None
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._done:
            return b""
        if self._data is None:
            self._data = memoryview(self._load())
        end = len(self._data) if size is None or size < 0 else min(len(self._data), self._pos + size)
        chunk = bytes(self._data[self._pos : end])
        self._pos = end
        if not chunk:
            self._data, self._done = None, True
        return chunk


def _content_loader(db: Session, attachment_id: str) -> Callable[[], bytes]:
    bind = db.get_bind()

    def load() -> bytes:
        with Session(bind) as session:
            content = session.scalar(select(Attachment.content).where(Attachment.id == attachment_id))
        return content or b""

    return load


def _shown(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M:%S") + " (Nederlandse tijd)"


def _custody(db: Session, report_id: str) -> list[ev.CustodyEvent]:
    events = []
    for event, email in trail(db, report_id):
        detail = dict(event.detail or {})
        reason = str(detail.get("reason") or detail.get("note") or "")
        events.append(
            ev.CustodyEvent(
                actor=email or str(detail.get("by") or "systeem"),
                at=event.created_at,
                action=event.action,
                reason=reason,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
                origin=event.remote_addr or "",
            )
        )
    return events


def _reviews(db: Session, report_id: str) -> tuple[ev.Review, ...]:
    rows = db.execute(
        select(Review, User.email)
        .outerjoin(User, User.id == Review.reviewer_id)
        .where(Review.report_id == report_id)
        .order_by(Review.created_at, Review.id)
    ).tuples()
    return tuple(
        ev.Review(
            reviewer=email or "onbekend",
            decided_at=review.created_at,
            decision=review.decision,
            labels=None if review.labels is None else tuple(review.labels),
            severity=review.severity,
            target=review.target,
            note=review.note or "",
        )
        for review, email in rows
    )


def report_evidence(
    db: Session, report: Report, org: Organisation, extra_custody: Sequence[ev.CustodyEvent] = ()
) -> ev.ReportEvidence:
    """One stored report as evidence: the text and attachments as received, the metadata, the machine
    assessment apart, the reviews, the follow-ups and the audit trail as the chain of custody."""
    if report.purged_at is not None:
        raise Gone(
            f"the text and attachments of report {report.id} were deleted on "
            f"{report.purged_at:%Y-%m-%d} ({report.purge_reason or 'retention'}); only its audit stub remains"
        )
    reporter = db.get(User, report.reporter_id)
    attachments = tuple(
        ev.Attachment(
            name=item.filename,
            content_type=item.media_type,
            intake_sha256=item.sha256,
            source=cast(BinaryIO, _StoredContent(_content_loader(db, item.id))),
            size=item.size,
        )
        for item in attachments_of(db, report.id)
    )
    follow_ups = tuple(
        ev.FollowUp(
            kind=step.kind,  # type: ignore[arg-type]
            at=step.occurred_at,
            by=email or "",
            reference=step.reference or "",
            note=step.note or "",
        )
        for step, email in follow_ups_of(db, report.id)
    )
    return ev.ReportEvidence(
        report_id=report.id,
        text=report.text.encode("utf-8", "surrogatepass"),
        text_sha256=report.text_sha256,
        text_source="ocr" if report.text_source == "ocr" else "received",
        metadata=ev.MessageMetadata(
            platform=report.platform,
            url=report.url or "",
            message_id=report.message_id or "",
            author_handle=report.author_handle or "",
            author_name=report.author_name or "",
            author_url=report.author_url or "",
            author_details=report.author_details or "",
            author_lawful_basis=report.author_lawful_basis or "",
            posted_at_shown=_shown(report.posted_at),
            posted_at_utc=report.posted_at,
            received_at=report.received_at,
            forwarded_at=report.created_at,
            recipient=ev.Recipient(
                name=report.recipient or "",
                public_role=report.recipient_role or ROLE_UNKNOWN,
                organisation=org.name,
            ),
            context=(ev.ContextMessage(text=report.context),) if report.context else (),
            reporter=reporter.email if reporter is not None else "",
            note=report.note or "",
        ),
        attachments=attachments,
        assessment=ev.MachineAssessment(
            report.verdict, assessed_at=report.created_at, ocr=bool(report.verdict.get("ocr"))
        ),
        reviews=_reviews(db, report.id),
        custody=(*_custody(db, report.id), *extra_custody),
        follow_ups=follow_ups,
    )


# --- choosing reports -------------------------------------------------------------------------------


def _require_reviewer(user: User) -> None:
    if user.role not in REVIEW_ROLES:
        raise Forbidden("only reviewers and admins export evidence bundles")


def _org_reports(db: Session, org_id: str, *conditions: object) -> list[Report]:
    query = select(Report).where(Report.org_id == org_id, *conditions)  # type: ignore[arg-type]
    return list(db.scalars(query.order_by(Report.created_at, Report.id).limit(MAX_BUNDLE_REPORTS + 1)))


def select_reports(
    db: Session,
    user: User,
    *,
    report_ids: Sequence[str] | None = None,
    campaign: str | None = None,
    author: str | None = None,
) -> list[Report]:
    """The reports for one bundle, within the caller's organisation: a list of ids, a campaign (any of
    its reports: all members, duplicates included) or everything from one author handle (compared as
    triage.store.authors.author_key, on any platform). Anything not visible answers 404."""
    _require_reviewer(user)
    chosen = [x for x in (report_ids, campaign, author) if x]
    if len(chosen) != 1:
        raise InvalidInput("give exactly one of report_ids, campaign or author")
    if report_ids:
        reports = [get_visible(db, user, report_id) for report_id in dict.fromkeys(report_ids)]
    elif campaign:
        root = get_visible(db, user, campaign)
        if root.campaign_id:
            reports = _org_reports(db, user.org_id, Report.campaign_id == root.campaign_id)
        else:
            reports = [root]
    else:
        key = author_key(author)
        reports = _org_reports(db, user.org_id, Report.author_key == key) if key else []
        if not reports:
            raise NotFound("no reports from this author")
    if len(reports) > MAX_BUNDLE_REPORTS:
        raise InvalidInput(f"a bundle holds at most {MAX_BUNDLE_REPORTS} reports")
    return reports


# --- exporting --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BundleExport:
    path: Path
    bundle_id: str
    key_id: str
    report_ids: tuple[str, ...]
    created_at: datetime

    @property
    def filename(self) -> str:
        return f"bewijsdossier-{self.created_at:%Y%m%d}-{self.bundle_id[:8]}.zip"


def export_bundle(
    db: Session,
    settings: Settings,
    *,
    reports: Sequence[Report],
    destination: Path,
    actor: Actor | None,
    created_by: str | None = None,
    reason: str | None = None,
    via: str = "api",
) -> BundleExport:
    """Build and sign one bundle of `reports` (all of one organisation) at `destination`.

    The export is written to each report's audit trail, and the same event is the last entry of the
    chain of custody inside the bundle."""
    if not reports:
        raise InvalidInput("a bundle needs at least one report")
    org_ids = {report.org_id for report in reports}
    if len(org_ids) != 1:
        raise InvalidInput("a bundle holds reports of one organisation")
    org = get_org(db, org_ids.pop())
    if actor is not None:
        _require_reviewer(actor.user)
        if actor.user.org_id != org.id:
            raise NotFound("no such report")
    who = created_by or (actor.user.email if actor else "systeem")
    bundle_id = str(uuid.uuid4())
    created_at = utcnow().replace(microsecond=0)
    ids = tuple(report.id for report in reports)
    detail = {"bundle_id": bundle_id, "reports": len(ids), "via": via} | (
        {"reason": reason} if reason else {}
    )
    export_event = ev.CustodyEvent(
        actor=who,
        at=created_at,
        action="export",
        reason=reason or "",
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        origin=(actor.remote_addr or "") if actor else "",
    )
    organisation = organisation_evidence(org)
    evidence = [report_evidence(db, report, org, [export_event]) for report in reports]
    signer = signer_for(settings, org.id)
    db.commit()  # end the read transaction: the build below reads attachments in sessions of its own
    ev.build_bundle(
        evidence,
        organisation=organisation,
        created_by=who,
        destination=destination,
        signer=signer,
        timestamper=ev.timestamper_for(settings.tsa_url),
        bundle_id=bundle_id,
        created_at=created_at,
    )
    for report_id in ids:
        event = record(
            db,
            actor=actor,
            action="export",
            org_id=org.id,
            report_id=report_id,
            detail=detail | {"by": who, "key_id": signer.key_id},
        )
        event.created_at = created_at
    db.commit()
    return BundleExport(destination, bundle_id, signer.key_id, ids, created_at)


def temporary_destination(settings: Settings) -> Path:
    """A fresh folder for one export under TRIAGE_DATA_DIR/tmp; remove it with `discard`."""
    base = settings.data_dir / "tmp"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="bundle-", dir=base)) / "bundle.zip"


def discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def export_to_temporary(
    db: Session,
    settings: Settings,
    *,
    reports: Sequence[Report],
    actor: Actor,
    reason: str | None = None,
) -> BundleExport:
    destination = temporary_destination(settings)
    try:
        return export_bundle(
            db, settings, reports=reports, destination=destination, actor=actor, reason=reason
        )
    except BaseException:
        discard(destination)
        raise


def public_key_pem(settings: Settings, user: User) -> tuple[bytes, str]:
    signer = signer_for(settings, user.org_id)
    return signer.public_pem, signer.key_id
