"""Reviewers correct verdicts -> export -> train -> gate -> promote -> the service answers with the new
model and the reviewers' labels; a rollback restores the earlier answers. Small data, real pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from training.config import DataSource
from training.corpus_schema import record_problems
from training.gates import read_gate
from training.train import train
from triage.config import Settings
from triage.engine.labels import ATTACK_LABELS
from triage.engine.registry import Registry
from triage.service.app import create_app
from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory
from triage.store.label_export import export_reviewed

from .conftest import small_config
from .members import make_members

# Insults the small baseline model may miss: reviewers add the label to those it misses (which ones
# depends on the corpus, so the test picks them at run time).
MISSED_CANDIDATES = [
    "Met raadslid Bakker erbij zakt het gemiddelde IQ van de zaal.",
    "Jansen kan beter kippen gaan hoeden op de Veluwe.",
    "Als hersens dynamiet waren, kon die gedeputeerde zijn neus niet snuiten.",
    "Het licht brandt bij wethouder Kok, maar er is niemand thuis.",
    "Raadslid Bakker is gewoon een glibberige paling, niks meer.",
    "Minister Jansen, u bent een wandelende nul.",
    "Die gedeputeerde is een lamlendige zandzak.",
    "Wethouder De Vries is een opgeblazen kalkoen met een ambtsketen.",
    "Die griffier is een schimmige mollensnuit.",
    "Die wethouder heeft het verstand van een theezakje.",
    "Raadslid Visser, u bent een lekkende gieter vol lucht.",
]
# Neutral mentions the small baseline may flag as identity hate: reviewers remove the label from
# those it does flag (which ones depends on the corpus, so the test picks them at run time).
FALSE_ALARM_CANDIDATES = [
    "Zwarte Nederlanders worden vaker staande gehouden, dat moet de burgemeester aanpakken.",
    "Als zwarte vrouw in de politiek word je vaak niet gehoord, zei ze in het interview.",
    "De homo-emancipatienota wordt morgen besproken in de raad.",
]
CONFIRMED = ["Wat een schijnheilige kwal is die burgemeester."]


def attacks(verdict: dict[str, Any]) -> set[str]:
    return ATTACK_LABELS & set(verdict["flags"])


@pytest.mark.slow
def test_reviews_become_a_promoted_model_and_a_rollback_restores_the_old_answers(
    tmp_path: Path, registry: Registry, small_corpus: tuple[Path, Path]
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{(tmp_path / 'triage.db').as_posix()}",
        data_dir=tmp_path / "data",
        models_dir=registry.root,
        model_check_seconds=3600.0,  # the promote endpoint swaps at once; no polling needed here
    )
    db = make_db_engine(settings.effective_database_url)
    migrate.upgrade(db)
    members = make_members(settings)
    with TestClient(create_app(settings)) as client:
        overview = client.get("/api/v1/models", headers=members["reviewer"]).json()
        assert overview["current"] == overview["serving"] == "1.0.0"

        def classify(text: str) -> dict[str, Any]:
            response = client.post("/api/v1/classify", json={"text": text}, headers=members["reporter"])
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        before = {text: classify(text) for text in MISSED_CANDIDATES + FALSE_ALARM_CANDIDATES + CONFIRMED}
        # the three misses the model came closest to catching: near its threshold, so the to-label
        # queue ranks them (which ones they are depends on the corpus and the rules)
        missed = sorted(
            (t for t in MISSED_CANDIDATES if "insult" not in before[t]["flags"]),
            key=lambda t: -before[t]["labels"]["insult"],
        )[:3]
        assert missed, "the small baseline should miss some of these insults"
        false_alarms = [t for t in FALSE_ALARM_CANDIDATES if "identity_hate" in before[t]["flags"]][:1]

        reports = {}
        for text in missed + false_alarms + CONFIRMED:
            response = client.post("/api/v1/reports", json={"text": text}, headers=members["reporter"])
            assert response.status_code == 201, response.text
            reports[text] = response.json()["id"]
            assert response.json()["model"]["version"] == "1.0.0"

        to_label = client.get("/api/v1/to-label", headers=members["reviewer"])
        assert to_label.status_code == 200, to_label.text
        assert {item["report"]["id"] for item in to_label.json()} <= set(reports.values())
        assert to_label.json() and all(item["priority"] > 0 for item in to_label.json())

        corrections = {
            **{
                t: {"decision": "correct", "labels": ["insult"], "severity": "low", "target": "person"}
                for t in missed
            },
            **{
                t: {"decision": "correct", "labels": [], "severity": "none", "target": "group"}
                for t in false_alarms
            },
            **{t: {"decision": "confirm"} for t in CONFIRMED},
        }
        for text, body in corrections.items():
            response = client.post(
                f"/api/v1/reports/{reports[text]}/reviews", json=body, headers=members["reviewer"]
            )
            assert response.status_code == 201, response.text

        export = tmp_path / "reviews.jsonl"
        with make_session_factory(db)() as session, export.open("w", encoding="utf-8") as stream:
            assert export_reviewed(session, stream) == len(corrections)
        lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
        assert all(record_problems(line) == [] for line in lines)
        assert {line["provenance"]["model"]["version"] for line in lines} == {"1.0.0"}

        config = small_config(
            small_corpus, registry.root, "1.1.0", sources=[DataSource(export, "reviews", 3)]
        )
        folder = train(config)
        gate = read_gate(folder)
        assert gate is not None and gate["baseline"]["version"] == "1.0.0"
        assert gate["passed"], [c for c in gate["checks"] if not c["passed"]]

        promoted = client.post("/api/v1/models/promote", json={"version": "1.1.0"}, headers=members["admin"])
        assert promoted.status_code == 200, promoted.text
        assert promoted.json()["gate"]["passed"] and not promoted.json()["forced"]
        after = {text: classify(text) for text in before}
        assert {verdict["model"]["version"] for verdict in after.values()} == {"1.1.0"}
        for text in missed:
            assert "insult" in after[text]["flags"], (text, after[text]["labels"])
        for text in false_alarms:
            assert attacks(after[text]) == set(), (text, after[text]["labels"])
        assert "insult" in after[CONFIRMED[0]]["flags"]

        stored = client.get(f"/api/v1/reports/{reports[missed[0]]}", headers=members["reviewer"]).json()
        assert stored["model"]["version"] == "1.0.0"  # each verdict keeps the version that made it
        again = client.post("/api/v1/reports", json={"text": missed[0]}, headers=members["reporter"]).json()
        assert again["model"]["version"] == "1.1.0"

        drift = client.get("/api/v1/stats/drift?bucket=day", headers=members["reviewer"]).json()
        assert drift["model"] == "1.1.0" and drift["training"]["n"] > 0
        assert (
            drift["periods"][-1]["models"] == {"1.0.0": len(reports)}
            or "1.1.0" in drift["periods"][-1]["models"]
        )
        assert 0.0 <= drift["periods"][-1]["severity_distance"] <= 1.0

        rolled = client.post("/api/v1/models/rollback", json={"reason": "test"}, headers=members["admin"])
        assert rolled.status_code == 200 and rolled.json()["version"] == "1.0.0"
        restored = {text: classify(text) for text in before}
        for text, verdict in restored.items():
            assert verdict["model"]["version"] == "1.0.0"
            assert verdict["flags"] == before[text]["flags"] and verdict["labels"] == before[text]["labels"]
        history = client.get("/api/v1/models", headers=members["reviewer"]).json()["history"]
        assert [entry["action"] for entry in history[-2:]] == ["promote", "rollback"]
    db.dispose()
