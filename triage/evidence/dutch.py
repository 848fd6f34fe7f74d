"""Dutch words for the report: labels, severities, targets, platforms, decisions, times."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LABELS = {
    "threat": "bedreiging",
    "incitement": "oproep tot geweld",
    "doxxing": "doxing",
    "sexual": "seksuele intimidatie",
    "identity_hate": "haat om identiteit",
    "insult": "belediging",
    "profanity": "grof taalgebruik",
}
SEVERITIES = {"critical": "kritiek", "high": "hoog", "medium": "middel", "low": "laag", "none": "geen"}
TARGETS = {
    "person": "de persoon",
    "office": "het ambt",
    "group": "een groep",
    "none": "niemand in het bijzonder",
}
PLATFORMS = {
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "email": "e-mail",
    "other": "overig",
}
DECISIONS = {
    "confirm": "bevestigd",
    "correct": "gecorrigeerd",
    "dismiss": "afgewezen",
    "escalate": "geëscaleerd",
}
FOLLOW_UPS = {
    "gir": "Geregistreerd in GIR",
    "police": "Aangifte bij de politie",
    "platform": "Gemeld bij het platform",
    "internal": "Interne melding",
    "not_reported": "Niet gemeld",
}
GIR_KINDS = {
    "threat": "Bedreiging",
    "doxxing": "Doxing / verspreiden van persoonsgegevens",
    "incitement": "Opruiing / oproep tot geweld",
    "sexual": "Seksuele intimidatie",
    "identity_hate": "Discriminatie",
    "insult": "Belediging",
    "profanity": "Verbale agressie",
}
UNKNOWN = "onbekend"


def _amsterdam() -> ZoneInfo | None:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:
        return None


def utc_iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"a naive datetime has no time zone: {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def when(moment: datetime | None) -> str:
    """'2025-03-01 14:02:11 UTC (15:02:11 Nederlandse tijd)', or 'onbekend'."""
    if moment is None:
        return UNKNOWN
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%d %H:%M:%S UTC")
    zone = _amsterdam()
    if zone is not None:
        local = moment.astimezone(zone)
        text += f" ({local.strftime('%d-%m-%Y %H:%M:%S')} Nederlandse tijd)"
    return text


def visible(text: str) -> str:
    """Control and format characters (RTL overrides, zero-width) made visible as ⟨U+202E⟩."""
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in "\n\t":
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            out.append(f"⟨U+{ord(char):04X}⟩")
        else:
            out.append(char)
    return "".join(out)


def hidden_characters(text: str) -> list[str]:
    found = dict.fromkeys(
        f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip()
        for c in text
        if c not in "\n\t\r" and unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
    )
    return list(found)
