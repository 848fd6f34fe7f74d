"""`triage backup FILE` and `triage restore FILE`.

SQLite: an online backup with SQLite's backup API (consistent while the server runs); restore copies a
backup over the database and must run while the server is stopped. PostgreSQL: the same commands call
`pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner` (PostgreSQL's client tools,
matching the server's major version); the password travels in PGPASSWORD, never on the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from triage.cli import main
from triage.config import get_settings
from triage.store.db import is_sqlite


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise click.ClickException("an in-memory database cannot be backed up")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(f"{name} is needed for PostgreSQL (apt-get install postgresql-client)")
    return found


def sqlite_copy(source: Path, target: Path) -> None:
    """Copies a live SQLite database page by page (consistent even while others write)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        with dst:
            src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise click.ClickException(f"the copy failed its integrity check: {check}")
    finally:
        dst.close()
        src.close()
    partial.replace(target)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a backup of the database to FILE (safe while the server runs)."""
    url = get_settings().effective_database_url
    if is_sqlite(url):
        source = _sqlite_path(url)
        if not source.exists():
            raise click.ClickException(f"no database at {source}")
        sqlite_copy(source, file)
    else:
        target, env = _libpq(url)
        done = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--file", str(file), "--dbname", target],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise click.ClickException(f"pg_dump failed: {done.stderr.strip()[:500]}")
    click.echo(f"backup written to {file} ({file.stat().st_size} bytes)", err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database with the backup FILE. Stop the server first."""
    url = get_settings().effective_database_url
    if not yes:
        click.confirm("This replaces the current database. Is the server stopped?", abort=True)
    if is_sqlite(url):
        try:
            with sqlite3.connect(f"file:{file.as_posix()}?mode=ro", uri=True) as probe:
                probe.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(f"{file} is not a triage SQLite backup: {exc}") from exc
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):  # a stale write-ahead log must not be replayed onto the backup
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        sqlite_copy(file, target)
    else:
        target_url, env = _libpq(url)
        done = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--dbname", target_url, str(file)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise click.ClickException(f"pg_restore failed: {done.stderr.strip()[:500]}")
    click.echo(f"restored {file}", err=True)
