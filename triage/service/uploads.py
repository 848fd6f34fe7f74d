"""Uploaded files: size limits and the type decided by the content's magic bytes, never by the name."""

from __future__ import annotations

from typing import Final

from triage.errors import PayloadTooLarge, UnsupportedMediaType

IMAGE_TYPES: Final = frozenset({"image/png", "image/jpeg", "image/webp"})
ALLOWED: Final = IMAGE_TYPES | {"application/pdf", "message/rfc822"}
_EML_HEADERS: Final = (
    b"from:",
    b"to:",
    b"subject:",
    b"date:",
    b"received:",
    b"return-path:",
    b"message-id:",
    b"mime-version:",
    b"delivered-to:",
    b"content-type:",
    b"reply-to:",
    b"x-",
)


def sniff(content: bytes) -> str | None:
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    head = content[:2048].lstrip().lower()
    if head.startswith(_EML_HEADERS) and b"\n" in head and b"\x00" not in head:
        return "message/rfc822"
    return None


def check_upload(content: bytes, *, max_bytes: int, allowed: frozenset[str] = ALLOWED) -> str:
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"a file may be at most {max_bytes} bytes")
    if not content:
        raise UnsupportedMediaType("the file is empty")
    media_type = sniff(content)
    if media_type is None or media_type not in allowed:
        raise UnsupportedMediaType("only PNG, JPEG, WebP, PDF and .eml files are accepted")
    return media_type
