"""The Dutch report as one self-contained HTML file: every value escaped, scripts forbidden by CSP."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from triage.evidence.dossier import Dossier
from triage.evidence.dutch import visible


def _finalize(value: object) -> object:
    """Every printed string with its control characters (RTL overrides, zero-width) made visible."""
    return visible(value) if isinstance(value, str) else value


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("triage.evidence", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )


def render_html(dossier: Dossier) -> bytes:
    return _environment().get_template("report.html").render(d=dossier).encode("utf-8")
