"""Archive paths are generated; a name as given is only ever kept as data in metadata.json.

`safe_stem` turns any hostile name (`../../etc/passwd`, `C:\\x`, NUL, 10,000 characters, RTL
overrides) into a short ASCII fragment that is only there to help a human recognise the file.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 40
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "message/rfc822": ".eml",
    "text/plain": ".txt",
    "video/mp4": ".mp4",
}
_SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


def safe_stem(name: str, fallback: str = "bijlage") -> str:
    base = re.split(r"[\\/]", name.replace("\x00", ""))[-1]
    ascii_only = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem = ascii_only.rsplit(".", 1)[0] if "." in ascii_only.lstrip(".") else ascii_only
    cleaned = _UNSAFE.sub("_", stem).strip("._-")
    return cleaned[:MAX_STEM].rstrip("._-") or fallback


def safe_extension(name: str, content_type: str) -> str:
    known = _EXTENSIONS.get(content_type.split(";")[0].strip().lower())
    if known:
        return known
    base = re.split(r"[\\/]", name.replace("\x00", ""))[-1].lower()
    if "." in base.lstrip("."):
        candidate = "." + base.rsplit(".", 1)[1]
        if _SAFE_EXTENSION.fullmatch(candidate):
            return candidate
    return ".bin"


def attachment_path(folder: str, index: int, name: str, content_type: str) -> str:
    """`{folder}/attachments/{nn}-{stem}{ext}`: unique by its number, safe by construction."""
    return f"{folder}/attachments/{index:02d}-{safe_stem(name)}{safe_extension(name, content_type)}"


def report_folder(index: int, report_id: str) -> str:
    return f"reports/{index:02d}-{safe_stem(report_id, fallback='melding')}"


def is_safe_member(path: str) -> bool:
    """A ZIP member name we would have written ourselves: relative, forward slashes, no dot segments."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path or ":" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/")) and path.isascii()
