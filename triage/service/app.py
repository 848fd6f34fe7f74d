"""The app factory. The lifespan checks the schema, loads the engine once and starts the job runner."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from triage import __version__
from triage.config import Settings, get_settings
from triage.engine.registry import MODELS_DIR, Registry
from triage.jobs.base import JobContext
from triage.jobs.imports import ImportReports
from triage.jobs.recovery import resume_interrupted
from triage.jobs.retention import ApplyRetention
from triage.jobs.runner import EmbeddedRunner
from triage.jobs.schedule import Every
from triage.jobs.worker import training_runner
from triage.ports import Classifier
from triage.service import errors, headers
from triage.service.auth_cache import TokenCache
from triage.service.live_model import LiveClassifier
from triage.service.observability import Metrics, RequestMetrics, TimedClassifier
from triage.service.ratelimit import BodyLimit, RateLimits
from triage.service.routes import (
    api_admin,
    api_bundles,
    api_classify,
    api_exports,
    api_imports,
    api_models,
    api_perspective,
    api_queue,
    api_reports,
    health,
    web_auth,
    web_dashboard,
    web_models,
    web_pages,
    web_users,
)
from triage.service.state import AppState
from triage.service.web import STATIC
from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory


def _default_classifier(settings: Settings) -> Callable[[], Classifier]:
    def load() -> Classifier:
        if settings.model_dir is None:  # the registry's CURRENT version, swapped when it changes
            registry = Registry(settings.models_dir or MODELS_DIR, settings.model_name)
            return LiveClassifier(registry, check_seconds=settings.model_check_seconds)
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
        app.state.models = loaded if isinstance(loaded, LiveClassifier) else None
        app.state.training_runner = training_runner(settings)
        loaded = TimedClassifier(loaded, metrics)
        sessions = make_session_factory(db)
        runner = EmbeddedRunner(
            JobContext(sessions=sessions, classifier=loaded),
            {ImportReports.name: ImportReports(), ApplyRetention.name: ApplyRetention()},
        )
        retention = Every(
            runner, ApplyRetention.name, "all", settings.retention_interval_hours * 3600
        ).start()
        tokens = TokenCache(settings.token_cache_seconds)
        tokens.watch(sessions)
        app.state.triage = AppState(
            settings=settings, db=db, sessions=sessions, classifier=loaded, runner=runner, tokens=tokens
        )
        resume_interrupted(sessions, runner)
        # The engine and the libraries leave some 400,000 long-lived objects behind; every full garbage
        # collection would walk them all (about 0.3 s, a pause for every request in flight). Collected
        # once and frozen, later collections only walk what requests allocate.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            retention.stop()
            runner.shutdown()
            app.state.training_runner.shutdown()
            db.dispose()

    app = FastAPI(title="triage-nl", version=__version__, lifespan=lifespan)
    metrics = app.state.metrics = Metrics()
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_import_bytes + 1024 * 1024)
    app.add_middleware(
        RateLimits,
        forward_per_minute=settings.forward_rate_per_minute,
        login_per_minute=settings.login_rate_per_minute,
        analyze_per_minute=settings.analyze_rate_per_minute,
        metrics=metrics,
    )
    headers.install(app, max_body_bytes=settings.max_import_bytes + 1024 * 1024)
    app.add_middleware(RequestMetrics, metrics=metrics)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (
        health,
        api_reports,
        api_bundles,
        api_admin,
        api_exports,
        api_queue,
        api_classify,
        api_imports,
        api_models,
        api_perspective,
        web_auth,
        web_pages,
        web_users,
        web_models,
        web_dashboard,
    ):
        app.include_router(module.router)
    return app
