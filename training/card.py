"""The model card (README.md in the model folder), generated from the training run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from training.corpus import Example
from triage.engine.labels import LABELS
from triage.engine.model_io import ModelConfig


def _metric_rows(metrics: dict[str, Any]) -> list[str]:
    rows = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label in LABELS:
        values = metrics.get("labels", {}).get(label)
        if values:
            rows.append(
                f"| {label} | {values['precision']:.3f} | {values['recall']:.3f} | {values['f1']:.3f} "
                f"| {values['support']} |"
            )
    attack = metrics["attack"]
    auroc = "n/a" if attack["auroc"] is None else f"{attack['auroc']:.3f}"
    rows.append(
        f"| any attack | {attack['precision']:.3f} | {attack['recall']:.3f} | {attack['f1']:.3f} "
        f"| macro-F1 {attack['macro_f1']:.3f}, AUROC {auroc} |"
    )
    return rows


def write_model_card(
    folder: Path, config: ModelConfig, metrics: dict[str, Any], train_examples: Sequence[Example]
) -> None:
    label_counts = Counter(label for e in train_examples for label in e.labels)
    kinds = Counter(e.kind for e in train_examples)
    thresholds = ", ".join(f"{label} {config.thresholds[label]:.3f}" for label in LABELS)
    lines = [
        f"# Model card: {config.name} {config.version}",
        "",
        "A linear scikit-learn classifier (TF-IDF char 2-5-grams and lemma 1-2-grams, plus the rule and",
        "lexicon evidence of the triage engine) with one Platt-calibrated logistic head per label and a",
        "softmax head for the target. The engine combines it with its rules, severity rubric and legal",
        "indications; see the project README.",
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
        f"The project's own written corpus (data/corpus, see data/corpus/DATACARD.md): {len(train_examples)}"
        " training messages.",
        "Labels in training: " + ", ".join(f"{label} {label_counts.get(label, 0)}" for label in LABELS) + ".",
        "Kinds: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())) + ".",
        f"Seed {config.extra.get('training', {}).get('seed')}; thresholds tuned on the dev split: {thresholds}.",
        "",
        "## Figures on the corpus test split",
        *_metric_rows(metrics["test"]),
        "",
        "Plots: [PR curves](plots/test/pr_curves.png),",
        "[severity confusion](plots/test/severity_confusion.png); dev split under plots/dev/.",
        "",
        "## Limitations",
        "- The corpus is written for the project, not sampled from real traffic: real messages are",
        "  messier, and figures on the corpus test split are higher than on real data. The README gives",
        "  the figures on a real, held-out Dutch set (IMSyPP-NL dev), which is never used for training.",
        "- Sarcasm, coded language and new slurs are missed until reviewed labels retrain the model.",
        "- Threats that depend on context outside the message (an earlier thread, an image) are missed.",
        "",
        "## Bias",
        "- Identity words (vrouw, moslim, homo, Marokkaan, jood, transgender, zwart, ...) appear in the",
        "  corpus in neutral and positive messages as well as in attacks, so that the words alone do",
        "  not flag a message; the behaviour tests check neutral mentions are not flagged.",
        "- Attacks on women officials are the largest share of the sexual and gender-hate examples,",
        "  as in the Monitor Integriteit en Veiligheid; recall per gender is not yet measured per release.",
    ]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
