"""The figures section of data/corpus/DATACARD.md, computed from the corpus itself.

usage: python -m training.datacard    (rewrites the part between the FIGURES markers)
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from training import corpus
from training.corpus_schema import ATTACK_LABELS, KINDS, LABELS, LANGS, PLATFORMS, SEVERITIES, TARGETS

CARD = corpus.CORPUS_DIR / "DATACARD.md"
BEGIN, END = "<!-- FIGURES BEGIN -->", "<!-- FIGURES END -->"


def _row(title: str, counts: Counter[str], keys: tuple[str, ...]) -> str:
    return f"| {title} | " + ", ".join(f"{key} {counts.get(key, 0)}" for key in keys) + " |"


def figures() -> str:
    raw = corpus.read_batches()
    examples = corpus.deduplicate(raw)
    splits = corpus.read_splits()
    batches = {path.stem for path in corpus.BATCHES_DIR.glob("*.jsonl")}
    without_attack = sum(1 for e in examples if not ATTACK_LABELS & set(e.labels))
    lines = [
        f"{len(examples)} messages ({len(raw) - len(examples)} exact duplicates dropped) in {len(batches)} batches; "
        f"{without_attack} ({without_attack / len(examples):.0%}) without an attack label.",
        "",
        "| | counts |",
        "|---|---|",
        _row("labels", Counter(label for e in examples for label in e.labels), tuple(LABELS)),
        _row("kind", Counter(e.kind for e in examples), KINDS),
        _row("severity", Counter(e.severity for e in examples), SEVERITIES),
        _row("target", Counter(e.target for e in examples), TARGETS),
        _row("platform", Counter(e.platform for e in examples), PLATFORMS),
        _row("language", Counter(e.lang for e in examples), LANGS),
        _row("split", Counter(splits.get(e.id, "none") for e in examples), corpus.SPLITS),
    ]
    return "\n".join(lines)


def main() -> None:
    text = CARD.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    CARD.write_text(f"{head}{BEGIN}\n{figures()}\n{END}{tail}", encoding="utf-8")
    print(Path(CARD).name, "updated")


if __name__ == "__main__":
    main()
