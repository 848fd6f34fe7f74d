"""Bulk exports as files: GIR-ready incident records (CSV or JSON) and statistics (CSV). Audited."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from sqlalchemy.orm import Session

from triage.errors import InvalidInput
from triage.store.audit import Actor, record
from triage.store.deadlines import AMSTERDAM
from triage.store.exports import GIR_FIELDS, STAT_FIELDS, Period, gir_records, weekly_statistics
from triage.store.orgs import get_org
from triage.store.types import utcnow

Format = Literal["csv", "json"]
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_HANDLE: Final = re.compile(r"@[\w.]{1,100}")  # a plain account name is no formula


def period(start: date | None, end: date | None, default_days: int) -> Period:
    end = end or utcnow().astimezone(AMSTERDAM).date()
    start = start or end - timedelta(days=default_days - 1)
    try:
        return Period(start, end)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def _cell(value: Any) -> str:
    """Text as is, except that a leading formula character is defused: hostile messages end up in
    spreadsheets, and `=HYPERLINK(...)` must stay text there (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _HANDLE.fullmatch(text):
        return "'" + text
    return text


def to_csv(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in fields])
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True, slots=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


def gir_export(
    db: Session, *, actor: Actor, span: Period, fmt: Format, include_unreviewed: bool = False
) -> ExportFile:
    org = get_org(db, actor.user.org_id)
    records = gir_records(db, org_id=org.id, period=span, include_unreviewed=include_unreviewed)
    generated = utcnow()
    detail = {"export": "gir", "format": fmt, "from": str(span.start), "to": str(span.end)}
    for item in records:  # the records carry the texts: each report's chain of custody shows the export
        record(
            db, actor=actor, action="export_gir", org_id=org.id, report_id=item["melding_id"], detail=detail
        )
    record(db, actor=actor, action="export", org_id=org.id, detail=detail | {"records": len(records)})
    db.commit()
    name = f"gir-{span.start}-{span.end}.{fmt}"
    if fmt == "csv":
        return ExportFile(to_csv(GIR_FIELDS, records), "text/csv; charset=utf-8", name)
    document = {
        "format": "triage-nl/gir-export",
        "organisation": {"name": org.name, "contact_address": org.contact_address},
        "period": {"from": str(span.start), "to": str(span.end), "timezone": "Europe/Amsterdam"},
        "generated_at": generated.isoformat(),
        "generated_by": actor.user.email,
        "fields": list(GIR_FIELDS),
        "records": records,
    }
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return ExportFile(content, "application/json", name)


def statistics(db: Session, *, actor: Actor, span: Period) -> list[dict[str, Any]]:
    return weekly_statistics(db, org_id=actor.user.org_id, period=span)


def statistics_csv(db: Session, *, actor: Actor, span: Period) -> ExportFile:
    rows = statistics(db, actor=actor, span=span)
    detail = {"export": "statistics", "format": "csv", "from": str(span.start), "to": str(span.end)}
    record(db, actor=actor, action="export", org_id=actor.user.org_id, detail=detail)
    db.commit()
    return ExportFile(
        to_csv(STAT_FIELDS, rows), "text/csv; charset=utf-8", f"statistiek-{span.start}-{span.end}.csv"
    )
