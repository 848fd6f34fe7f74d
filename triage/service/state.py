"""What the app holds while it runs: settings, database, the engine and the job runner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from triage.config import Settings
from triage.jobs.runner import Runner
from triage.ports import Classifier


@dataclass(slots=True)
class AppState:
    settings: Settings
    db: Engine
    sessions: sessionmaker[Session]
    classifier: Classifier
    runner: Runner
