"""The job interface: a named unit of work over a stored job row, given what it needs in a context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from triage.ports import Classifier


@dataclass(frozen=True, slots=True)
class JobContext:
    sessions: sessionmaker[Session]
    classifier: Classifier


class Job(Protocol):
    name: str

    def run(self, context: JobContext, job_id: str) -> None: ...
