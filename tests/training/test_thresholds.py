"""Threshold choice on held-out messages (the dev split and the training split out of fold): the
lowest threshold whose F1 is close to the best."""

from __future__ import annotations

import numpy as np
import pytest

from training.train import choose_thresholds, lowest_near_best
from triage.engine.labels import LABELS

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


def _rows(label: str, groups: list[tuple[float, bool, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(combined, gold) with `count` rows of (probability, gold) per group in the label's column."""
    column = LABELS.index(label)
    combined = np.zeros((sum(n for _, _, n in groups), len(LABELS)))
    gold = np.zeros(combined.shape, dtype=bool)
    row = 0
    for probability, present, count in groups:
        combined[row : row + count, column] = probability
        gold[row : row + count, column] = present
        row += count
    return combined, gold


def test_the_training_splits_out_of_fold_rows_outweigh_a_few_dev_messages() -> None:
    # On the dev split alone, 0.5 wins: the six harmless messages at 0.49 outweigh one doxxing message.
    dev = _rows("doxxing", [(0.49, False, 6), (0.49, True, 1), (0.6, True, 20)])
    assert choose_thresholds(*dev)["doxxing"] == 0.5
    # Out of fold, the training split shows that most messages at 0.49 are doxxing.
    train = _rows("doxxing", [(0.49, False, 10), (0.49, True, 100), (0.6, True, 200)])
    both = np.vstack([dev[0], train[0]]), np.vstack([dev[1], train[1]])
    assert choose_thresholds(*both)["doxxing"] == 0.45
    assert choose_thresholds(*both)["threat"] == 0.45  # no positives: the lowest threshold
