"""Submit a job to a runner at a fixed interval, on a daemon thread that stops with the server."""

from __future__ import annotations

import threading

from triage.jobs.runner import Runner


class Every:
    def __init__(self, runner: Runner, name: str, job_id: str, interval_s: float) -> None:
        self._runner, self._name, self._job_id, self._interval = runner, name, job_id, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"every-{name}", daemon=True)

    def start(self) -> Every:
        if self._interval > 0:
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._runner.submit(self._name, self._job_id)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
