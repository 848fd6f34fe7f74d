"""The articles that may apply, with their elements in plain Dutch. An indication, never legal advice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from triage.evidence.model import ReportEvidence
from triage.evidence.resources import load

DISCLAIMER = (
    "Dit is een indicatie voor medewerkers en politie, geen juridisch advies. "
    "Of een artikel van toepassing is, beoordelen politie, officier van justitie en rechter."
)
_ORDER = ("285 Sr", "285d Sr", "131 Sr", "137d Sr", "137c Sr", "266 Sr", "267 Sr", "261 Sr", "262 Sr")


@dataclass(frozen=True, slots=True)
class Article:
    code: str
    title: str
    elements: tuple[str, ...]
    complaint: str


def article(code: str) -> Article | None:
    entry = load("articles.json").get(code)
    if entry is None:
        return None
    return Article(code, entry["title"], tuple(entry["elements"]), entry["complaint"])


def articles_for_labels(labels: Iterable[str], target: str, public_role: bool) -> list[str]:
    flags = set(labels)
    codes: list[str] = []
    if "threat" in flags:
        codes.append("285 Sr")
    if "doxxing" in flags:
        codes.append("285d Sr")
    if "incitement" in flags:
        codes.append("137d Sr" if target == "group" else "131 Sr")
    if flags & {"insult", "sexual"} and target != "group":
        codes.append("266 Sr")
        if public_role and target in ("person", "office"):
            codes.append("267 Sr")
    if "identity_hate" in flags:
        codes.append("137c Sr" if target == "group" else "266 Sr")
    return codes


def _normalise(code: str) -> str:
    code = code.strip()
    return code if code.endswith("Sr") else f"{code} Sr"


def indicated_articles(report: ReportEvidence) -> list[str]:
    """Articles from the reviewers' labels when they corrected them, else from the machine verdict."""
    public_role = bool(report.metadata.recipient and report.metadata.recipient.public_role)
    reviewed = any(review.labels is not None for review in report.reviews)
    codes = articles_for_labels(report.final_labels, report.final_target, public_role)
    if not reviewed and report.assessment is not None:
        codes += [
            _normalise(str(ref.get("article", ""))) for ref in report.assessment.verdict.get("legal", [])
        ]
    return _ordered(codes)


def _ordered(codes: Iterable[str]) -> list[str]:
    unique = dict.fromkeys(code for code in codes if code)
    return sorted(unique, key=lambda code: (_ORDER.index(code) if code in _ORDER else len(_ORDER), code))


def union(reports: Sequence[ReportEvidence]) -> list[Article]:
    codes = _ordered(code for report in reports for code in indicated_articles(report))
    return [found for code in codes if (found := article(code)) is not None]
