"""The admin's Modellen page: the registry's versions with their test figures and stored gate verdict,
which one is current and which one this server answers with. Built on `model_admin.models_overview`
(what `GET /api/v1/models` returns), plus the per-label figures from each version's metrics.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.engine.labels import LABELS
from triage.service import model_admin
from triage.service.live_model import LiveClassifier


@dataclass(frozen=True, slots=True)
class Figures:
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True, slots=True)
class VersionView:
    version: str
    current: bool
    serving: bool
    attack: Figures | None
    macro_f1: float | None
    auroc: float | None
    labels: dict[str, Figures]
    gate: dict[str, Any] | None  # passed, failed (check names), baseline (version)


@dataclass(frozen=True, slots=True)
class ModelsView:
    name: str
    current: str | None
    serving: str
    last_error: str | None
    rollback_to: str | None
    versions: list[VersionView]
    history: list[dict[str, Any]]  # newest first


def _figures(table: dict[str, Any] | None) -> Figures | None:
    if not table:
        return None
    return Figures(table.get("precision"), table.get("recall"), table.get("f1"))


def _test_metrics(folder: Path) -> dict[str, Any]:
    path = folder / "metrics.json"
    if not path.is_file():
        return {}
    try:
        test = json.loads(path.read_text(encoding="utf-8")).get("test", {})
    except (OSError, ValueError):
        return {}
    return test if isinstance(test, dict) else {}


def models_view(live: LiveClassifier) -> ModelsView:
    overview = model_admin.models_overview(live)
    versions = []
    for entry in overview["versions"]:
        test = _test_metrics(live.registry.folder(entry["version"]))
        labels = {label: _figures(test.get("labels", {}).get(label)) for label in LABELS}
        attack = test.get("attack") or {}
        versions.append(
            VersionView(
                version=entry["version"],
                current=entry["version"] == overview["current"],
                serving=entry["version"] == overview["serving"],
                attack=_figures(attack),
                macro_f1=entry.get("macro_f1"),
                auroc=attack.get("auroc"),
                labels={label: figures for label, figures in labels.items() if figures is not None},
                gate=entry.get("gate"),
            )
        )
    return ModelsView(
        name=overview["name"],
        current=overview["current"],
        serving=overview["serving"],
        last_error=overview["last_error"],
        rollback_to=live.registry.rollback_target(),
        versions=list(reversed(versions)),  # newest first
        history=list(reversed(overview["history"])),
    )
