"""The `triage` command. Thin: every subcommand parses its options and calls into the package."""

from __future__ import annotations

import click

from triage import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
def main() -> None:
    """Triage of online hate against Dutch public officials."""


def _register() -> None:
    # Each module adds its commands to `main`; imported here so that `triage --help` lists them all.
    from triage.cli import admin, backup, bundle, campaigns, classify, model, models, serve, worker  # noqa: F401


_register()
