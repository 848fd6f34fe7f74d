"""Fixtures shared by every test package. The engine loads once per session (the shipped model)."""

from __future__ import annotations

import pytest

from triage.engine import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load()
