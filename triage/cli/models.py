"""`triage models list|promote|rollback|history` and `triage export-labels`: the model lifecycle."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from triage.cli import main
from triage.engine.registry import MODELS_DIR, Registry
from triage.errors import TriageError

_ROOT = click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The models folder (default: TRIAGE_MODELS_DIR or the repository's models/).",
)


def _registry(root: Path | None, name: str) -> Registry:
    from triage.config import get_settings

    return Registry(root or get_settings().models_dir or MODELS_DIR, name)


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


@main.group()
def models() -> None:
    """Model registry: list versions, promote one (gated), roll back, show the history."""


@models.command("list")
@_ROOT
@click.argument("name", default="triage-nl")
def list_models(root: Path | None, name: str) -> None:
    """Versions of NAME, the current one marked with *, with test macro-F1 and the gate's verdict."""
    from training.promotion import model_summary

    registry = _registry(root, name)
    current = registry.current()
    for version in registry.versions():
        summary = model_summary(registry.folder(version))
        f1 = "n/a" if summary["macro_f1"] is None else f"{summary['macro_f1']:.3f}"
        gate = summary["gate"]
        gate_text = "no gate" if gate is None else ("gate passed" if gate["passed"] else "gate FAILED")
        if gate is not None and gate["baseline"]:
            gate_text += f" vs {gate['baseline']}"
        click.echo(f"{'*' if version == current else ' '} {version:<12} macro-F1 {f1:<6} {gate_text}")


@models.command()
@_ROOT
@click.argument("name")
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote although the gate failed (needs --reason; audited).")
@click.option("--reason", help="Why; required with --force, recorded in the history.")
@click.option("--actor", help="Who promotes (default: the login name).")
def promote(
    root: Path | None, name: str, version: str, force: bool, reason: str | None, actor: str | None
) -> None:
    """Make VERSION of NAME the current model, if its gate passes against the current one."""
    from training.gates import gate_lines
    from training.promotion import fresh_gate
    from training.promotion import promote as run_promotion

    registry = _registry(root, name)
    try:
        for line in gate_lines(fresh_gate(registry, version)):
            click.echo(line, err=True)
        entry = run_promotion(registry, version, actor=_actor(actor), force=force, reason=reason)
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    forced = " (FORCED)" if entry["forced"] else ""
    click.echo(f"{name} {entry['previous']} -> {entry['version']}{forced}")


@models.command()
@_ROOT
@click.argument("name", default="triage-nl")
@click.option("--reason", help="Why; recorded in the history.")
@click.option("--actor", help="Who rolls back (default: the login name).")
def rollback(root: Path | None, name: str, reason: str | None, actor: str | None) -> None:
    """Make the version that was current before the current one current again."""
    registry = _registry(root, name)
    try:
        entry = registry.rollback(actor=_actor(actor), reason=reason)
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"{name} {entry['previous']} -> {entry['version']} (rollback)")


@models.command()
@_ROOT
@click.argument("name", default="triage-nl")
def history(root: Path | None, name: str) -> None:
    """Every promotion and rollback, as JSON lines."""
    for entry in _registry(root, name).history():
        click.echo(json.dumps(entry, ensure_ascii=False))


@main.command("export-labels")
@click.option("--output", type=click.Path(path_type=Path), default="-", show_default=True)
@click.option("--org", "org_id", help="Only this organisation's reviews.")
@click.option("--since", type=click.DateTime(), help="Only reviews from this moment (UTC).")
def export_labels(output: Path, org_id: str | None, since: datetime | None) -> None:
    """Export confirmed and corrected reviews as project JSONL with provenance (for training)."""
    from triage.cli.admin import database_session
    from triage.store.label_export import export_reviewed

    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    with database_session() as session:
        if str(output) == "-":
            count = export_reviewed(session, sys.stdout, org_id=org_id, since=since)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("w", encoding="utf-8") as stream:
                count = export_reviewed(session, stream, org_id=org_id, since=since)
    click.echo(f"{count} reviewed labels exported", err=True)
