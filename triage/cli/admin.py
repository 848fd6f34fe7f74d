"""Administration from the command line: `triage db upgrade`, `triage users add`, `triage tokens create`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from triage.cli import main
from triage.config import get_settings
from triage.errors import TriageError
from triage.store import credentials, migrate
from triage.store.db import make_db_engine, make_session_factory
from triage.store.users import ROLES, add_user, find_user


@contextmanager
def database_session() -> Iterator[Session]:
    """A session on the configured database, which must be migrated; errors become CLI messages."""
    engine = make_db_engine(get_settings().effective_database_url)
    try:
        migrate.ensure_current(engine)
        with make_session_factory(engine)() as session:
            yield session
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        engine.dispose()


def organisation_id(session: Session, name: str | None) -> str | None:
    """The id of the organisation NAME (None when no name is given); an unknown name is a CLI error."""
    if not name:
        return None
    from sqlalchemy import select

    from triage.store.models import Organisation

    org_id = session.scalar(select(Organisation.id).where(Organisation.name == name))
    if org_id is None:
        raise click.ClickException(f"no organisation {name}")
    return str(org_id)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the database (SQLite in TRIAGE_DATA_DIR, or TRIAGE_DATABASE_URL)."""
    settings = get_settings()
    engine = make_db_engine(settings.effective_database_url)
    try:
        migrate.upgrade(engine, revision)
        click.echo(f"database at revision {migrate.current_revision(engine)}", err=True)
    finally:
        engine.dispose()


@db.command("downgrade")
@click.option("--revision", default="base", show_default=True)
def db_downgrade(revision: str) -> None:
    """Undo migrations (down to an empty database by default)."""
    engine = make_db_engine(get_settings().effective_database_url)
    try:
        migrate.downgrade(engine, revision)
    finally:
        engine.dispose()


@main.group()
def users() -> None:
    """Users and roles."""


@users.command("add")
@click.argument("email")
@click.option("--org", required=True, help="Organisation name; created when new.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def users_add(email: str, org: str, role: str, password_stdin: bool) -> None:
    """Add a user. Without --password-stdin, prints a one-time login link instead."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    from triage.service.bootstrap import login_link

    with database_session() as session:
        try:
            user = add_user(session, email=email, org_name=org, role=role, password=password)
            session.commit()
            click.echo(f"added {user.email} ({role}) to {org}", err=True)
            if password is None:
                click.echo(login_link(session, email=user.email, base_url=get_settings().public_url))
        except TriageError as exc:
            raise click.ClickException(exc.message) from exc


@users.command("login-link")
@click.argument("email")
def users_login_link(email: str) -> None:
    """Print a new one-time login link for an existing user (valid 24 hours)."""
    from triage.service.bootstrap import login_link

    with database_session() as session:
        try:
            click.echo(login_link(session, email=email, base_url=get_settings().public_url))
        except LookupError as exc:
            raise click.ClickException(f"no user {email}") from exc


@main.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
def tokens_create(email: str) -> None:
    """Print a new API token for EMAIL on stdout; only its hash is stored."""
    with database_session() as session:
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"no user {email}")
        secret, _ = credentials.issue(session, user=user, kind="token")
        session.commit()
        click.echo(secret)


@main.group()
def orgs() -> None:
    """Organisations and their settings."""


@orgs.command("set")
@click.argument("name")
@click.option("--contact-address", help="The organisation's address on bundles (never a victim's home).")
@click.option("--contact-email")
@click.option("--contact-phone")
@click.option("--retention-days", type=click.IntRange(30, 3650), help="Delete closed reports' texts after.")
def orgs_set(
    name: str,
    contact_address: str | None,
    contact_email: str | None,
    contact_phone: str | None,
    retention_days: int | None,
) -> None:
    """Change the settings of organisation NAME (created when new); prints its id."""
    from triage.store.orgs import OrgSettings, update_settings
    from triage.store.users import get_or_create_org

    with database_session() as session:
        try:
            org = get_or_create_org(session, name)
            changes = OrgSettings(contact_address, contact_email, contact_phone, retention_days)
            update_settings(session, actor=None, org=org, changes=changes)
            session.commit()
        except TriageError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(org.id)


@main.group()
def retention() -> None:
    """Each organisation's retention period for closed reports."""


@retention.command("run")
@click.option("--org", "org_name", help="Only this organisation (default: all).")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def retention_run(org_name: str | None, dry_run: bool) -> None:
    """Delete texts and attachments of closed reports past their organisation's retention period."""
    from triage.store.privacy import apply_retention

    with database_session() as session:
        result = apply_retention(session, org_id=organisation_id(session, org_name), dry_run=dry_run)
    for name, count in result.purged.items():
        click.echo(f"{name}: {count} reports {'due' if dry_run else 'purged'}")
    click.echo(f"{'due' if dry_run else 'purged'}: {result.total}", err=True)
