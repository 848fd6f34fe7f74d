"""`triage bundle`: build, verify and sign evidence bundles; manage the organisation's signing key."""

from __future__ import annotations

import json
from pathlib import Path

import click

from triage.cli import main
from triage.errors import TriageError


def _default_key_dir() -> Path:
    from triage.config import get_settings

    return get_settings().effective_key_dir


_key_dir_option = click.option(
    "--key-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the signing key (default: TRIAGE_KEY_DIR, else TRIAGE_DATA_DIR/keys).",
)


@main.group()
def bundle() -> None:
    """Evidence bundles for the police and GIR: build, verify, keys."""


@bundle.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The organisation's public key (PEM) to check who signed; without it only consistency.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify(file: Path, public_key: Path | None, as_json: bool) -> None:
    """Check every hash and the signature of FILE; exit 0 only when all holds."""
    from triage.evidence import verify_bundle

    try:
        result = verify_bundle(file, public_key.read_bytes() if public_key else None)
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "bundle_id": result.bundle_id,
                    "key_id": result.key_id,
                    "key_trusted": result.key_trusted,
                    "files_checked": result.files_checked,
                    "timestamped": result.timestamped,
                    "problems": [
                        {"code": p.code, "path": p.path, "message": p.message} for p in result.problems
                    ],
                },
                indent=2,
            )
        )
    else:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        status = "OK" if result.ok else f"FAILED ({len(result.problems)} problems)"
        click.echo(
            f"{status}: bundle {result.bundle_id}, {result.files_checked} files checked, key {result.key_id}"
        )
        if result.ok and not result.key_trusted:
            click.echo(
                "note: checked against the key inside the bundle; pass --public-key to check who signed",
                err=True,
            )
    if not result.ok:
        raise SystemExit(1)


@bundle.command()
@_key_dir_option
def keygen(key_dir: Path | None) -> None:
    """Create the organisation's Ed25519 signing key if there is none; print its id."""
    from triage.evidence import Signer
    from triage.evidence.keys import PUBLIC_FILE

    folder = key_dir or _default_key_dir()
    try:
        signer = Signer.load_or_create(folder)
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(signer.key_id)
    click.echo(f"public key: {folder / PUBLIC_FILE}", err=True)


@bundle.command("public-key")
@_key_dir_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the PEM here (default: stdout)."
)
def public_key_command(key_dir: Path | None, out: Path | None) -> None:
    """Print the organisation's public key (PEM), to hand to whoever checks bundles."""
    from triage.evidence import Signer

    try:
        signer = Signer.load(key_dir or _default_key_dir())
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    if out:
        out.write_bytes(signer.public_pem)
        click.echo(signer.key_id, err=True)
    else:
        click.echo(signer.public_pem.decode("ascii"), nl=False)


@bundle.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The ZIP to write."
)
@_key_dir_option
@click.option("--created-by", help="Who exports (default: from the spec).")
@click.option("--tsa-url", help="RFC 3161 time-stamping authority to timestamp the manifest.")
def build(spec: Path, out: Path, key_dir: Path | None, created_by: str | None, tsa_url: str | None) -> None:
    """Build a signed bundle from a JSON SPEC (reports, attachments, verdicts; see triage.evidence.spec)."""
    from triage.evidence import Signer, build_bundle, timestamper_for
    from triage.evidence.spec import load_spec

    try:
        loaded = load_spec(spec)
        path = build_bundle(
            loaded.reports,
            organisation=loaded.organisation,
            created_by=created_by or loaded.created_by or "cli",
            destination=out,
            signer=Signer.load_or_create(key_dir or _default_key_dir()),
            timestamper=timestamper_for(tsa_url),
        )
    except TriageError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(str(path))


@bundle.command()
@click.option("--report", "report_ids", multiple=True, required=True, help="A report id; repeat for more.")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The ZIP to write."
)
@click.option("--by", "by_email", help="Export as this reviewer or admin (default: the system, via the CLI).")
@click.option("--reason", help="Why the bundle is made (kept in the chain of custody).")
def export(report_ids: tuple[str, ...], out: Path, by_email: str | None, reason: str | None) -> None:
    """Export stored reports of one organisation from the database as a signed bundle (audited)."""
    import getpass

    from triage.cli.admin import database_session
    from triage.config import get_settings
    from triage.errors import NotFound
    from triage.service.evidence import export_bundle
    from triage.store.audit import Actor
    from triage.store.models import Report
    from triage.store.reports import get_visible
    from triage.store.users import find_user

    with database_session() as session:
        try:
            actor = None
            if by_email:
                user = find_user(session, by_email)
                if user is None or not user.active:
                    raise click.ClickException(f"no active user {by_email}")
                actor = Actor(user=user, remote_addr="cli")
            reports = []
            for report_id in dict.fromkeys(report_ids):
                report = (
                    get_visible(session, actor.user, report_id) if actor else session.get(Report, report_id)
                )
                if report is None:
                    raise NotFound(f"no report {report_id}")
                reports.append(report)
            result = export_bundle(
                session,
                get_settings(),
                reports=reports,
                destination=out,
                actor=actor,
                created_by=by_email or f"cli ({getpass.getuser()})",
                reason=reason,
                via="cli",
            )
        except TriageError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(str(result.path))
    click.echo(f"bundle {result.bundle_id}, {len(result.report_ids)} reports, key {result.key_id}", err=True)
