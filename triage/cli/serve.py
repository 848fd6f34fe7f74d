"""`triage serve`: run the web service with uvicorn."""

from __future__ import annotations

import click

from triage.cli import main
from triage.config import get_settings
from triage.errors import TriageError
from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory


def _prepare(migrate_first: bool, base_url: str) -> None:
    """Check (or migrate) the schema before uvicorn starts; on first start print an admin login link."""
    from triage.service.bootstrap import first_admin_link

    engine = make_db_engine(get_settings().effective_database_url)
    try:
        if migrate_first:
            migrate.upgrade(engine)
        migrate.ensure_current(engine)
        with make_session_factory(engine)() as session:
            link = first_admin_link(session, base_url=base_url)
        if link:
            click.echo(
                "\nFirst start: an admin (admin@localhost) was created. Log in once with this link "
                f"(valid 24 hours), then add users with `triage users add`:\n\n    {link}\n",
                err=True,
            )
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        engine.dispose()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--migrate", "migrate_first", is_flag=True, help="Run `db upgrade` before starting.")
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, migrate_first: bool, workers: int) -> None:
    """Start the web service and API (docs at /docs)."""
    import uvicorn

    from triage.service.observability import log_config

    _prepare(migrate_first, f"http://{host}:{port}")
    settings = get_settings()
    uvicorn.run(
        "triage.service.app:create_app",
        host=host,
        port=port,
        workers=workers,
        factory=True,
        log_level=settings.log_level.lower(),
        log_config=log_config(settings.log_level.upper(), as_json=settings.log_json),
        access_log=False,  # its lines carry query strings (?key=TOKEN); triage.access logs without them
    )
