"""`triage serve`: run the web service with uvicorn."""

from __future__ import annotations

import contextlib
import socket
from typing import TYPE_CHECKING, Any

import click

from triage.cli import main
from triage.config import get_settings
from triage.errors import TriageError
from triage.store import migrate
from triage.store.db import make_db_engine, make_session_factory

if TYPE_CHECKING:
    import uvicorn

APP = "triage.service.app:create_app"


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


def _reuse_port_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` listening sockets on one address (SO_REUSEPORT): the kernel spreads new connections
    over them by a hash of the client's address and port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(2048)
            sock.set_inheritable(True)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sockets


def _run_workers(config: uvicorn.Config) -> None:
    """uvicorn's worker supervisor (restarts, SIGHUP), but each worker accepts on a socket of its own.

    With uvicorn's one shared socket, whichever worker woke first accepted every waiting connection
    (the event loop accepts a burst at once), so 32 keep-alive clients all landed on one worker while
    the other idled. With a socket per worker the kernel balances the connections. A worker that
    uvicorn replaces listens on all the sockets (correct, if less evenly spread)."""
    from uvicorn.supervisors.multiprocess import Multiprocess, Process

    class PortSharingWorkers(Multiprocess):
        def init_processes(self) -> None:
            for sock in self.sockets:
                process = Process(self.config, [sock])
                process.start()
                self.processes.append(process)

    sockets = _reuse_port_sockets(config.host, config.port, config.workers)
    try:
        PortSharingWorkers(config, sockets=sockets).run()
    finally:
        for sock in sockets:
            sock.close()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--migrate", "migrate_first", is_flag=True, help="Run `db upgrade` before starting.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Server processes on the one port (each loads the engine, about 330 MB; the kernel spreads "
    "connections over them). Works on the embedded SQLite and on PostgreSQL.",
)
def serve(host: str, port: int, migrate_first: bool, workers: int) -> None:
    """Start the web service and API (docs at /docs)."""
    import uvicorn

    from triage.service.observability import log_config

    _prepare(migrate_first, f"http://{host}:{port}")
    settings = get_settings()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "workers": workers,
        "factory": True,
        "log_level": settings.log_level.lower(),
        "log_config": log_config(settings.log_level.upper(), as_json=settings.log_json),
        "access_log": False,  # its lines carry query strings (?key=TOKEN); triage.access logs without them
    }
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, **options)
        return
    # uvicorn pings each worker and replaces one that does not answer in time; loading the engine
    # holds the interpreter for seconds on a busy machine, and at uvicorn's default of 5 s workers
    # were replaced while they started.
    with contextlib.suppress(KeyboardInterrupt):
        _run_workers(uvicorn.Config(APP, timeout_worker_healthcheck=60, **options))
