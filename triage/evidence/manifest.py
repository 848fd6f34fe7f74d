"""The manifest: every file's path, size and SHA-256, every message's intake SHA-256; the signed document."""

from __future__ import annotations

import json
from typing import Any, Final

FORMAT: Final = "triage-nl-evidence-bundle"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
SIGNATURE_RAW: Final = "manifest.sig"
SIGNATURE_JSON: Final = "signature.json"
TIMESTAMP: Final = "timestamp.tsr"
HTML_REPORT: Final = "rapport.html"
PDF_REPORT: Final = "rapport.pdf"
# Written after the manifest, so not listed in it; each is checked on its own by verify.
OUTSIDE_MANIFEST: Final = frozenset({MANIFEST, SIGNATURE_RAW, SIGNATURE_JSON, TIMESTAMP})


def dumps(document: Any) -> bytes:
    """Canonical enough to diff by eye: sorted keys, two-space indent, UTF-8, trailing newline."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
