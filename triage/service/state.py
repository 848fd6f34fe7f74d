"""What the app holds while it runs: settings, database, the engine, the job runner and the token cache."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from triage.config import Settings
from triage.jobs.runner import Runner
from triage.ports import Classifier
from triage.service.auth_cache import TokenCache


@dataclass(slots=True)
class AppState:
    settings: Settings
    db: Engine
    sessions: sessionmaker[Session]
    classifier: Classifier
    runner: Runner
    tokens: TokenCache
