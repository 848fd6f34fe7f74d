"""The app freezes what exists after start-up (the engine's objects) out of the garbage collector."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient


def test_startup_objects_are_frozen_out_of_full_collections(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() > 10_000  # the engine alone leaves hundreds of thousands
