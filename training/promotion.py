"""Promotion with the gate enforced: a version becomes current only when its gate passed, or when
an operator forces it with a stated reason (recorded in the registry's history).

The gate in the model folder (gate.json, written by training) counts when it was computed against
the version that is current now; otherwise it is run again here, on the corpus test split.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from training import corpus
from training.corpus import Example
from training.gates import GateConfig, read_gate, run_gate, write_gate
from triage.engine import Engine
from triage.engine.analyzer import Analyzer
from triage.engine.registry import Registry
from triage.errors import Conflict, InvalidInput


def fresh_gate(
    registry: Registry, version: str, test_examples: Sequence[Example] | None = None
) -> dict[str, Any]:
    """The candidate's gate against the current version: the stored one if still valid, else run now."""
    folder = registry.folder(version)
    stored = read_gate(folder)
    current = registry.current()
    baseline_version = (stored or {}).get("baseline", {}) or {}
    if stored is not None and baseline_version.get("version") == current:
        return stored
    config = GateConfig(**stored["tolerances"]) if stored else GateConfig()
    examples = list(test_examples) if test_examples is not None else corpus.load_split("test")
    analyzer = Analyzer.build()
    candidate = Engine.load(folder, analyzer=analyzer)
    baseline = None
    if current is not None and current != version and registry.folder(current).is_dir():
        baseline = Engine.load(registry.folder(current), analyzer=analyzer)
    verdict, assessment = run_gate(candidate, baseline, examples, config)
    if baseline is not None:  # name it as the registry does, whatever its config says
        verdict["baseline"] = {"name": registry.name, "version": current}
    write_gate(folder, verdict, assessment)
    return verdict


def gate_summary(verdict: dict[str, Any]) -> dict[str, Any]:
    baseline = verdict.get("baseline") or {}
    return {"passed": verdict["passed"], "failed": verdict["failed"], "baseline": baseline.get("version")}


def promote(
    registry: Registry,
    version: str,
    *,
    actor: str,
    force: bool = False,
    reason: str | None = None,
    test_examples: Sequence[Example] | None = None,
) -> dict[str, Any]:
    if version == registry.current():
        raise Conflict(f"{registry.name} {version} is already current")
    if force and not (reason or "").strip():
        raise InvalidInput("a forced promotion needs a reason (--reason)")
    verdict = fresh_gate(registry, version, test_examples)
    if not verdict["passed"] and not force:
        raise Conflict(
            f"the gate failed for {registry.name} {version} ({', '.join(verdict['failed'])}); "
            "see gate.json, or force it with a reason"
        )
    return registry.promote(
        version,
        actor=actor,
        gate=gate_summary(verdict),
        forced=force and not verdict["passed"],
        reason=reason,
    )


def model_summary(folder: Path) -> dict[str, Any]:
    """Figures for `triage models list`: test attack macro-F1 and the stored gate's verdict."""
    import json

    summary: dict[str, Any] = {"macro_f1": None, "gate": None}
    metrics = folder / "metrics.json"
    if metrics.is_file():
        test = json.loads(metrics.read_text(encoding="utf-8")).get("test", {})
        summary["macro_f1"] = test.get("attack", {}).get("macro_f1")
    stored = read_gate(folder)
    if stored is not None:
        summary["gate"] = gate_summary(stored)
    return summary
