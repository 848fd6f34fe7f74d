"""The periodic submitter behind the retention job."""

from __future__ import annotations

import threading

from triage.jobs.schedule import Every


class _Runner:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.seen = threading.Event()

    def submit(self, name: str, job_id: str) -> None:
        self.calls.append((name, job_id))
        if len(self.calls) >= 2:
            self.seen.set()

    def shutdown(self) -> None:
        pass


def test_submits_at_the_interval_until_stopped() -> None:
    runner = _Runner()
    every = Every(runner, "apply_retention", "all", 0.01).start()
    assert runner.seen.wait(5)
    every.stop()
    count = len(runner.calls)
    assert runner.calls[0] == ("apply_retention", "all")
    assert not every._thread.is_alive() and len(runner.calls) == count


def test_zero_interval_never_runs() -> None:
    runner = _Runner()
    every = Every(runner, "apply_retention", "all", 0).start()
    every.stop()
    assert runner.calls == []
