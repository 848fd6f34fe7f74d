"""Cut a message into segments for display: plain text, flagged spans, and visible control characters.

Offsets are those of the verdict (Python indices into the original text). Templates escape every
segment; this module only decides where marks begin and end.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    labels: tuple[str, ...] = ()
    control: bool = False


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf") and char not in "\n\t"


def _split_controls(text: str, labels: tuple[str, ...]) -> Iterable[Segment]:
    start = 0
    for i, char in enumerate(text):
        if _is_control(char):
            if i > start:
                yield Segment(text[start:i], labels)
            yield Segment(f"U+{ord(char):04X}", labels, control=True)
            start = i + 1
    if start < len(text):
        yield Segment(text[start:], labels)


def segments(text: str, spans: Iterable[Mapping[str, Any]]) -> list[Segment]:
    cuts = {0, len(text)}
    clean: list[tuple[int, int, str]] = []
    for span in spans:
        try:
            start, end, label = int(span["start"]), int(span["end"]), str(span["label"])
        except (KeyError, TypeError, ValueError):
            continue
        start, end = max(0, start), min(len(text), end)
        if start < end:
            clean.append((start, end, label))
            cuts.update((start, end))
    bounds = sorted(cuts)
    out: list[Segment] = []
    for left, right in itertools.pairwise(bounds):
        labels = tuple(sorted({label for s, e, label in clean if s <= left and right <= e}))
        out.extend(_split_controls(text[left:right], labels))
    return out
