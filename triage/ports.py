"""What the service and the jobs need from the engine: the methods of `triage.engine.Engine` they call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from triage.engine.verdict import ModelInfo, Verdict


@runtime_checkable
class Classifier(Protocol):
    @property
    def model_info(self) -> ModelInfo: ...  # read-only: a live classifier's changes when a model is promoted

    def classify(self, text: str, recipient: str | None = None) -> Verdict: ...

    def classify_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Verdict]: ...


ClassifierProvider = Callable[[], Classifier]
