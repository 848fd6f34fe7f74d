"""Threshold choice on the dev split: the lowest threshold whose F1 is close to the best."""

from __future__ import annotations

import pytest

from training.train import lowest_near_best

GRID = [0.45, 0.5, 0.55, 0.6, 0.65]


@pytest.mark.parametrize(
    ("f1s", "expected"),
    [
        ([0.60, 0.62, 0.66, 0.65, 0.667], 0.55),  # 0.66 is within 0.01 of the best 0.667
        ([0.50, 0.55, 0.60, 0.65, 0.70], 0.65),  # a clear maximum is kept
        ([0.70, 0.70, 0.70, 0.70, 0.70], 0.45),  # ties go to the lowest threshold
        ([0.70, 0.65, 0.60, 0.55, 0.50], 0.45),
    ],
)
def test_lowest_threshold_near_the_best_f1(f1s: list[float], expected: float) -> None:
    assert lowest_near_best(GRID, f1s) == expected


def test_no_slack_takes_the_first_maximum() -> None:
    assert lowest_near_best(GRID, [0.60, 0.66, 0.661, 0.5, 0.5], slack=0.0) == 0.55
