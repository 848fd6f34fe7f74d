from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from triage.cli import main
from triage.evidence import ReportEvidence, Signer, verify_bundle
from triage.evidence.manifest import OUTSIDE_MANIFEST

from .conftest import TEXT, sha


def test_round_trip_verifies_with_the_pinned_key(bundle: Path, signer: Signer) -> None:
    result = verify_bundle(bundle, signer.public_pem)
    assert result.ok, result.problems
    assert result.key_trusted and result.key_id == signer.key_id
    assert result.files_checked == len(json.loads(zipfile.ZipFile(bundle).read("manifest.json"))["files"])


def test_without_a_key_it_checks_consistency_and_says_so(bundle: Path) -> None:
    result = verify_bundle(bundle)
    assert result.ok and not result.key_trusted


def test_manifest_lists_every_file_and_every_intake_hash(bundle: Path, signer: Signer) -> None:
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        assert {f["path"] for f in manifest["files"]} == names - OUTSIDE_MANIFEST
        for entry in manifest["files"]:
            assert sha(zf.read(entry["path"])) == entry["sha256"]
            assert zf.getinfo(entry["path"]).file_size == entry["size"]
        assert manifest["created_at"] == "2025-03-02T15:02:11Z"
        assert manifest["created_by"] == "medewerker@voorbeeld.nl"
        assert manifest["software"]["name"] == "triage-nl"
        assert manifest["models"] == [{"name": "triage-nl", "version": "1.0.0"}]
        assert manifest["signing_key"]["key_id"] == signer.key_id
        assert len(manifest["messages"]) == 2
        message = manifest["messages"][0]
        assert message["text"]["intake_sha256"] == sha(TEXT.encode()) == message["text"]["sha256"]
        assert zf.read(message["text"]["path"]) == TEXT.encode()
        assert message["attachments"][0]["original_name"].startswith("../../etc/passwd")


def test_each_report_folder_holds_originals_metadata_assessment_reviews_custody(
    bundle: Path, make_report: Callable[..., ReportEvidence]
) -> None:
    with zipfile.ZipFile(bundle) as zf:
        folder = "reports/01-r-1"
        for name in ("original.txt", "metadata.json", "assessment.json", "reviews.json", "custody.json"):
            assert f"{folder}/{name}" in zf.namelist()
        original = make_report("r-1")
        attachment = original.attachments[0]
        assert isinstance(attachment.source, Path)
        stored = [n for n in zf.namelist() if n.startswith(f"{folder}/attachments/")]
        assert len(stored) == 1 and zf.read(stored[0]) == attachment.source.read_bytes()
        metadata = json.loads(zf.read(f"{folder}/metadata.json"))
        assert metadata["posted_at_utc"] == "2025-03-01T14:02:11Z"
        assert metadata["posted_at_shown"] == "1 mrt. 2025 15:02"
        assert metadata["recipient"]["public_role"] == "wethouder"
        assert metadata["attachments"][0]["original_name"] == attachment.name
        assessment = json.loads(zf.read(f"{folder}/assessment.json"))
        assert assessment["kind"] == "machine_assessment"
        assert assessment["verdict"]["severity"] == "critical"
        assert assessment["model"] == {"name": "triage-nl", "version": "1.0.0"}
        reviews = json.loads(zf.read(f"{folder}/reviews.json"))
        assert reviews[0]["decision"] == "confirm"
        custody = json.loads(zf.read(f"{folder}/custody.json"))
        assert [e["action"] for e in custody["events"]] == ["create", "view"]
        assert custody["follow_ups"][0]["kind"] == "police"


def test_cli_keygen_public_key_build_and_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    keys = tmp_path / "keys"
    made = runner.invoke(main, ["bundle", "keygen", "--key-dir", str(keys)])
    assert made.exit_code == 0, made.output
    assert (keys / "signing-key.pem").stat().st_mode & 0o777 == 0o600
    again = runner.invoke(main, ["bundle", "keygen", "--key-dir", str(keys)])
    assert again.stdout == made.stdout  # generated on first use only
    pem = tmp_path / "org.pem"
    assert (
        runner.invoke(main, ["bundle", "public-key", "--key-dir", str(keys), "--out", str(pem)]).exit_code
        == 0
    )

    (tmp_path / "shot.png").write_bytes(b"\x89PNG not really")
    spec = {
        "organisation": {"name": "Gemeente Voorbeeld", "contact_address": "Postbus 1, 1000 AA Voorbeeld"},
        "created_by": "cli-test",
        "reports": [
            {
                "report_id": "42",
                "text": "Je gaat eraan.",
                "metadata": {
                    "platform": "x",
                    "posted_at_utc": "2025-03-01T14:02:11Z",
                    "recipient": {"name": "J. de Vries", "public_role": "raadslid"},
                },
                "attachments": [
                    {"name": "C:\\Users\\x\\shot.png", "path": "shot.png", "content_type": "image/png"}
                ],
                "verdict": {"severity": "high", "flags": ["threat"], "model": {"name": "m", "version": "1"}},
            }
        ],
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    out = tmp_path / "b.zip"
    built = runner.invoke(
        main, ["bundle", "build", str(tmp_path / "spec.json"), "--out", str(out), "--key-dir", str(keys)]
    )
    assert built.exit_code == 0, built.output
    verified = runner.invoke(main, ["bundle", "verify", str(out), "--public-key", str(pem)])
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("OK")
    as_json = runner.invoke(main, ["bundle", "verify", str(out), "--json"])
    assert json.loads(as_json.stdout)["ok"] is True
