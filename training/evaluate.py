"""Evaluation of an engine on labelled examples: per-label P/R/F1, attack F1, severity, plots."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_curve, precision_recall_fscore_support, roc_auc_score

from training.corpus import Example
from triage.engine import Engine, Verdict
from triage.engine.labels import ATTACK_LABELS, LABELS, SEVERITIES

CALIBRATION_BINS = 10


@dataclass
class Evaluation:
    examples: list[Example]
    verdicts: list[Verdict]

    def has_label_gold(self) -> bool:
        return any(example.source != "imsypp" for example in self.examples)

    def label_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        gold = np.array([[label in e.labels for label in LABELS] for e in self.examples], dtype=bool)
        pred = np.array([[label in v.flags for label in LABELS] for v in self.verdicts], dtype=bool)
        proba = np.array([[v.labels[label] for label in LABELS] for v in self.verdicts], dtype=float)
        return gold, pred, proba

    def metrics(self) -> dict[str, Any]:
        gold_attack = np.array([bool(ATTACK_LABELS & set(e.labels)) for e in self.examples])
        pred_attack = np.array([bool(ATTACK_LABELS & set(v.flags)) for v in self.verdicts])
        scores = np.array([v.severity_score for v in self.verdicts])
        p, r, f, _ = precision_recall_fscore_support(
            gold_attack, pred_attack, average=None, labels=[False, True], zero_division=0
        )
        result: dict[str, Any] = {
            "n": len(self.examples),
            "attack": {
                "precision": float(p[1]),
                "recall": float(r[1]),
                "f1": float(f[1]),
                "macro_f1": float(np.mean(f)),
                "auroc": _auroc(gold_attack, scores),
            },
        }
        result["by_lang"] = _by_group([e.lang for e in self.examples], gold_attack, pred_attack)
        gold_levels = [e.severity for e in self.examples]
        if all(level in SEVERITIES for level in gold_levels):
            result["severity_confusion"] = {
                "levels": list(SEVERITIES),
                "matrix": _confusion([SEVERITIES.index(level) for level in gold_levels], self.verdicts),
            }
            gold_index = np.array([SEVERITIES.index(level) for level in gold_levels])
            pred_index = np.array([SEVERITIES.index(v.severity) for v in self.verdicts])
            high = gold_index >= 3
            benign = gold_index == 0
            result["high_recall"] = float(np.mean(pred_index[high] >= 3)) if high.any() else None
            result["benign_high_rate"] = float(np.mean(pred_index[benign] >= 3)) if benign.any() else None
        if self.has_label_gold():
            gold, pred, proba = self.label_matrix()
            per_label = {}
            for i, label in enumerate(LABELS):
                lp, lr, lf, _ = precision_recall_fscore_support(
                    gold[:, i], pred[:, i], average="binary", zero_division=0
                )
                per_label[label] = {
                    "precision": float(lp),
                    "recall": float(lr),
                    "f1": float(lf),
                    "support": int(gold[:, i].sum()),
                    "auroc": _auroc(gold[:, i], proba[:, i]),
                }
            result["labels"] = per_label
            result["calibration"] = {
                label: _calibration(gold[:, i], proba[:, i])
                for i, label in enumerate(LABELS)
                if gold[:, i].any()
            }
            result["attack_label_macro_f1"] = float(
                np.mean([per_label[label]["f1"] for label in LABELS if label in ATTACK_LABELS])
            )
        return result

    def write(self, folder: Path) -> dict[str, Any]:
        folder.mkdir(parents=True, exist_ok=True)
        metrics = self.metrics()
        (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        self.plot(folder, metrics)
        return metrics

    def plot(self, folder: Path, metrics: dict[str, Any]) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        figure, axis = plt.subplots(figsize=(6, 5))
        if self.has_label_gold():
            gold, _, proba = self.label_matrix()
            for i, label in enumerate(LABELS):
                if gold[:, i].any():
                    precision, recall, _ = precision_recall_curve(gold[:, i], proba[:, i])
                    axis.plot(recall, precision, label=label)
        gold_attack = np.array([bool(ATTACK_LABELS & set(e.labels)) for e in self.examples])
        if gold_attack.any():
            precision, recall, _ = precision_recall_curve(
                gold_attack, [v.severity_score for v in self.verdicts]
            )
            axis.plot(recall, precision, "k--", label="attack (severity score)")
        axis.set_xlabel("recall")
        axis.set_ylabel("precision")
        axis.set_title("Precision-recall per label")
        axis.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(folder / "pr_curves.png", dpi=100)
        plt.close(figure)
        if "calibration" in metrics:
            self.plot_calibration(folder, metrics["calibration"])
        if "severity_confusion" in metrics:
            matrix = np.array(metrics["severity_confusion"]["matrix"])
            figure, axis = plt.subplots(figsize=(5, 4.5))
            axis.imshow(matrix, cmap="Blues")
            axis.set_xticks(range(len(SEVERITIES)), SEVERITIES, rotation=30)
            axis.set_yticks(range(len(SEVERITIES)), SEVERITIES)
            axis.set_xlabel("predicted")
            axis.set_ylabel("gold")
            for (row, column), value in np.ndenumerate(matrix):
                axis.text(column, row, str(value), ha="center", va="center", fontsize=8)
            axis.set_title("Severity confusion")
            figure.tight_layout()
            figure.savefig(folder / "severity_confusion.png", dpi=100)
            plt.close(figure)

    def plot_calibration(self, folder: Path, calibration: dict[str, Any]) -> None:
        import matplotlib.pyplot as plt

        figure, axis = plt.subplots(figsize=(6, 5))
        axis.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
        for label, values in calibration.items():
            bins = [b for b in values["bins"] if b["n"]]
            axis.plot(
                [b["mean_predicted"] for b in bins],
                [b["observed"] for b in bins],
                marker="o",
                markersize=3,
                label=f"{label} (ECE {values['ece']:.3f})",
            )
        axis.set_xlabel("predicted probability")
        axis.set_ylabel("observed frequency")
        axis.set_title("Calibration (reliability) per label")
        axis.legend(fontsize=7)
        figure.tight_layout()
        figure.savefig(folder / "calibration.png", dpi=100)
        plt.close(figure)


def _calibration(gold: np.ndarray, proba: np.ndarray, bins: int = CALIBRATION_BINS) -> dict[str, Any]:
    """Reliability bins (equal width) and the expected calibration error."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(proba, edges[1:-1]), 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        predicted = float(proba[mask].mean()) if n else None
        observed = float(gold[mask].mean()) if n else None
        if n:
            ece += n / len(proba) * abs(float(predicted or 0.0) - float(observed or 0.0))
        rows.append(
            {
                "low": float(edges[b]),
                "high": float(edges[b + 1]),
                "n": n,
                "mean_predicted": predicted,
                "observed": observed,
            }
        )
    return {"ece": ece, "bins": rows}


def _by_group(groups: Sequence[str], gold: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    """Attack precision, recall and F1 per subgroup (e.g. language variety)."""
    result: dict[str, Any] = {}
    for group in sorted(set(groups)):
        mask = np.array([g == group for g in groups])
        p, r, f, _ = precision_recall_fscore_support(
            gold[mask], pred[mask], average="binary", zero_division=0
        )
        result[group] = {
            "n": int(mask.sum()),
            "attacks": int(gold[mask].sum()),
            "precision": float(p),
            "recall": float(r),
            "f1": float(f),
        }
    return result


def _auroc(gold: np.ndarray, scores: np.ndarray) -> float | None:
    return float(roc_auc_score(gold, scores)) if 0 < gold.sum() < len(gold) else None


def _confusion(gold: Sequence[int], verdicts: Sequence[Verdict]) -> list[list[int]]:
    matrix = [[0] * len(SEVERITIES) for _ in SEVERITIES]
    for level, verdict in zip(gold, verdicts, strict=True):
        matrix[level][SEVERITIES.index(verdict.severity)] += 1
    return matrix


def evaluate(engine: Engine, examples: Sequence[Example]) -> Evaluation:
    verdicts = engine.classify_many([e.text for e in examples])
    return Evaluation(list(examples), verdicts)


def summary_lines(metrics: dict[str, Any]) -> list[str]:
    attack = metrics["attack"]
    lines = [
        f"n={metrics['n']}  attack: P={attack['precision']:.3f} R={attack['recall']:.3f} "
        f"F1={attack['f1']:.3f} macro-F1={attack['macro_f1']:.3f} AUROC={_fmt(attack['auroc'])}"
    ]
    for label, values in metrics.get("labels", {}).items():
        lines.append(
            f"  {label:<14} P={values['precision']:.3f} R={values['recall']:.3f} F1={values['f1']:.3f} "
            f"support={values['support']}"
        )
    if "severity_confusion" in metrics:
        lines.append("severity confusion (rows gold, columns predicted): " + " ".join(SEVERITIES))
        for level, row in zip(SEVERITIES, metrics["severity_confusion"]["matrix"], strict=True):
            lines.append(f"  {level:<9}" + "".join(f"{value:>7}" for value in row))
    return lines


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
