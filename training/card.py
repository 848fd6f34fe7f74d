"""The model card (README.md in the model folder), generated from the training run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from training.bias import bias_lines
from training.data import Dataset
from training.gates import gate_lines
from triage.engine.labels import LABELS
from triage.engine.model_io import ModelConfig

_BACKENDS = {
    "sklearn-linear": (
        "A linear scikit-learn classifier (TF-IDF char 2-5-grams and lemma 1-2-grams, plus the rule and "
        "lexicon evidence of the triage engine) with one Platt-calibrated logistic head per label and a "
        "softmax head for the target."
    ),
    "transformer": (
        "A fine-tuned transformer (sequence classification: seven sigmoid label outputs and four "
        "target outputs; base checkpoint in config.json)."
    ),
}


def _metric_rows(metrics: dict[str, Any]) -> list[str]:
    rows = ["| label | precision | recall | F1 | AUROC | ECE | support |", "|---|---|---|---|---|---|---|"]
    calibration = metrics.get("calibration", {})
    for label in LABELS:
        values = metrics.get("labels", {}).get(label)
        if values:
            ece = calibration.get(label, {}).get("ece")
            rows.append(
                f"| {label} | {values['precision']:.3f} | {values['recall']:.3f} | {values['f1']:.3f} "
                f"| {_fmt(values['auroc'])} | {_fmt(ece)} | {values['support']} |"
            )
    attack = metrics["attack"]
    rows.append(
        f"| any attack | {attack['precision']:.3f} | {attack['recall']:.3f} | {attack['f1']:.3f} "
        f"| {_fmt(attack['auroc'])} | | macro-F1 {attack['macro_f1']:.3f} |"
    )
    return rows


def _subgroup_rows(metrics: dict[str, Any]) -> list[str]:
    rows = ["| language | messages | attacks | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    for group, values in metrics.get("by_lang", {}).items():
        rows.append(
            f"| {group} | {values['n']} | {values['attacks']} | {values['precision']:.3f} "
            f"| {values['recall']:.3f} | {values['f1']:.3f} |"
        )
    return rows


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def write_model_card(
    folder: Path,
    config: ModelConfig,
    metrics: dict[str, Any],
    dataset: Dataset,
    assessment: dict[str, Any],
    gate: dict[str, Any],
) -> None:
    label_counts = Counter(label for e in dataset.train for label in e.labels)
    kinds = Counter(e.kind for e in dataset.train)
    thresholds = ", ".join(f"{label} {config.thresholds[label]:.3f}" for label in LABELS)
    sources = [
        f"- {s['path']} ({s['format']}): {s['examples']} examples"
        + (f", counted {s['repeat']} times" if s.get("repeat", 1) > 1 else "")
        + (f", {s['dropped_held_out']} dropped as they are in dev/test" if s.get("dropped_held_out") else "")
        for s in dataset.sources
    ]
    behaviour = assessment["behaviour"]
    lines = [
        f"# Model card: {config.name} {config.version}",
        "",
        _BACKENDS.get(config.backend, config.backend),
        "The engine combines it with its rules, severity rubric and legal indications; see the project README.",
        "",
        "## Intended use",
        "Triage of messages that Dutch public officials forward: rank what support staff should read",
        "first and explain why. Every verdict is a machine assessment for a human reviewer.",
        "",
        "## Out-of-scope use",
        "Automatic removal, moderation or sanctions without human review; judging whether a message is",
        "a criminal offence (the legal indications are pointers for staff, not legal advice); profiling",
        "authors; languages other than Dutch (English is scored, less well).",
        "",
        "## Training data",
        f"{len(dataset.train)} training examples (after repetition), from:",
        *sources,
        "",
        "Dev and test are the fixed splits of the project's corpus (data/corpus, see its DATACARD.md).",
        "Reviewed labels come from support staff's confirmed and corrected decisions, exported with",
        "their provenance (report, review, reviewer, model version that made the verdict).",
        "Labels in training: " + ", ".join(f"{label} {label_counts.get(label, 0)}" for label in LABELS) + ".",
        "Kinds: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())) + ".",
        f"Seed {config.extra.get('training', {}).get('seed')}; thresholds tuned on the dev split: {thresholds}.",
        "",
        f"## Figures on the corpus test split ({metrics['test']['n']} messages)",
        *_metric_rows(metrics["test"]),
        "",
        "Per language variety (any attack):",
        "",
        *_subgroup_rows(metrics["test"]),
        "",
        "Plots: [PR curves](plots/test/pr_curves.png), [severity confusion](plots/test/severity_confusion.png),",
        "[calibration](plots/test/calibration.png); the same for the dev split under plots/dev/.",
        "",
        "## Bias",
        "False-positive rate (any attack flag) on neutral and positive mentions of identity groups, from",
        "the test split and the written fixture training/bias_cases.jsonl; recall on the fixture's attacks",
        "aimed at women and at men (the model must not miss attacks on women more often).",
        "",
        *bias_lines(assessment["bias"]),
        "",
        f"Behaviour suite (training/behaviour_cases.jsonl): {behaviour['passed']} of {behaviour['total']} pass"
        + (f"; failing: {', '.join(sorted(behaviour['failures']))}." if behaviour["failures"] else "."),
        "",
        "## Gate before promotion",
        "```",
        *gate_lines(gate),
        "```",
        "Stored in gate.json (the verdict) and assessment.json (the figures); `triage models promote`",
        "refuses a model whose gate failed unless forced, and the history records who forced it and why.",
        "",
        "## Limitations",
        "- The corpus is written for the project, not sampled from real traffic: real messages are",
        "  messier, and figures on the corpus test split are higher than on real data.",
        "- Reviewed labels teach the statistical model only: a label that a rule sets (an explicit threat",
        "  pattern, a slur in the lexicon) is not removed by a reviewer's correction; change the rules.",
        "- Sarcasm, coded language and new slurs are missed until reviewed labels retrain the model.",
        "- Threats that depend on context outside the message (an earlier thread, an image) are missed.",
        "- The bias fixture is small (4 mentions per term, 12 attacks per gender): it catches large",
        "  regressions, not small differences.",
    ]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
