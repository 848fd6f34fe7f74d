"""`triage worker`: process background jobs (training) from the Redis queue named in the settings."""

from __future__ import annotations

import click

from triage.cli import main


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (tests, cron).")
def worker(burst: bool) -> None:
    """Take jobs from the RQ queue at TRIAGE_QUEUE_URL; run as many workers, on as many machines, as needed."""
    from triage.config import get_settings
    from triage.jobs.worker import work

    work(get_settings(), burst=burst)
