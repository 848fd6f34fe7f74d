"""The fixed behaviour suite (training/behaviour_cases.jsonl) that the promotion gate runs.

Each case is a Dutch message and what a good model does with it: `attack` (false: no attack label
flagged), `flags_any` (at least one of these labels flagged), `min_severity` / `max_severity`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from triage.engine.labels import ATTACK_LABELS, SEVERITIES
from triage.engine.verdict import Verdict
from triage.ports import Classifier

BEHAVIOUR_CASES: Final = Path(__file__).with_name("behaviour_cases.jsonl")


@dataclass(frozen=True, slots=True)
class BehaviourCase:
    id: str
    kind: str
    text: str
    expect: dict[str, Any]

    def problems(self, verdict: Verdict) -> list[str]:
        found: list[str] = []
        attacks = ATTACK_LABELS & set(verdict.flags)
        if self.expect.get("attack") is False and attacks:
            found.append(f"flagged {sorted(attacks)}")
        wanted = self.expect.get("flags_any")
        if wanted and not set(wanted) & set(verdict.flags):
            found.append(f"none of {wanted} flagged")
        level = SEVERITIES.index(verdict.severity)
        if "min_severity" in self.expect and level < SEVERITIES.index(self.expect["min_severity"]):
            found.append(f"severity {verdict.severity} < {self.expect['min_severity']}")
        if "max_severity" in self.expect and level > SEVERITIES.index(self.expect["max_severity"]):
            found.append(f"severity {verdict.severity} > {self.expect['max_severity']}")
        return found


def read_behaviour_cases(path: Path = BEHAVIOUR_CASES) -> list[BehaviourCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            cases.append(BehaviourCase(record["id"], record["kind"], record["text"], record["expect"]))
    return cases


def run_behaviour(classifier: Classifier, cases: Sequence[BehaviourCase] | None = None) -> dict[str, Any]:
    """{"passed": n, "total": n, "failures": {case id: [problems]}}."""
    cases = read_behaviour_cases() if cases is None else cases
    verdicts = classifier.classify_many([case.text for case in cases])
    failures = {
        case.id: problems
        for case, verdict in zip(cases, verdicts, strict=True)
        if (problems := case.problems(verdict))
    }
    return {"total": len(cases), "passed": len(cases) - len(failures), "failures": failures}
