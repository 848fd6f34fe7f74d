"""The engine the service answers with, swapped for a newly promoted one without downtime.

Every call takes the engine reference once and uses it to the end, so a request that started on
the old model finishes on it; the swap itself is a single attribute assignment. At most every
`check_seconds` a request looks at the registry's CURRENT pointer (one small file read); when it
names another version, the new engine loads in a background thread while requests go on with the
old one, then takes over. `reload()` does the same synchronously (the admin endpoint, tests).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from triage.engine.registry import Registry
from triage.engine.verdict import ModelInfo, Verdict
from triage.ports import Classifier

log = logging.getLogger(__name__)

Loader = Callable[[Path], Classifier]


def _load_engine(folder: Path) -> Classifier:
    from triage.engine import Engine

    return Engine.load(folder)


class LiveClassifier:
    def __init__(
        self, registry: Registry, *, check_seconds: float = 2.0, loader: Loader = _load_engine
    ) -> None:
        self.registry = registry
        self.check_seconds = check_seconds
        self._loader = loader
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None
        self._checked_at = time.monotonic()
        self.version = registry.current() or ""
        self.engine: Classifier = loader(registry.current_dir())
        self.last_error: str | None = None
        self._failed: str | None = None

    @property
    def model_info(self) -> ModelInfo:
        return self.engine.model_info

    def classify(self, text: str, recipient: str | None = None) -> Verdict:
        self._maybe_refresh()
        engine = self.engine
        return engine.classify(text, recipient=recipient)

    def classify_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        self._maybe_refresh()
        engine = self.engine
        return engine.classify_many(texts, recipients)

    def reload(self) -> ModelInfo:
        """Load the version CURRENT names now (if it is not the loaded one) and swap it in."""
        wanted = self.registry.current()
        if wanted and wanted != self.version:
            self._swap(wanted)
        return self.model_info

    def _maybe_refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self.check_seconds:
            return
        self._checked_at = now
        wanted = self.registry.current()
        if not wanted or wanted in (self.version, self._failed):
            return
        with self._lock:
            if self._loading is not None and self._loading.is_alive():
                return
            self._loading = threading.Thread(
                target=self._swap_quietly, args=(wanted,), name="triage-model-load", daemon=True
            )
            self._loading.start()

    def _swap_quietly(self, version: str) -> None:
        try:
            self._swap(version)
        except Exception as exc:  # keep serving the old model; the error is shown by GET /models
            self.last_error = f"{version}: {exc}"
            self._failed = version
            log.exception("loading model %s failed; still serving %s", version, self.version)

    def _swap(self, version: str) -> None:
        engine = self._loader(self.registry.folder(version))
        with self._lock:
            self.engine = engine
            self.version = version
            self.last_error = None
            self._failed = None
        log.info("now serving model %s %s", engine.model_info.name, engine.model_info.version)
