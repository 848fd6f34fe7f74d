"""`triage campaigns index`: near-duplicate band keys for reports stored before campaigns existed."""

from __future__ import annotations

import click
from sqlalchemy import select

from triage.cli import main
from triage.cli.admin import database_session


@main.group()
def campaigns() -> None:
    """Campaigns: near-duplicate messages grouped within an organisation."""


@campaigns.command("index")
@click.option("--org", "org_name", help="Only this organisation (default: all).")
def campaigns_index(org_name: str | None) -> None:
    """Index the texts of earlier reports (after `triage db upgrade` to 0004), so that new messages
    join their campaigns; earlier near-duplicates are grouped on the way. Safe to run again."""
    from triage.store.linking import index_existing
    from triage.store.models import Organisation

    with database_session() as session:
        org_id = None
        if org_name:
            org_id = session.scalar(select(Organisation.id).where(Organisation.name == org_name))
            if org_id is None:
                raise click.ClickException(f"no organisation {org_name}")
        count = index_existing(session, org_id=org_id)
    click.echo(f"indexed: {count}")
