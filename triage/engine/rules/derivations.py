"""A disk cache of what anchors.py derives from each regex (anchor words, required literals).

Deriving them from the parse trees of a few hundred large patterns takes seconds; the result
depends only on the regex and on anchors.py, so it is kept in a JSON file named after a hash of
anchors.py (`TRIAGE_CACHE_DIR`, default ~/.cache/triage). A missing, stale or unreadable file is
simply recomputed; nothing is ever loaded but lists of strings.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

_CODE = Path(__file__).with_name("anchors.py")
_memo: dict[str, dict[str, Any]] | None = None
_dirty = False
T = TypeVar("T")


def cache_file() -> Path:
    base = Path(os.environ.get("TRIAGE_CACHE_DIR") or Path.home() / ".cache" / "triage")
    digest = hashlib.sha256(_CODE.read_bytes()).hexdigest()[:16]
    return base / f"rule-derivations-{digest}.json"


def memoised(
    kind: str, key: str, compute: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T]
) -> T:
    """`compute()`, or its cached value while a `derivation_cache()` block is open."""
    global _dirty
    if _memo is None:
        return compute()
    table = _memo.setdefault(kind, {})
    if key in table:
        return decode(table[key])
    value = compute()
    table[key] = encode(value)
    _dirty = True
    return value


@contextmanager
def derivation_cache() -> Iterator[None]:
    global _memo, _dirty
    path = cache_file()
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        _memo = loaded if isinstance(loaded, dict) else {}
    except (OSError, ValueError):
        _memo = {}
    _dirty = False
    try:
        yield
        if _dirty:
            _save(path, _memo)
    finally:
        _memo = None


def _save(path: Path, memo: dict[str, dict[str, Any]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as handle:
            json.dump(memo, handle)
        os.replace(handle.name, path)
    except OSError:  # a read-only home: the cache is an optimisation only
        pass
