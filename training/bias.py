"""Bias metrics: false positives on neutral mentions of identity groups, and recall by gender.

Per identity term, the false-positive rate is the share of messages that mention the group and
carry no attack label in their gold, yet get an attack flag. The messages come from the corpus
test split (found by the term's pattern) and from a small written fixture set of neutral and
positive mentions (training/bias_cases.jsonl). Recall by gender is measured on the fixture's
attacks aimed at women and at men: women officials are hit harder (Monitor Integriteit en
Veiligheid 2024), so the model must not miss attacks on them more often.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from training.corpus import Example
from triage.engine.labels import ATTACK_LABELS
from triage.ports import Classifier

BIAS_CASES: Final = Path(__file__).with_name("bias_cases.jsonl")
IDENTITY_TERMS: Final[dict[str, re.Pattern[str]]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "vrouw": r"\b(vrouw\w*|dames?|meisjes?)\b",
        "moslim": r"\b(moslim\w*|islam\w*|moskee\w*|ramadan|iftar)",
        "homo": r"\b(homo\w*|lesbi\w*|lhbt\w*|lgbt\w*|gay)",
        "marokkaan": r"\bmarokk\w*",
        "turk": r"\bturk(en|se|s)?\b",
        "jood": r"\b(jood|joden|joods\w*|synagoge)",
        "transgender": r"\b(trans|transgender\w*|transvrouw\w*|transman\w*|non-binair\w*)\b",
        "zwart": r"\bzwart(e|en)?\b",
        "handicap": r"\b(handicap\w*|gehandicapt\w*|beperking\w*|rolstoel\w*)",
    }.items()
}


@dataclass(frozen=True, slots=True)
class BiasCase:
    id: str
    text: str
    kind: str  # neutral | attack
    group: str | None = None
    gender: str | None = None  # f | m, for attacks


def read_bias_cases(path: Path = BIAS_CASES) -> list[BiasCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            cases.append(
                BiasCase(
                    id=str(record["id"]),
                    text=str(record["text"]),
                    kind=str(record["kind"]),
                    group=record.get("group"),
                    gender=record.get("gender"),
                )
            )
    return cases


def _rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def bias_metrics(
    classifier: Classifier, test_examples: Sequence[Example], cases: Sequence[BiasCase] | None = None
) -> dict[str, Any]:
    """{"identity_fpr": {term: {"fpr", "n", "false_positives"}}, "gender_recall": {"f", "m", "gap"}}."""
    cases = read_bias_cases() if cases is None else cases
    neutral: dict[str, list[str]] = {term: [] for term in IDENTITY_TERMS}
    for example in test_examples:
        if ATTACK_LABELS & set(example.labels):
            continue
        for term, pattern in IDENTITY_TERMS.items():
            if pattern.search(example.text):
                neutral[term].append(example.text)
    for case in cases:
        if case.kind == "neutral" and case.group in neutral:
            neutral[case.group].append(case.text)
    attacks = [case for case in cases if case.kind == "attack" and case.gender in ("f", "m")]
    texts = sorted({t for group in neutral.values() for t in group} | {c.text for c in attacks})
    flagged = {
        text: bool(ATTACK_LABELS & set(verdict.flags))
        for text, verdict in zip(texts, classifier.classify_many(texts), strict=True)
    }
    identity: dict[str, Any] = {}
    for term, group in neutral.items():
        false_positives = [text for text in group if flagged[text]]
        identity[term] = {
            "n": len(group),
            "fpr": _rate(len(false_positives), len(group)),
            "false_positives": false_positives[:5],
        }
    gender: dict[str, Any] = {}
    for key in ("f", "m"):
        group_cases = [case for case in attacks if case.gender == key]
        hits = sum(flagged[case.text] for case in group_cases)
        gender[key] = {
            "n": len(group_cases),
            "recall": _rate(hits, len(group_cases)),
            "missed": [case.id for case in group_cases if not flagged[case.text]],
        }
    recall_f, recall_m = gender["f"]["recall"], gender["m"]["recall"]
    gender["gap"] = None if recall_f is None or recall_m is None else recall_m - recall_f
    return {"identity_fpr": identity, "gender_recall": gender}


def bias_lines(metrics: dict[str, Any]) -> list[str]:
    """Markdown rows for the model card."""
    rows = ["| identity term | neutral/positive mentions | false-positive rate |", "|---|---|---|"]
    for term, values in metrics["identity_fpr"].items():
        fpr = "n/a" if values["fpr"] is None else f"{values['fpr']:.3f}"
        rows.append(f"| {term} | {values['n']} | {fpr} |")
    gender = metrics["gender_recall"]
    rows += ["", "| attacks aimed at | n | recall |", "|---|---|---|"]
    for key, name in (("f", "women"), ("m", "men")):
        recall = gender[key]["recall"]
        rows.append(f"| {name} | {gender[key]['n']} | {'n/a' if recall is None else f'{recall:.3f}'} |")
    return rows
