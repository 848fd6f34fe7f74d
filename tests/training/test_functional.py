"""The HateCheck-style functional suite: its file's schema, and no regression of the shipped model.

The baseline (functional_baseline.json next to this file) holds, per suite file, the accuracy per
functionality of the shipped model; a functionality may fall at most `margin` below it, and may
rise freely (then raise the baseline: `triage functional --cases FILE --json report.json`). The
suites are training/functional_cases.jsonl (written with the rules) and the held-out
training/functional_holdout_cases.jsonl (written without reading the rules; 6 cases per
functionality).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from training.functional import (
    FUNCTIONAL_CASES,
    FUNCTIONALITIES,
    FunctionalCaseError,
    FunctionalReport,
    functional_lines,
    read_functional_cases,
    run_functional,
)
from triage.cli import main
from triage.engine import Engine
from triage.engine.labels import ATTACK_LABELS

BASELINE = Path(__file__).with_name("functional_baseline.json")
TRAINING = FUNCTIONAL_CASES.parent
SUITES = ("functional_cases.jsonl", "functional_holdout_cases.jsonl")


@pytest.fixture(scope="module")
def report(engine: Engine) -> FunctionalReport:
    return run_functional(engine)


@pytest.fixture(scope="module")
def reports(engine: Engine, report: FunctionalReport) -> dict[str, FunctionalReport]:
    holdout = run_functional(engine, read_functional_cases(TRAINING / SUITES[1]))
    return {SUITES[0]: report, SUITES[1]: holdout}


def test_the_suite_file_follows_the_schema() -> None:
    cases = read_functional_cases()
    assert 350 <= len(cases) <= 450
    assert len({case.id for case in cases}) == len(cases)
    assert len({" ".join(case.text.casefold().split()) for case in cases}) == len(cases)
    counts = Counter(case.functionality for case in cases)
    assert set(counts) == set(FUNCTIONALITIES)
    assert all(12 <= n <= 30 for n in counts.values()), counts
    for case in cases:
        assert case.expect == FUNCTIONALITIES[case.functionality]
        assert set(case.labels) <= ATTACK_LABELS
        assert bool(case.labels) == (case.expect == "attack"), case.id


def test_the_held_out_suite_covers_every_functionality_evenly() -> None:
    cases = read_functional_cases(TRAINING / SUITES[1])
    counts = Counter(case.functionality for case in cases)
    assert set(counts) == set(FUNCTIONALITIES) and set(counts.values()) == {6}, counts
    main_texts = {" ".join(case.text.casefold().split()) for case in read_functional_cases()}
    assert not main_texts & {" ".join(case.text.casefold().split()) for case in cases}


def write_cases(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


GOOD: dict[str, Any] = {
    "id": "t-01",
    "functionality": "threat",
    "text": "ik maak je af",
    "expect": "attack",
    "labels": ["threat"],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"functionality": "sarcasm"}, "unknown functionality"),
        ({"expect": "maybe"}, "expect must be"),
        ({"expect": "no_attack", "labels": []}, "threat cases are attack"),
        ({"labels": ["profanity"]}, "labels must be attack labels"),
        ({"labels": []}, "names the labels"),
        ({"text": "  "}, "empty text"),
    ],
)
def test_the_loader_rejects_a_bad_case(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = write_cases(tmp_path / "cases.jsonl", GOOD | change)
    with pytest.raises(FunctionalCaseError, match=message):
        read_functional_cases(path)


def test_the_loader_rejects_duplicate_ids_and_texts(tmp_path: Path) -> None:
    same_id = write_cases(tmp_path / "ids.jsonl", GOOD, GOOD | {"text": "ik sla je kapot"})
    with pytest.raises(FunctionalCaseError, match="duplicate id"):
        read_functional_cases(same_id)
    same_text = write_cases(tmp_path / "texts.jsonl", GOOD, GOOD | {"id": "t-02", "text": "Ik  MAAK je af"})
    with pytest.raises(FunctionalCaseError, match="duplicate text"):
        read_functional_cases(same_text)


@pytest.mark.parametrize("suite", SUITES)
def test_no_functionality_regresses_beyond_the_margin(
    reports: dict[str, FunctionalReport], suite: str
) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    margin = baseline["margin"]
    expected = baseline["suites"][suite]
    report = reports[suite]
    table = report.per_functionality()
    assert set(expected["accuracy"]) == set(table)
    worse = {
        name: (round(table[name]["accuracy"], 3), floor)
        for name, floor in expected["accuracy"].items()
        if table[name]["accuracy"] < floor - margin
    }
    assert not worse, f"{suite}: accuracy (now, baseline) below baseline - {margin}: {worse}"
    assert report.overall()["accuracy"] >= expected["overall"] - margin


def test_the_report_scores_cases_and_prints_a_table(report: FunctionalReport) -> None:
    for result in report.results:
        attacks = ATTACK_LABELS & set(result.flags)
        assert result.correct == (bool(attacks) == (result.case.expect == "attack"))
        assert (result.labels_ok is None) == (result.case.expect == "no_attack")
    lines = functional_lines(report, failures=3)
    assert any(line.startswith("overall") for line in lines)
    assert sum(line.startswith("  ") for line in lines) == min(3, len(report.failures()))
    data = report.as_dict()
    assert data["overall"]["n"] == len(report.results) == len(data["cases"])


def test_the_cli_runs_the_suite_and_writes_json(tmp_path: Path) -> None:
    cases = write_cases(
        tmp_path / "cases.jsonl",
        GOOD,
        {
            "id": "f-01",
            "functionality": "figurative_violence",
            "text": "Ajax schiet ze aan flarden",
            "expect": "no_attack",
            "labels": [],
        },
    )
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["functional", "--cases", str(cases), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "figurative_violence" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["overall"]["n"] == 2
