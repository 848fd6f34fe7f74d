"""The functional test suite (training/functional_cases.jsonl), in the style of HateCheck.

HateCheck (Röttger et al. 2021) and Multilingual HateCheck test a hate-speech model per
*functionality*: one kind of message each (derogation, slurs, negated hate, counter-speech,
spelling variations, ...), attack or not. This is the project's own Dutch set, aimed at messages
to officials: every case is written for the suite, with fictional people only.

A case is {"id", "functionality", "text", "expect": "attack" | "no_attack", "labels": [...],
"target_group"?}. A case is *correct* when the verdict's attack flags (every label but
`profanity`) are non-empty for `attack` and empty for `no_attack`. For attack cases the suite
also reports whether the expected labels are all among the flags (`labels_ok`): a threat caught
as a mere insult is still caught, but it is not the right verdict.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from triage.engine.labels import ATTACK_LABELS
from triage.ports import Classifier

FUNCTIONAL_CASES: Final = Path(__file__).with_name("functional_cases.jsonl")

Expect = Literal["attack", "no_attack"]

# functionality -> what the suite expects of every case in it.
FUNCTIONALITIES: Final[dict[str, Expect]] = {
    "derogation": "attack",
    "dehumanisation": "attack",
    "threat": "attack",
    "death_wish": "attack",
    "incitement": "attack",
    "slur": "attack",
    "profanity_hate": "attack",
    "profanity_not_hate": "no_attack",
    "pronoun_reference": "attack",
    "negated_hate": "no_attack",
    "hate_as_question_or_opinion": "attack",
    "neutral_identity": "no_attack",
    "positive_identity": "no_attack",
    "reclaimed_slur": "no_attack",
    "counter_speech_quote": "no_attack",
    "counter_speech_reference": "no_attack",
    "news_about_threats": "no_attack",
    "figurative_violence": "no_attack",
    "political_criticism": "no_attack",
    "insult_person": "attack",
    "doxxing": "attack",
    "sexual_harassment": "attack",
    "spelling_swapped_letters": "attack",
    "spelling_missing_letters": "attack",
    "spelling_no_word_boundaries": "attack",
    "spelling_added_spaces": "attack",
    "spelling_leetspeak": "attack",
    "flemish_straattaal_attack": "attack",
    "flemish_straattaal_no_attack": "no_attack",
}


class FunctionalCaseError(ValueError):
    """A case in the suite file breaks the schema."""


@dataclass(frozen=True, slots=True)
class FunctionalCase:
    id: str
    functionality: str
    text: str
    expect: Expect
    labels: tuple[str, ...] = ()
    target_group: str | None = None


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: FunctionalCase
    flags: tuple[str, ...]
    correct: bool
    labels_ok: bool | None  # attack cases only: every expected label among the flags

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "functionality": self.case.functionality,
            "text": self.case.text,
            "expect": self.case.expect,
            "labels": list(self.case.labels),
            "flags": list(self.flags),
            "correct": self.correct,
            "labels_ok": self.labels_ok,
        }


@dataclass(slots=True)
class FunctionalReport:
    model: dict[str, str]
    results: list[CaseResult] = field(default_factory=list)

    def per_functionality(self) -> dict[str, dict[str, Any]]:
        """{functionality: {"expect", "n", "correct", "accuracy", "labels_ok", "label_accuracy"}}."""
        table: dict[str, dict[str, Any]] = {}
        for name in FUNCTIONALITIES:
            rows = [r for r in self.results if r.case.functionality == name]
            if not rows:
                continue
            correct = sum(r.correct for r in rows)
            label_rows = [r for r in rows if r.labels_ok is not None]
            labels_ok = sum(bool(r.labels_ok) for r in label_rows)
            table[name] = {
                "expect": FUNCTIONALITIES[name],
                "n": len(rows),
                "correct": correct,
                "accuracy": correct / len(rows),
                "labels_ok": labels_ok if label_rows else None,
                "label_accuracy": labels_ok / len(label_rows) if label_rows else None,
            }
        return table

    def overall(self) -> dict[str, Any]:
        n = len(self.results)
        correct = sum(r.correct for r in self.results)
        by_expect: dict[str, float | None] = {}
        for expect in ("attack", "no_attack"):
            rows = [r for r in self.results if r.case.expect == expect]
            by_expect[expect] = sum(r.correct for r in rows) / len(rows) if rows else None
        label_rows = [r for r in self.results if r.labels_ok is not None]
        return {
            "n": n,
            "correct": correct,
            "accuracy": correct / n if n else None,
            "accuracy_attack": by_expect["attack"],
            "accuracy_no_attack": by_expect["no_attack"],
            "label_accuracy": (
                sum(bool(r.labels_ok) for r in label_rows) / len(label_rows) if label_rows else None
            ),
        }

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.correct]

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "overall": self.overall(),
            "functionalities": self.per_functionality(),
            "cases": [r.as_dict() for r in self.results],
        }

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


def _case(record: dict[str, Any], where: str) -> FunctionalCase:
    missing = {"id", "functionality", "text", "expect"} - record.keys()
    if missing:
        raise FunctionalCaseError(f"{where}: missing {sorted(missing)}")
    functionality, expect = record["functionality"], record["expect"]
    if functionality not in FUNCTIONALITIES:
        raise FunctionalCaseError(f"{where}: unknown functionality {functionality!r}")
    if expect not in ("attack", "no_attack"):
        raise FunctionalCaseError(f"{where}: expect must be attack or no_attack, not {expect!r}")
    if expect != FUNCTIONALITIES[functionality]:
        raise FunctionalCaseError(f"{where}: {functionality} cases are {FUNCTIONALITIES[functionality]}")
    labels = record.get("labels") or []
    if not isinstance(labels, list) or not set(labels) <= ATTACK_LABELS:
        raise FunctionalCaseError(f"{where}: labels must be attack labels, got {labels!r}")
    if expect == "attack" and not labels:
        raise FunctionalCaseError(f"{where}: an attack case names the labels it expects")
    if expect == "no_attack" and labels:
        raise FunctionalCaseError(f"{where}: a no_attack case expects no labels")
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise FunctionalCaseError(f"{where}: empty text")
    return FunctionalCase(
        id=str(record["id"]),
        functionality=functionality,
        text=text,
        expect=expect,
        labels=tuple(labels),
        target_group=record.get("target_group"),
    )


def read_functional_cases(path: Path = FUNCTIONAL_CASES) -> list[FunctionalCase]:
    """The cases, checked: known functionality, valid expect and labels, unique ids and texts."""
    cases: list[FunctionalCase] = []
    ids: set[str] = set()
    texts: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FunctionalCaseError(f"{where}: {exc}") from exc
        case = _case(record, where)
        if case.id in ids:
            raise FunctionalCaseError(f"{where}: duplicate id {case.id!r}")
        key = " ".join(case.text.casefold().split())
        if key in texts:
            raise FunctionalCaseError(f"{where}: duplicate text {case.text!r}")
        ids.add(case.id)
        texts.add(key)
        cases.append(case)
    return cases


def run_functional(classifier: Classifier, cases: Sequence[FunctionalCase] | None = None) -> FunctionalReport:
    cases = read_functional_cases() if cases is None else cases
    verdicts = classifier.classify_many([case.text for case in cases])
    info = classifier.model_info
    report = FunctionalReport(model={"name": info.name, "version": info.version})
    for case, verdict in zip(cases, verdicts, strict=True):
        flags = tuple(verdict.flags)
        attacks = ATTACK_LABELS & set(flags)
        correct = bool(attacks) == (case.expect == "attack")
        labels_ok = set(case.labels) <= attacks if case.expect == "attack" else None
        report.results.append(CaseResult(case, flags, correct, labels_ok))
    return report


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{100 * value:5.1f}%"


def functional_lines(report: FunctionalReport, failures: int = 0) -> list[str]:
    """A plain-text table per functionality, the overall figures and up to `failures` failures."""
    table = report.per_functionality()
    width = max((len(name) for name in table), default=13)
    lines = [
        f"functional suite, model {report.model['name']} {report.model['version']}",
        f"{'functionality':<{width}}  {'expect':<9}  {'n':>3}  {'accuracy':>8}  {'labels':>7}",
    ]
    for name, row in table.items():
        lines.append(
            f"{name:<{width}}  {row['expect']:<9}  {row['n']:>3}  {_pct(row['accuracy']):>8}  "
            f"{_pct(row['label_accuracy']):>7}"
        )
    overall = report.overall()
    lines.append(
        f"{'overall':<{width}}  {'':<9}  {overall['n']:>3}  {_pct(overall['accuracy']):>8}  "
        f"{_pct(overall['label_accuracy']):>7}"
    )
    lines.append(
        f"attack cases {_pct(overall['accuracy_attack']).strip()}, "
        f"no_attack cases {_pct(overall['accuracy_no_attack']).strip()}"
    )
    shown = report.failures()[:failures]
    if shown:
        lines.append("")
        lines.append(f"failures (first {len(shown)} of {len(report.failures())}):")
        for result in shown:
            got = ",".join(result.flags) or "-"
            lines.append(f"  {result.case.id} [{result.case.expect}] got {got}: {result.case.text}")
    return lines
