"""The schema of the project's corpus lines, and a validator usable from the shell.

usage: python3 -m training.corpus_schema FILE.jsonl [FILE.jsonl ...]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

LABELS = ("threat", "incitement", "doxxing", "sexual", "identity_hate", "insult", "profanity")
ATTACK_LABELS = frozenset(LABELS) - {"profanity"}
SEVERITIES = ("none", "low", "medium", "high", "critical")
TARGETS = ("person", "office", "group", "none")
PLATFORMS = ("x", "facebook", "instagram", "tiktok", "youtube", "whatsapp", "telegram", "email", "other")
LANGS = ("nl", "nl-BE", "en", "mixed")
KINDS = ("attack", "profanity", "hard_negative", "benign")
REQUIRED = ("id", "text", "labels", "severity", "target", "platform", "lang", "kind")

# The least severity each attack label implies (the rubric in ../shared/docs/domain.md).
MIN_SEVERITY = {
    "threat": "high",
    "incitement": "high",
    "doxxing": "high",
    "sexual": "medium",
    "identity_hate": "medium",
    "insult": "low",
}


def record_problems(record: Any) -> list[str]:
    """Every way in which one parsed line breaks the schema (empty when it is valid)."""
    if not isinstance(record, dict):
        return ["not a JSON object"]
    problems = [f"missing field {name!r}" for name in REQUIRED if name not in record]
    if problems:
        return problems
    text, labels = record["text"], record["labels"]
    if not isinstance(text, str) or not text.strip():
        problems.append("text must be a non-empty string")
    if not isinstance(labels, list) or any(label not in LABELS for label in labels):
        problems.append(f"labels must be a list drawn from {LABELS}")
        labels = []
    elif len(set(labels)) != len(labels):
        problems.append("labels repeat")
    for field, allowed in (
        ("severity", SEVERITIES),
        ("target", TARGETS),
        ("platform", PLATFORMS),
        ("lang", LANGS),
        ("kind", KINDS),
    ):
        if record[field] not in allowed:
            problems.append(f"{field} {record[field]!r} not in {allowed}")
    if problems:
        return problems
    attacks = ATTACK_LABELS & set(labels)
    level = SEVERITIES.index(record["severity"])
    for label in attacks:
        if level < SEVERITIES.index(MIN_SEVERITY[label]):
            problems.append(f"label {label} needs severity >= {MIN_SEVERITY[label]}")
    if attacks and record["kind"] != "attack":
        problems.append("kind must be 'attack' when an attack label is present")
    if not attacks and record["kind"] == "attack":
        problems.append("kind 'attack' needs an attack label")
    if record["kind"] == "profanity" and labels != ["profanity"]:
        problems.append("kind 'profanity' means labels == ['profanity']")
    if not attacks and level > SEVERITIES.index("low"):
        problems.append("without an attack label severity is none or low")
    if not labels and record["severity"] != "none":
        problems.append("no labels means severity none")
    return problems


def validate_file(path: Path) -> tuple[int, list[str]]:
    errors: list[str] = []
    count = 0
    ids: Counter[str] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        count += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{number}: invalid JSON ({exc})")
            continue
        for problem in record_problems(record):
            errors.append(f"{path.name}:{number}: {problem}")
        if isinstance(record, dict):
            ids[str(record.get("id"))] += 1
    errors.extend(f"{path.name}: id {key} repeats" for key, n in ids.items() if n > 1)
    return count, errors


def main(argv: list[str]) -> int:
    total, failed = 0, False
    for name in argv:
        count, errors = validate_file(Path(name))
        total += count
        for error in errors:
            print(error)
        failed |= bool(errors)
    print(f"{total} records, {'INVALID' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
