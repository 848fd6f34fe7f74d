"""Loaders for labelled corpora in known formats: the project's JSONL and the IMSyPP CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from training.corpus import CorpusError, Example, read_jsonl

# IMSyPP hate types: 0 appropriate, 1 inappropriate, 2 offensive, 3 violent.
_IMSYPP_SEVERITY = {0: "none", 1: "none", 2: "low", 3: "high"}


def read_imsypp_csv(path: Path) -> list[Example]:
    """IMSyPP-NL rows (uri, doc, type, target) as examples with a coarse gold.

    Offensive (2) becomes an `insult` of severity low, violent (3) a `threat` of severity high;
    only the attack/no-attack distinction and 'violent' are exact.
    """
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                kind = int(row["type"].strip()[0])
                text = row["doc"]
            except (KeyError, ValueError, IndexError, AttributeError) as exc:
                raise CorpusError(f"{path.name}:{number}: not an IMSyPP row ({exc})") from exc
            labels: tuple[str, ...] = {2: ("insult",), 3: ("threat",)}.get(kind, ())
            examples.append(
                Example(
                    id=f"imsypp-{number}",
                    text=text,
                    labels=labels,
                    severity=_IMSYPP_SEVERITY.get(kind, "none"),
                    target="none",
                    kind="attack" if labels else "benign",
                    source="imsypp",
                )
            )
    return examples


def read_labelled(path: Path, fmt: str | None = None) -> list[Example]:
    """Read a labelled file; the format is `jsonl` or `imsypp`, or guessed from the suffix."""
    fmt = fmt or ("imsypp" if path.suffix.lower() == ".csv" else "jsonl")
    if fmt == "jsonl":
        return read_jsonl(path)
    if fmt == "imsypp":
        return read_imsypp_csv(path)
    raise CorpusError(f"unknown format {fmt!r}; expected jsonl or imsypp")
