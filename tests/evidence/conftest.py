"""Hand-built reports (no database, no model): hostile in every field, as real hate messages may be."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from triage.evidence import (
    Attachment,
    ContextMessage,
    CustodyEvent,
    FollowUp,
    MachineAssessment,
    MessageMetadata,
    Organisation,
    Recipient,
    ReportEvidence,
    Review,
    Signer,
    build_bundle,
)

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"
POSTED = datetime(2025, 3, 1, 14, 2, 11, tzinfo=UTC)
TEXT = "Ik weet waar je woont, vuile landverrader. Morgen sta ik met een mes voor je deur. " + PAYLOAD

VERDICT: dict[str, Any] = {
    "language": "nl",
    "labels": {
        "threat": 0.9998,
        "incitement": 0.0066,
        "doxxing": 0.9999,
        "sexual": 0.0211,
        "identity_hate": 0.0005,
        "insult": 0.7575,
        "profanity": 0.0752,
    },
    "flags": ["threat", "doxxing", "insult"],
    "severity": "critical",
    "severity_score": 0.9998,
    "target": "person",
    "spans": [
        {"start": 0, "end": 21, "label": "doxxing", "source": "doxxing.knows.001"},
        {"start": 29, "end": 41, "label": "insult", "source": "lex.insult.041"},
    ],
    "legal": [
        {"article": "285 Sr", "name": "Bedreiging (art. 285 Sr)", "reason": "..."},
        {"article": "285d Sr", "name": "Doxing (art. 285d Sr)", "reason": "..."},
    ],
    "model": {"name": "triage-nl", "version": "1.0.0"},
    "truncated": False,
    "notes": [],
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def screenshot_png(width: int = 360, height: int = 640, label: str = "x.com/afzender 14:02") -> bytes:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 40), fill=(20, 20, 20))
    draw.text((10, 12), label, fill="white")
    for row in range(60, height - 40, 28):
        draw.rectangle((16, row, width - 16 - (row % 90), row + 14), fill=(60, 60, 160))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.generate()


@pytest.fixture
def organisation() -> Organisation:
    return Organisation(
        name="Gemeente Voorbeeld " + PAYLOAD,
        contact_address="Postbus 1, 1000 AA Voorbeeld",
        email="veiligheid@voorbeeld.nl",
        contact_person="Integriteitsbureau",
    )


@pytest.fixture
def make_report(tmp_path: Path) -> Callable[..., ReportEvidence]:
    def make(
        report_id: str = "r-1",
        attachments: tuple[Attachment, ...] | None = None,
        text: bytes = TEXT.encode("utf-8"),
    ) -> ReportEvidence:
        if attachments is None:
            png = screenshot_png()
            path = tmp_path / f"{report_id}-shot.png"
            path.write_bytes(png)
            attachments = (
                Attachment(
                    name="../../etc/passwd" + PAYLOAD,
                    content_type="image/png",
                    intake_sha256=sha(png),
                    source=path,
                ),
            )
        return ReportEvidence(
            report_id=report_id,
            text=text,
            text_sha256=sha(text),
            metadata=MessageMetadata(
                platform="x",
                url="https://x.com/afzender/status/1?q=<script>",
                message_id="1",
                author_handle="@afzender" + PAYLOAD,
                author_name="Boze Burger" + PAYLOAD,
                author_url="javascript:alert(1)",
                posted_at_shown="1 mrt. 2025 15:02",
                posted_at_utc=POSTED,
                received_at=POSTED + timedelta(minutes=5),
                forwarded_at=POSTED + timedelta(hours=1),
                recipient=Recipient(
                    name="J. de Vries", public_role="wethouder", organisation="Gemeente Voorbeeld"
                ),
                context=(ContextMessage(text="Eerder bericht " + PAYLOAD, author_handle="@ander"),),
                reporter="j.devries@voorbeeld.nl",
                note=PAYLOAD,
            ),
            attachments=attachments,
            assessment=MachineAssessment(VERDICT, assessed_at=POSTED + timedelta(hours=1, seconds=1)),
            reviews=(
                Review(
                    reviewer="medewerker@voorbeeld.nl",
                    decided_at=POSTED + timedelta(hours=2),
                    decision="confirm",
                    note=PAYLOAD,
                ),
            ),
            custody=(
                CustodyEvent(
                    actor="j.devries@voorbeeld.nl",
                    at=POSTED + timedelta(hours=1),
                    action="create",
                    origin="203.0.113.7",
                ),
                CustodyEvent(
                    actor="medewerker@voorbeeld.nl",
                    at=POSTED + timedelta(hours=2),
                    action="view",
                    reason=PAYLOAD,
                ),
            ),
            follow_ups=(
                FollowUp(
                    kind="police",
                    at=POSTED + timedelta(days=1),
                    by="medewerker@voorbeeld.nl",
                    reference="2025-123456" + PAYLOAD,
                ),
            ),
        )

    return make


@pytest.fixture
def bundle(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> Path:
    return build_bundle(
        [make_report("r-1"), make_report("r-2")],
        organisation=organisation,
        created_by="medewerker@voorbeeld.nl",
        destination=tmp_path / "out" / "bundle.zip",
        signer=signer,
        created_at=POSTED + timedelta(days=1, hours=1),
    )
