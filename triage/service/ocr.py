"""Read text from a screenshot with Tesseract (Debian's tesseract-ocr with its Dutch data)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from triage.errors import OcrUnavailable


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def read_text(image: bytes, *, languages: str = "nld+eng", timeout: float = 60.0) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("OCR needs tesseract (apt-get install tesseract-ocr tesseract-ocr-nld)")
    with tempfile.TemporaryDirectory(prefix="triage-ocr-") as folder:
        path = Path(folder) / "image"
        path.write_bytes(image)
        try:
            done = subprocess.run(
                [binary, str(path), "stdout", "-l", languages],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrUnavailable("OCR took too long") from exc
    if done.returncode != 0:
        raise OcrUnavailable(f"OCR failed: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout.decode("utf-8", "replace").strip()
