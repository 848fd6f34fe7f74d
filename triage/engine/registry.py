"""Where models live: `models/<name>/<version>/`, and which one is the default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

REPOSITORY: Final = Path(__file__).resolve().parents[2]
MODELS_DIR: Final = REPOSITORY / "models"
DEFAULT_NAME: Final = "triage-nl"
CURRENT_FILE: Final = "CURRENT"


def default_model_dir() -> Path:
    """`TRIAGE_MODEL_DIR` when set; otherwise the version named in models/triage-nl/CURRENT."""
    configured = os.environ.get("TRIAGE_MODEL_DIR")
    if configured:
        return Path(configured)
    family = MODELS_DIR / DEFAULT_NAME
    current = family / CURRENT_FILE
    if current.is_file():
        return family / current.read_text(encoding="utf-8").strip()
    return family
