"""Loads the data files of the evidence package (articles, aftercare), once, on first use."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    return json.loads(resources.files("triage.evidence").joinpath("resources", name).read_text("utf-8"))
