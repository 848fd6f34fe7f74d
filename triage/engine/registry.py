"""Where models live: `models/<name>/<version>/`, which version is current, and how it got there.

A family folder `models/<name>/` holds one folder per version, the `CURRENT` pointer (one line: the
version) and `HISTORY.jsonl`, an append-only log of every promotion and rollback (who, when,
from which version, the gate's verdict, whether it was forced and why). `CURRENT` is replaced
atomically, so a reader sees the old version or the new one, never half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from triage.errors import Conflict, NotFound

REPOSITORY: Final = Path(__file__).resolve().parents[2]
MODELS_DIR: Final = REPOSITORY / "models"
DEFAULT_NAME: Final = "triage-nl"
CURRENT_FILE: Final = "CURRENT"
HISTORY_FILE: Final = "HISTORY.jsonl"
CONFIG_FILE: Final = "config.json"


def default_model_dir() -> Path:
    """`TRIAGE_MODEL_DIR` when set; otherwise the version named in models/triage-nl/CURRENT."""
    configured = os.environ.get("TRIAGE_MODEL_DIR")
    if configured:
        return Path(configured)
    family = MODELS_DIR / DEFAULT_NAME
    current = family / CURRENT_FILE
    if current.is_file():
        return family / current.read_text(encoding="utf-8").strip()
    return family


@dataclass(frozen=True, slots=True)
class Registry:
    """One model family: `root/name/<version>/`, `root/name/CURRENT`, `root/name/HISTORY.jsonl`."""

    root: Path = MODELS_DIR
    name: str = DEFAULT_NAME

    @property
    def family(self) -> Path:
        return self.root / self.name

    @property
    def pointer(self) -> Path:
        return self.family / CURRENT_FILE

    def folder(self, version: str) -> Path:
        if not version or "/" in version or "\\" in version or version.startswith("."):
            raise NotFound(f"{version!r} is not a model version")
        return self.family / version

    def versions(self) -> list[str]:
        if not self.family.is_dir():
            return []
        found = [p.name for p in self.family.iterdir() if (p / CONFIG_FILE).is_file()]
        return sorted(found, key=_version_key)

    def current(self) -> str | None:
        try:
            value = self.pointer.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return value or None

    def current_dir(self) -> Path:
        version = self.current()
        if version is None:
            raise NotFound(f"{self.family} has no {CURRENT_FILE}: promote a version first")
        return self.folder(version)

    def history(self) -> list[dict[str, Any]]:
        path = self.family / HISTORY_FILE
        if not path.is_file():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def lineage(self) -> list[str]:
        """The versions that were current, oldest first: promotions push, rollbacks pop."""
        stack: list[str] = []
        for entry in self.history():
            if entry["action"] == "promote":
                stack.append(entry["version"])
            elif entry["action"] == "rollback" and stack:
                stack.pop()
        current = self.current()
        if current is not None and (not stack or stack[-1] != current):
            stack.append(current)  # a pointer set by hand, or before there was a history
        return stack

    def rollback_target(self) -> str | None:
        stack = self.lineage()
        return stack[-2] if len(stack) >= 2 else None

    def promote(
        self,
        version: str,
        *,
        actor: str,
        gate: dict[str, Any] | None = None,
        forced: bool = False,
        reason: str | None = None,
    ) -> dict[str, Any]:
        if not (self.folder(version) / CONFIG_FILE).is_file():
            raise NotFound(f"{self.folder(version)} is not a model folder")
        return self._move("promote", version, actor=actor, gate=gate, forced=forced, reason=reason)

    def rollback(self, *, actor: str, reason: str | None = None) -> dict[str, Any]:
        target = self.rollback_target()
        if target is None:
            raise Conflict(f"{self.name} has no earlier version to roll back to")
        return self._move("rollback", target, actor=actor, gate=None, forced=False, reason=reason)

    def _move(
        self,
        action: str,
        version: str,
        *,
        actor: str,
        gate: dict[str, Any] | None,
        forced: bool,
        reason: str | None,
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "action": action,
            "version": version,
            "previous": self.current(),
            "actor": actor,
            "forced": forced,
        }
        if reason:
            entry["reason"] = reason
        if gate is not None:
            entry["gate"] = gate
        if entry["previous"] is not None and not self.history():
            # Record the starting point, so that a rollback can return to it.
            self._append({**entry, "action": "promote", "version": entry["previous"], "previous": None})
        self._append(entry)
        _atomic_write(self.pointer, version + "\n")
        return entry

    def _append(self, entry: dict[str, Any]) -> None:
        self.family.mkdir(parents=True, exist_ok=True)
        with (self.family / HISTORY_FILE).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    parts = version.replace("-", ".").replace("+", ".").split(".")
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
