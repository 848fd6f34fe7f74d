"""Uploaded files: size limits and the type decided by the content's magic bytes, never by the name."""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image

from triage.errors import PayloadTooLarge, UnsupportedMediaType

MAX_IMAGE_PIXELS: Final = 50_000_000
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


def check_image(content: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS) -> None:
    """Reads only the image header: an unreadable image or one with more pixels than `max_pixels`
    (a decompression bomb: a small file that expands to gigabytes) is refused before OCR or previews."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
        except Image.DecompressionBombError as exc:
            raise PayloadTooLarge(f"the image has too many pixels (at most {max_pixels})") from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise UnsupportedMediaType("the image cannot be read (damaged or not an image)") from exc
    if width * height > max_pixels:
        raise PayloadTooLarge(f"the image has {width}x{height} pixels; at most {max_pixels} are accepted")


def check_upload(
    content: bytes,
    *,
    max_bytes: int,
    allowed: frozenset[str] = ALLOWED,
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> str:
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"a file may be at most {max_bytes} bytes")
    if not content:
        raise UnsupportedMediaType("the file is empty")
    media_type = sniff(content)
    if media_type is None or media_type not in allowed:
        raise UnsupportedMediaType("only PNG, JPEG, WebP, PDF and .eml files are accepted")
    if media_type in IMAGE_TYPES:
        check_image(content, max_pixels=max_pixels)
    return media_type
