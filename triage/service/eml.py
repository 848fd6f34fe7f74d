"""A forwarded e-mail (.eml) becomes report fields plus its attachments."""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from triage.errors import InvalidInput


@dataclass(slots=True)
class ParsedEmail:
    sender: str | None
    sender_name: str | None
    subject: str | None
    date: datetime | None
    message_id: str | None
    body: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return str(part.get_content())
    part = message.get_body(preferencelist=("html",))
    if part is None:
        return ""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = _Text()
    parser.feed(str(part.get_content()))
    return " ".join(" ".join(parser.parts).split())


def parse_eml(raw: bytes) -> ParsedEmail:
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the e-mail parser raises many kinds on malformed input
        raise InvalidInput(f"not a readable e-mail: {exc}") from exc
    if not isinstance(message, EmailMessage) or not message.keys():
        raise InvalidInput("not a readable e-mail")
    name, address = email.utils.parseaddr(str(message.get("from", "")))
    date = None
    if message.get("date"):
        try:
            date = email.utils.parsedate_to_datetime(str(message["date"]))
        except (TypeError, ValueError):
            date = None
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            attachments.append((part.get_filename() or "attachment", payload))
    return ParsedEmail(
        sender=address or None,
        sender_name=name or None,
        subject=str(message.get("subject")) if message.get("subject") else None,
        date=date,
        message_id=str(message.get("message-id")) if message.get("message-id") else None,
        body=_body(message),
        attachments=attachments,
    )
