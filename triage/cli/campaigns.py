"""`triage campaigns index`: near-duplicate band keys for reports stored before campaigns existed."""

from __future__ import annotations

import click

from triage.cli import main
from triage.cli.admin import database_session, organisation_id


@main.group()
def campaigns() -> None:
    """Campaigns: near-duplicate messages grouped within an organisation."""


@campaigns.command("index")
@click.option("--org", "org_name", help="Only this organisation (default: all).")
def campaigns_index(org_name: str | None) -> None:
    """Index the texts of earlier reports (after `triage db upgrade` to 0004), so that new messages
    join their campaigns; earlier near-duplicates are grouped on the way. Safe to run again."""
    from triage.store.linking import index_existing

    with database_session() as session:
        count = index_existing(session, org_id=organisation_id(session, org_name))
    click.echo(f"indexed: {count}")
