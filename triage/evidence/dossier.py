"""The Dutch report's content as plain strings: one view model, rendered as HTML and as PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from triage.evidence import dutch
from triage.evidence.aftercare import Aftercare, aftercare, highest
from triage.evidence.legal import DISCLAIMER, Article, indicated_articles, union
from triage.evidence.model import Organisation, ReportEvidence
from triage.evidence.written import WrittenReport

Pair = tuple[str, str]
QUOTE_CHARS = 300


@dataclass(slots=True)
class AttachmentView:
    original_name: str
    path: str
    content_type: str
    size: str
    sha256: str
    intake_sha256: str
    intact: bool
    is_image: bool
    preview: bytes | None
    preview_note: str


@dataclass(slots=True)
class AssessmentView:
    severity: str
    severity_score: str
    target: str
    labels: list[Pair]
    spans: list[Pair]
    model: str
    assessed_at: str
    ocr: bool


@dataclass(slots=True)
class MessageView:
    number: int
    heading: str
    facts: list[Pair]
    text_shown: str
    text_notes: list[str]
    text_path: str
    text_sha256: str
    text_intake_sha256: str
    intact: bool
    attachments: list[AttachmentView]
    context: list[Pair]
    assessment: AssessmentView | None
    reviews: list[list[str]]
    follow_ups: list[list[str]]
    custody: list[list[str]]
    final_severity: str
    articles: list[str]


@dataclass(slots=True)
class Dossier:
    title: str
    bundle_id: str
    created_at: str
    created_by: str
    organisation: Organisation
    key_id: str
    software: str
    models: list[str]
    summary: list[Pair]
    victim: list[Pair]
    public_task_statement: str
    timeline: list[Pair]
    messages: list[MessageView]
    articles: list[Article]
    disclaimer: str
    gir: list[Pair]
    aftercare: Aftercare
    verification: list[str] = field(default_factory=list)


def _pairs(pairs: list[Pair]) -> list[Pair]:
    """Every shown value with its control characters (RTL overrides, zero-width) made visible."""
    return [(key, dutch.visible(value)) for key, value in pairs]


def _rows(rows: list[list[str]]) -> list[list[str]]:
    return [[dutch.visible(cell) for cell in row] for row in rows]


def _platform(platform: str) -> str:
    return dutch.PLATFORMS.get(platform, platform) or dutch.UNKNOWN


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB ({n} bytes)"
    return f"{n / 1024 / 1024:.1f} MiB ({n} bytes)"


def _labels(labels: Sequence[str]) -> str:
    return ", ".join(dutch.LABELS.get(label, label) for label in labels) or "geen"


def _decode(report: ReportEvidence) -> tuple[str, list[str]]:
    notes = []
    try:
        text = report.text.decode("utf-8")
    except UnicodeDecodeError:
        text = report.text.decode("utf-8", errors="replace")
        notes.append(
            "De tekst is geen geldige UTF-8; onleesbare bytes zijn weergegeven als �. "
            "Het origineel staat ongewijzigd in het bestand."
        )
    if report.text_source == "ocr":
        notes.append(
            "Deze tekst is door tekstherkenning (OCR) uit de schermafbeelding gelezen; "
            "de schermafbeelding is het origineel."
        )
    hidden = dutch.hidden_characters(text)
    if hidden:
        notes.append(
            "Let op: de tekst bevat onzichtbare of sturende tekens, zichtbaar gemaakt als ⟨U+…⟩: "
            + "; ".join(hidden)
        )
    return dutch.visible(text), notes


def _assessment(report: ReportEvidence, text: str) -> AssessmentView | None:
    if report.assessment is None:
        return None
    verdict = report.assessment.verdict
    labels = [
        (dutch.LABELS.get(str(name), str(name)), f"{float(score):.2f}")
        for name, score in dict(verdict.get("labels", {})).items()
        if float(score) > 0
    ]
    spans = []
    for span in verdict.get("spans", []):
        start, end = int(span.get("start", 0)), int(span.get("end", 0))
        spans.append(
            (dutch.LABELS.get(str(span.get("label")), str(span.get("label"))), dutch.visible(text[start:end]))
        )
    model = verdict.get("model", {})
    return AssessmentView(
        severity=dutch.SEVERITIES.get(str(verdict.get("severity")), str(verdict.get("severity"))),
        severity_score=f"{float(verdict.get('severity_score', 0.0)):.2f}",
        target=dutch.TARGETS.get(str(verdict.get("target")), str(verdict.get("target"))),
        labels=labels,
        spans=spans,
        model=f"{model.get('name', '')} {model.get('version', '')}".strip() or dutch.UNKNOWN,
        assessed_at=dutch.when(report.assessment.assessed_at),
        ocr=report.assessment.ocr,
    )


def _message(number: int, written: WrittenReport) -> MessageView:
    report, meta = written.report, written.report.metadata
    text, notes = _decode(report)
    recipient = meta.recipient
    facts: list[Pair] = [
        ("Melding", report.report_id),
        ("Platform", dutch.PLATFORMS.get(meta.platform, meta.platform) or dutch.UNKNOWN),
        ("URL", meta.url or dutch.UNKNOWN),
        ("Bericht-id", meta.message_id or dutch.UNKNOWN),
        ("Afzender (account)", meta.author_handle or dutch.UNKNOWN),
        ("Weergavenaam afzender", meta.author_name or dutch.UNKNOWN),
        ("Profiel-URL afzender", meta.author_url or dutch.UNKNOWN),
        ("Geplaatst (zoals getoond)", meta.posted_at_shown or dutch.UNKNOWN),
        ("Geplaatst (UTC)", dutch.when(meta.posted_at_utc)),
        ("Ontvangen", dutch.when(meta.received_at)),
        ("Doorgestuurd / vastgelegd", dutch.when(meta.forwarded_at)),
        ("Ontvanger", f"{recipient.name} ({recipient.public_role})" if recipient else dutch.UNKNOWN),
        ("Gemeld door", meta.reporter or dutch.UNKNOWN),
    ]
    if meta.author_details:
        facts.append(("Overige gegevens afzender", meta.author_details))
    if meta.author_lawful_basis:
        facts.append(("Grondslag vastlegging afzendergegevens", meta.author_lawful_basis))
    if meta.note:
        facts.append(("Toelichting melder", meta.note))
    attachments = [
        AttachmentView(
            original_name=dutch.visible(item.attachment.name),
            path=item.path,
            content_type=item.attachment.content_type,
            size=_size(item.size),
            sha256=item.sha256,
            intake_sha256=item.attachment.intake_sha256.lower(),
            intact=item.intact,
            is_image=item.is_image,
            preview=item.preview,
            preview_note=item.preview_note,
        )
        for item in written.attachments
    ]
    reviews = [
        [
            dutch.when(r.decided_at),
            r.reviewer,
            dutch.DECISIONS.get(r.decision, r.decision),
            _labels(r.labels) if r.labels is not None else "",
            dutch.SEVERITIES.get(r.severity, r.severity) if r.severity else "",
            r.note,
        ]
        for r in report.reviews
    ]
    follow_ups = [
        [dutch.when(f.at), dutch.FOLLOW_UPS.get(f.kind, f.kind), f.reference, f.by, f.note]
        for f in report.follow_ups
    ]
    custody = [[dutch.when(c.at), c.actor, c.action, c.reason, c.origin] for c in report.custody]
    heading = f"Bericht {number}: {_platform(meta.platform)}, {meta.author_handle or 'afzender onbekend'}"
    return MessageView(
        number=number,
        heading=heading,
        facts=_pairs(facts),
        text_shown=text,
        text_notes=notes,
        text_path=written.text_path,
        text_sha256=written.text_sha256,
        text_intake_sha256=report.text_sha256.lower(),
        intact=written.intact,
        attachments=attachments,
        context=[
            (
                f"{c.author_handle or 'onbekend'} · {c.posted_at_shown or 'tijd onbekend'}",
                dutch.visible(c.text),
            )
            for c in meta.context
        ],
        assessment=_assessment(report, text),
        reviews=_rows(reviews),
        follow_ups=_rows(follow_ups),
        custody=_rows(custody),
        final_severity=dutch.SEVERITIES.get(report.final_severity, report.final_severity),
        articles=indicated_articles(report),
    )


def _timeline(written: Sequence[WrittenReport], created_at: datetime) -> list[Pair]:
    events: list[tuple[datetime, str]] = []
    for number, item in enumerate(written, start=1):
        report, meta = item.report, item.report.metadata
        platform = dutch.PLATFORMS.get(meta.platform, meta.platform)
        if meta.posted_at_utc:
            events.append(
                (
                    meta.posted_at_utc,
                    f"Bericht {number} geplaatst op {platform} door {meta.author_handle or 'onbekend'}",
                )
            )
        if meta.received_at:
            events.append((meta.received_at, f"Bericht {number} ontvangen"))
        if meta.forwarded_at:
            events.append(
                (meta.forwarded_at, f"Bericht {number} doorgestuurd en vastgelegd (SHA-256 berekend)")
            )
        if report.assessment and report.assessment.assessed_at:
            events.append((report.assessment.assessed_at, f"Bericht {number} automatisch beoordeeld"))
        for review in report.reviews:
            events.append(
                (
                    review.decided_at,
                    f"Bericht {number} beoordeeld door {review.reviewer}: "
                    f"{dutch.DECISIONS.get(review.decision, review.decision)}",
                )
            )
        for step in report.follow_ups:
            reference = f" (kenmerk {step.reference})" if step.reference else ""
            events.append(
                (step.at, f"Bericht {number}: {dutch.FOLLOW_UPS.get(step.kind, step.kind)}{reference}")
            )
    events.append((created_at, "Dit bewijsdossier samengesteld en ondertekend"))
    events.sort(key=lambda event: event[0].astimezone(UTC))
    return [(dutch.when(moment), text) for moment, text in events]


def _gir(
    written: Sequence[WrittenReport], organisation: Organisation, bundle_id: str, severity: str
) -> list[Pair]:
    reports = [item.report for item in written]
    labels = dict.fromkeys(label for report in reports for label in report.final_labels)
    kinds = [dutch.GIR_KINDS[label] for label in dutch.GIR_KINDS if label in labels] or [
        "Online agressie (nader te bepalen)"
    ]
    moments = [r.metadata.posted_at_utc or r.metadata.received_at for r in reports]
    known = sorted((m for m in moments if m is not None), key=lambda m: m.astimezone(UTC))
    platforms = dict.fromkeys(dutch.PLATFORMS.get(r.metadata.platform, r.metadata.platform) for r in reports)
    urls = [r.metadata.url for r in reports if r.metadata.url]
    descriptions = []
    for number, item in enumerate(written, start=1):
        meta = item.report.metadata
        text, _ = _decode(item.report)
        quote = text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"
        role = meta.recipient.public_role if meta.recipient else "de ontvanger"
        descriptions.append(
            f"Bericht {number}: op {dutch.when(meta.posted_at_utc or meta.received_at)} ontving {role} via "
            f"{_platform(meta.platform)} een bericht van {meta.author_handle or 'een onbekende afzender'}: "
            f"“{quote}” (origineel: {item.text_path})."
        )
    perpetrators = []
    for report in reports:
        meta = report.metadata
        parts = [p for p in (meta.author_handle, meta.author_name, meta.author_url) if p]
        if meta.author_details and meta.author_lawful_basis:
            parts.append(meta.author_details)
        if parts:
            basis = f" [grondslag: {meta.author_lawful_basis}]" if meta.author_lawful_basis else ""
            perpetrators.append(" · ".join(parts) + basis)
    follow = [
        f"{dutch.FOLLOW_UPS.get(f.kind, f.kind)}{' ' + f.reference if f.reference else ''} "
        f"({dutch.when(f.at)})"
        for r in reports
        for f in r.follow_ups
    ]
    victims = dict.fromkeys(
        f"{r.metadata.recipient.name}, {r.metadata.recipient.public_role}"
        for r in reports
        if r.metadata.recipient
    )
    return [
        ("Soort incident", "Online: " + ", ".join(kinds)),
        ("Datum en tijd", dutch.when(known[0]) if known else dutch.UNKNOWN),
        ("Plaats / platform", ", ".join(platforms) + (" — " + ", ".join(urls) if urls else "")),
        ("Betrokkene (publieke taak)", "; ".join(victims) or dutch.UNKNOWN),
        *(
            ("Omschrijving" if len(descriptions) == 1 else f"Omschrijving ({n})", text)
            for n, text in enumerate(descriptions, start=1)
        ),
        (
            "Dadergegevens (voor zover bekend en rechtmatig vastgelegd)",
            "\n".join(dict.fromkeys(perpetrators)) or dutch.UNKNOWN,
        ),
        ("Ernst (na beoordeling)", dutch.SEVERITIES.get(severity, severity)),
        ("Opvolging", "\n".join(follow) or "Nog geen opvolging vastgelegd"),
        ("Melder / contactadres", f"{organisation.name}, {organisation.contact_address}"),
        ("Kenmerk bewijsdossier", bundle_id),
    ]


def build_dossier(
    written: Sequence[WrittenReport],
    *,
    organisation: Organisation,
    bundle_id: str,
    created_at: datetime,
    created_by: str,
    key_id: str,
    software: str,
    models: list[str],
) -> Dossier:
    reports = [item.report for item in written]
    severity = highest([report.final_severity for report in reports])
    recipients = dict.fromkeys(r.metadata.recipient for r in reports if r.metadata.recipient)
    victim: list[Pair] = []
    for recipient in recipients:
        victim += [("Naam", recipient.name), ("Publieke functie", recipient.public_role)]
        if recipient.organisation:
            victim.append(("Organisatie", recipient.organisation))
    roles = ", ".join(f"{r.name} ({r.public_role})" for r in recipients) or "de ontvanger"
    statement = (
        f"{roles} vervult een publieke taak. De berichten zijn ontvangen in verband met die functie. "
        "Volgens de afspraken tussen politie en Openbaar Ministerie (ELA) wordt een aangifte door een "
        "werknemer met een publieke taak altijd opgenomen en vraagt de officier van justitie "
        "een hogere straf. Gebruik voor de aangifte het adres van de organisatie "
        f"({organisation.contact_address}), nooit het huisadres."
    )
    messages = [_message(number, item) for number, item in enumerate(written, start=1)]
    summary: list[Pair] = [
        ("Kenmerk", bundle_id),
        ("Samengesteld", dutch.when(created_at)),
        ("Door", created_by),
        ("Organisatie", organisation.name),
        ("Aantal berichten", str(len(reports))),
        ("Hoogste ernst (na beoordeling)", dutch.SEVERITIES.get(severity, severity)),
        (
            "Ongewijzigd sinds ontvangst",
            "ja" if all(item.intact for item in written) else "NEE — zie de berichten",
        ),
    ]
    return Dossier(
        title="Bewijsdossier online agressie tegen een publieke functionaris",
        bundle_id=bundle_id,
        created_at=dutch.when(created_at),
        created_by=created_by,
        organisation=organisation,
        key_id=key_id,
        software=software,
        models=models,
        summary=_pairs(summary),
        victim=_pairs(victim),
        public_task_statement=statement,
        timeline=_pairs(_timeline(written, created_at)),
        messages=messages,
        articles=union(reports),
        disclaimer=DISCLAIMER,
        gir=_pairs(_gir(written, organisation, bundle_id, severity)),
        aftercare=aftercare(severity),
        verification=[
            "Elk bestand in dit dossier staat met grootte en SHA-256 in manifest.json.",
            f"manifest.json is ondertekend met de Ed25519-sleutel van {organisation.name} ({key_id}); "
            "de handtekening staat in manifest.sig (64 bytes) en signature.json.",
            "Controleren: `triage bundle verify DOSSIER.zip --public-key SLEUTEL.pem`, of na uitpakken: "
            "`openssl pkeyutl -verify -pubin -inkey SLEUTEL.pem -rawin -in manifest.json "
            "-sigfile manifest.sig` "
            "en `sha256sum` per bestand.",
            "De machinale beoordeling is een automatische inschatting, "
            "geen bewijs en geen oordeel van een mens.",
        ],
    )
