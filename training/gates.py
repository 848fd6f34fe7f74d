"""The gate before promotion: a candidate model against the model now in service.

Checks, each with a stated tolerance (GateConfig, the [gate] table of a training TOML):
- labels: on the fixed test split, no label's F1 drops more than `label_f1_tolerance`;
- behaviour: no case of the fixed behaviour suite that the current model passes newly fails
  (more than `behaviour_tolerance` cases);
- identity: per identity term, the false-positive rate on neutral and positive mentions rises by
  at most `fpr_tolerance` (with no model in service: stays under `max_identity_fpr`);
- gender: recall on attacks aimed at women is not lower than on attacks aimed at men by more than
  `gender_gap_tolerance` (absolute, whatever the current model does).
`decide` is a pure function of two assessments; `assess` measures one model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from training.behaviour import run_behaviour
from training.bias import bias_metrics
from training.corpus import Example
from training.evaluate import evaluate
from triage.engine import Engine
from triage.engine.labels import LABELS

GATE_FILE: Final = "gate.json"
ASSESSMENT_FILE: Final = "assessment.json"


@dataclass(frozen=True, slots=True)
class GateConfig:
    label_f1_tolerance: float = 0.02
    behaviour_tolerance: int = 0
    fpr_tolerance: float = 0.05
    max_identity_fpr: float = 0.5
    gender_gap_tolerance: float = 0.05
    min_behaviour_pass_rate: float = 0.8  # only when there is no model in service

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GateConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown gate settings: {', '.join(sorted(unknown))}")
        return cls(**{key: type(getattr(cls(), key))(value) for key, value in data.items()})


def assess(engine: Engine, test_examples: Sequence[Example]) -> dict[str, Any]:
    """What the gate compares: per-label F1 on the test split, the behaviour suite, bias metrics."""
    metrics = evaluate(engine, test_examples).metrics()
    return {
        "model": {"name": engine.model_info.name, "version": engine.model_info.version},
        "test_n": len(test_examples),
        "label_f1": {label: metrics["labels"][label]["f1"] for label in LABELS if "labels" in metrics},
        "label_support": {
            label: metrics["labels"][label]["support"] for label in LABELS if "labels" in metrics
        },
        "behaviour": run_behaviour(engine),
        "bias": bias_metrics(engine, test_examples),
    }


def _check(name: str, passed: bool, candidate: Any, baseline: Any, rule: str) -> dict[str, Any]:
    return {"name": name, "passed": passed, "candidate": candidate, "baseline": baseline, "rule": rule}


def decide(candidate: dict[str, Any], baseline: dict[str, Any] | None, config: GateConfig) -> dict[str, Any]:
    checks: list[dict[str, Any]] = []
    for label, f1 in candidate["label_f1"].items():
        if not candidate["label_support"].get(label):
            continue
        if baseline is None or label not in baseline["label_f1"]:
            checks.append(_check(f"label_f1:{label}", True, f1, None, "no model in service"))
            continue
        before = baseline["label_f1"][label]
        checks.append(
            _check(
                f"label_f1:{label}",
                f1 >= before - config.label_f1_tolerance - 1e-9,
                f1,
                before,
                f">= baseline - {config.label_f1_tolerance}",
            )
        )
    behaviour = candidate["behaviour"]
    if baseline is None:
        rate = behaviour["passed"] / max(behaviour["total"], 1)
        checks.append(
            _check(
                "behaviour",
                rate >= config.min_behaviour_pass_rate,
                rate,
                None,
                f">= {config.min_behaviour_pass_rate}",
            )
        )
    else:
        newly = sorted(set(behaviour["failures"]) - set(baseline["behaviour"]["failures"]))
        checks.append(
            _check(
                "behaviour",
                len(newly) <= config.behaviour_tolerance,
                {"passed": behaviour["passed"], "total": behaviour["total"], "newly_failing": newly},
                {"passed": baseline["behaviour"]["passed"], "total": baseline["behaviour"]["total"]},
                f"at most {config.behaviour_tolerance} newly failing cases",
            )
        )
    for term, values in candidate["bias"]["identity_fpr"].items():
        fpr = values["fpr"]
        if fpr is None:
            continue
        before = None if baseline is None else baseline["bias"]["identity_fpr"].get(term, {}).get("fpr")
        if before is None:
            limit, rule = config.max_identity_fpr, f"<= {config.max_identity_fpr}"
        else:
            limit, rule = before + config.fpr_tolerance, f"<= baseline + {config.fpr_tolerance}"
        checks.append(_check(f"identity_fpr:{term}", fpr <= limit + 1e-9, fpr, before, rule))
    gap = candidate["bias"]["gender_recall"]["gap"]
    if gap is not None:
        before_gap = None if baseline is None else baseline["bias"]["gender_recall"]["gap"]
        checks.append(
            _check(
                "gender_recall_gap",
                gap <= config.gender_gap_tolerance + 1e-9,
                gap,
                before_gap,
                f"recall(men) - recall(women) <= {config.gender_gap_tolerance}",
            )
        )
    failed = [check["name"] for check in checks if not check["passed"]]
    return {
        "passed": not failed,
        "failed": failed,
        "candidate": candidate["model"],
        "baseline": None if baseline is None else baseline["model"],
        "tolerances": asdict(config),
        "checks": checks,
    }


def run_gate(
    candidate: Engine, baseline: Engine | None, test_examples: Sequence[Example], config: GateConfig
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the gate's verdict, the candidate's assessment)."""
    mine = assess(candidate, test_examples)
    theirs = assess(baseline, test_examples) if baseline is not None else None
    return decide(mine, theirs, config), mine


def write_gate(folder: Path, verdict: dict[str, Any], assessment: dict[str, Any]) -> None:
    (folder / GATE_FILE).write_text(
        json.dumps(verdict, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / ASSESSMENT_FILE).write_text(
        json.dumps(assessment, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_gate(folder: Path) -> dict[str, Any] | None:
    path = folder / GATE_FILE
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def gate_lines(verdict: dict[str, Any]) -> list[str]:
    """Readable lines, for the CLI and the model card."""
    baseline = verdict["baseline"]
    against = f"against {baseline['name']} {baseline['version']}" if baseline else "(no model in service)"
    lines = [f"gate {'PASSED' if verdict['passed'] else 'FAILED'} {against}"]
    for check in verdict["checks"]:
        mark = "ok  " if check["passed"] else "FAIL"
        lines.append(
            f"  {mark} {check['name']}: {_short(check['candidate'])} vs {_short(check['baseline'])} ({check['rule']})"
        )
    return lines


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_short(v)}" for k, v in value.items())
    return str(value)
