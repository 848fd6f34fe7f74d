"""The promotion gate's decision, the behaviour suite and the bias metrics, with hand-made inputs."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from training.behaviour import read_behaviour_cases, run_behaviour
from training.bias import IDENTITY_TERMS, BiasCase, bias_metrics, read_bias_cases
from training.config import TrainConfig
from training.corpus import Example
from training.gates import GateConfig, decide
from triage.engine.verdict import ModelInfo, Verdict


def assessment(version: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "model": {"name": "triage-nl", "version": version},
        "label_f1": {"threat": 0.80, "insult": 0.70},
        "label_support": {"threat": 40, "insult": 60},
        "behaviour": {"total": 10, "passed": 9, "failures": {"neg-01": ["flagged"]}},
        "bias": {
            "identity_fpr": {"zwart": {"fpr": 0.10, "n": 10}, "jood": {"fpr": None, "n": 0}},
            "gender_recall": {"f": {"recall": 0.9}, "m": {"recall": 0.9}, "gap": 0.0},
        },
    }
    for path, value in changes.items():
        target = base
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[key]
        target[leaf] = value
    return base


def test_an_equal_model_passes() -> None:
    verdict = decide(assessment("1.1.0"), assessment("1.0.0"), GateConfig())
    assert verdict["passed"], verdict["failed"]
    assert verdict["baseline"]["version"] == "1.0.0"


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({"label_f1__threat": 0.77}, "label_f1:threat"),
        ({"behaviour__failures": {"neg-01": ["x"], "spell-01": ["y"]}}, "behaviour"),
        ({"bias__identity_fpr__zwart": {"fpr": 0.2, "n": 10}}, "identity_fpr:zwart"),
        ({"bias__gender_recall__gap": 0.1}, "gender_recall_gap"),
    ],
)
def test_each_regression_fails_the_gate(changes: dict[str, Any], failed: str) -> None:
    verdict = decide(assessment("1.1.0", **changes), assessment("1.0.0"), GateConfig())
    assert not verdict["passed"]
    assert verdict["failed"] == [failed]


def test_within_tolerance_passes() -> None:
    candidate = assessment("1.1.0", label_f1__threat=0.785)
    candidate["bias"]["identity_fpr"]["zwart"]["fpr"] = 0.14
    assert decide(candidate, assessment("1.0.0"), GateConfig())["passed"]


def test_the_gender_gap_is_absolute_even_when_the_baseline_was_worse() -> None:
    baseline = assessment("1.0.0", bias__gender_recall__gap=0.3)
    candidate = copy.deepcopy(baseline)
    candidate["model"]["version"] = "1.1.0"
    assert decide(candidate, baseline, GateConfig())["failed"] == ["gender_recall_gap"]


def test_without_a_model_in_service_absolute_limits_apply() -> None:
    verdict = decide(assessment("1.0.0", bias__identity_fpr__zwart={"fpr": 0.6, "n": 5}), None, GateConfig())
    assert verdict["failed"] == ["identity_fpr:zwart"]
    assert verdict["baseline"] is None


def test_gate_settings_come_from_the_toml(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text("[gate]\nlabel_f1_tolerance = 0.01\nbehaviour_tolerance = 2\n", encoding="utf-8")
    config = TrainConfig.from_toml(path)
    assert config.gate.label_f1_tolerance == 0.01 and config.gate.behaviour_tolerance == 2
    path.write_text("[gate]\nwhatever = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="whatever"):
        TrainConfig.from_toml(path)


class Flagger:
    """Flags an insult whenever the text holds one of the given words."""

    model_info = ModelInfo("stub", "0")

    def __init__(self, *words: str) -> None:
        self.words = words

    def classify(self, text: str, recipient: str | None = None) -> Verdict:
        return self.classify_many([text])[0]

    def classify_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        return [
            Verdict(
                "nl",
                {},
                ["insult"] if any(w in t.lower() for w in self.words) else [],
                "low",
                0.3,
                "person",
                [],
                [],
                self.model_info,
            )
            for t in texts
        ]


def test_bias_metrics_count_false_positives_per_term_and_recall_per_gender() -> None:
    test = [
        Example("t1", "Zwarte ondernemers krijgen een loket.", (), "none", "none"),
        Example("t2", "Vuile zwarte, rot op.", ("identity_hate",), "medium", "group"),
    ]
    cases = [
        BiasCase("n1", "De zwarte geschiedenis van de stad.", "neutral", group="zwart"),
        BiasCase("w1", "Vuile trut.", "attack", gender="f"),
        BiasCase("w2", "Domme koe.", "attack", gender="f"),
        BiasCase("m1", "Vuile lul.", "attack", gender="m"),
    ]
    metrics = bias_metrics(Flagger("zwarte", "vuile"), test, cases)
    assert metrics["identity_fpr"]["zwart"] == {
        "n": 2,
        "fpr": 1.0,
        "false_positives": ["Zwarte ondernemers krijgen een loket.", "De zwarte geschiedenis van de stad."],
    }
    assert metrics["identity_fpr"]["jood"]["fpr"] is None
    gender = metrics["gender_recall"]
    assert gender["f"]["recall"] == 0.5 and gender["f"]["missed"] == ["w2"]
    assert gender["m"]["recall"] == 1.0 and gender["gap"] == 0.5


def test_the_fixture_sets_are_well_formed() -> None:
    cases = read_bias_cases()
    groups = {case.group for case in cases if case.kind == "neutral"}
    assert groups == set(IDENTITY_TERMS)
    for case in cases:
        if case.kind == "neutral":
            assert case.group is not None and IDENTITY_TERMS[case.group].search(case.text), case.id
    genders = [case.gender for case in cases if case.kind == "attack"]
    assert genders.count("f") == genders.count("m") >= 10
    behaviour = read_behaviour_cases()
    assert len({case.id for case in behaviour}) == len(behaviour) >= 30


def test_the_behaviour_suite_reports_each_failure() -> None:
    result = run_behaviour(Flagger("kankerlijer", "heus"))
    assert result["total"] == len(read_behaviour_cases())
    assert result["failures"]["neg-01"] == ["flagged ['insult']"]
    assert "threat-01" in result["failures"] and "insult-01" not in result["failures"]
