"""Small JPEG previews of screenshots for the PDF. The originals stay untouched in the archive.

Hostile images are expected: a decompression bomb or a broken file yields no preview and a note.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 30_000_000  # a long scrolling screenshot (1290 x 20000) still gets a preview
MAX_SIDE = 1400
QUALITY = 80


def make_preview(source: Path | bytes) -> tuple[bytes | None, str]:
    """(JPEG bytes, '') or (None, why not)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source if isinstance(source, Path) else io.BytesIO(source)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        None,
                        f"Geen voorbeeld: afbeelding te groot ({width}×{height} pixels); zie het bestand.",
                    )
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
                image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
                rgb = image.convert("RGB")
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        return (
            None,
            f"Geen voorbeeld: het bestand is geen leesbare afbeelding ({type(exc).__name__}); "
            "zie het bestand.",
        )
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=QUALITY, optimize=False)
    return out.getvalue(), ""
