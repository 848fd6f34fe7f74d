"""A small corpus for training tests: every n-th message of each fixed split, in a tmp folder."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from training import corpus

# Keep every n-th message of the split; all of test, so that the small-data gate is steadier.
SHARES = {"train": 6, "dev": 3, "test": 1}


def write_small_corpus(folder: Path) -> tuple[Path, Path]:
    """(batches folder, splits file) with about 1,500 train, 370 dev and 1,150 test messages."""
    batches = folder / "batches"
    batches.mkdir(parents=True, exist_ok=True)
    lines, splits = [], ["id\tsplit"]
    for split, step in SHARES.items():
        for example in corpus.load_split(split)[::step]:
            record = asdict(example)
            record.pop("source")
            lines.append(json.dumps(record, ensure_ascii=False))
            splits.append(f"{example.id}\t{split}")
    (batches / "small.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    splits_file = folder / "splits.tsv"
    splits_file.write_text("\n".join(splits) + "\n", encoding="utf-8")
    return batches, splits_file
