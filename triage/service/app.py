"""The app factory. The lifespan checks the schema, loads the engine once and starts the job runner."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from triage import __version__
from triage.config import Settings, get_settings
from triage.jobs.base import JobContext
from triage.jobs.imports import ImportReports
from triage.jobs.runner import EmbeddedRunner
from triage.ports import Classifier
from triage.service import errors, headers
from triage.service.routes import (
    api_classify,
    api_imports,
    api_queue,
    api_reports,
    health,
    web_auth,
    web_pages,
)
from triage.service.state import AppState
from triage.service.web import STATIC
from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory


def _default_classifier(settings: Settings) -> Callable[[], Classifier]:
    def load() -> Classifier:
        from triage.engine import Engine

        return Engine.load(settings.model_dir)

    return load


def create_app(
    settings: Settings | None = None, classifier: Classifier | Callable[[], Classifier] | None = None
) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = make_db_engine(settings.effective_database_url)
        if settings.auto_migrate:
            migrate.upgrade(db)
        migrate.ensure_current(db)
        provider = classifier if classifier is not None else _default_classifier(settings)
        loaded = provider if isinstance(provider, Classifier) else provider()
        sessions = make_session_factory(db)
        runner = EmbeddedRunner(
            JobContext(sessions=sessions, classifier=loaded),
            {ImportReports.name: ImportReports()},
        )
        app.state.triage = AppState(
            settings=settings, db=db, sessions=sessions, classifier=loaded, runner=runner
        )
        try:
            yield
        finally:
            runner.shutdown()
            db.dispose()

    app = FastAPI(title="triage-nl", version=__version__, lifespan=lifespan)
    errors.install(app)
    headers.install(app, max_body_bytes=settings.max_import_bytes + 1024 * 1024)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (health, api_reports, api_queue, api_classify, api_imports, web_auth, web_pages):
        app.include_router(module.router)
    return app
