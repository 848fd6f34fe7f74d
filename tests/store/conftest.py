from __future__ import annotations

import pytest

from triage.engine.verdict import ModelInfo


class _Stub:
    model_info = ModelInfo("stub", "0")

    def classify(self, text: str, recipient: str | None = None) -> object:
        raise AssertionError("not called")

    def classify_many(self, texts: object, recipients: object = None) -> list[object]:
        raise AssertionError("not called")


@pytest.fixture
def classifier_stub() -> _Stub:
    return _Stub()
