"""Every kind of tampering makes verify fail, and it names what."""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.evidence import Signer, verify_bundle
from triage.evidence.manifest import dumps


def rewrite(source: Path, target: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """Unpack, let `edit` change the members (a dict name -> bytes, in order), pack again."""
    with zipfile.ZipFile(source) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    edit(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def listed_files(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as zf:
        return [entry["path"] for entry in json.loads(zf.read("manifest.json"))["files"]]


def flip(data: bytes, at: int = 0) -> bytes:
    index = min(at, len(data) - 1)
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def test_flipping_one_byte_in_any_file_names_that_file(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    paths = listed_files(bundle)
    assert len(paths) >= 14
    for number, path in enumerate(paths):

        def edit(members: dict[str, bytes], path: str = path) -> None:
            members[path] = flip(members[path], len(members[path]) // 2)

        result = verify_bundle(rewrite(bundle, tmp_path / f"t{number}.zip", edit), signer.public_pem)
        assert not result.ok
        assert result.changed == [path], (path, result.problems)


def test_a_flipped_byte_in_the_raw_archive_is_caught(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo("reports/01-r-1/original.txt")
        offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 2
    data = bytearray(bundle.read_bytes())
    data[offset] ^= 0xFF
    damaged = tmp_path / "raw.zip"
    damaged.write_bytes(bytes(data))
    result = verify_bundle(damaged, signer.public_pem)
    assert not result.ok
    assert "reports/01-r-1/original.txt" in result.changed


def test_an_added_file_is_named(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        members["reports/01-r-1/attachments/99-extra.png"] = b"planted"

    result = verify_bundle(rewrite(bundle, tmp_path / "added.zip", edit), signer.public_pem)
    assert not result.ok
    assert result.added == ["reports/01-r-1/attachments/99-extra.png"]
    assert not result.changed and not result.removed


@pytest.mark.parametrize(
    "victim", ["reports/02-r-2/original.txt", "rapport.pdf", "reports/01-r-1/custody.json"]
)
def test_a_removed_file_is_named(bundle: Path, signer: Signer, tmp_path: Path, victim: str) -> None:
    def edit(members: dict[str, bytes]) -> None:
        del members[victim]

    result = verify_bundle(rewrite(bundle, tmp_path / "removed.zip", edit), signer.public_pem)
    assert result.removed == [victim]


def test_an_edited_manifest_is_named_even_when_its_hashes_are_made_to_match(
    bundle: Path, signer: Signer, tmp_path: Path
) -> None:
    def edit(members: dict[str, bytes]) -> None:
        members["reports/01-r-1/original.txt"] = b"een onschuldig bericht"
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["files"]:
            if entry["path"] == "reports/01-r-1/original.txt":
                entry["size"] = 22
                entry["sha256"] = __import__("hashlib").sha256(b"een onschuldig bericht").hexdigest()
        members["manifest.json"] = dumps(manifest)

    result = verify_bundle(rewrite(bundle, tmp_path / "manifest.zip", edit), signer.public_pem)
    assert [p.code for p in result.problems if p.path == "manifest.json"] == ["manifest_edited"]
    assert not result.changed  # the file matches the forged manifest; the signature catches it


def test_a_whitespace_edit_to_the_manifest_is_caught(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        members["manifest.json"] = members["manifest.json"] + b" "

    result = verify_bundle(rewrite(bundle, tmp_path / "ws.zip", edit), signer.public_pem)
    assert [p.code for p in result.problems] == ["manifest_edited"]


def test_a_re_signed_bundle_with_a_swapped_key_fails_against_the_pinned_key(
    bundle: Path, signer: Signer, tmp_path: Path
) -> None:
    forger = Signer.generate()

    def edit(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["signing_key"]["key_id"] = forger.key_id
        members["manifest.json"] = dumps(manifest)
        signature = forger.sign(members["manifest.json"])
        members["manifest.sig"] = signature
        document = json.loads(members["signature.json"])
        document.update(
            signature=base64.b64encode(signature).decode(),
            public_key_pem=forger.public_pem.decode(),
            key_id=forger.key_id,
            manifest_sha256=__import__("hashlib").sha256(members["manifest.json"]).hexdigest(),
        )
        members["signature.json"] = dumps(document)

    forged = rewrite(bundle, tmp_path / "forged.zip", edit)
    assert verify_bundle(forged).ok  # consistent on its own: this is why the key must be pinned
    result = verify_bundle(forged, signer.public_pem)
    codes = {p.code for p in result.problems}
    assert "wrong_key" in codes and "signature_invalid" in codes


def test_a_swapped_signature_is_named(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    other = Signer.generate().sign(b"something else")

    def edit(members: dict[str, bytes]) -> None:
        members["manifest.sig"] = other
        document = json.loads(members["signature.json"])
        document["signature"] = base64.b64encode(other).decode()
        members["signature.json"] = dumps(document)

    result = verify_bundle(rewrite(bundle, tmp_path / "sig.zip", edit), signer.public_pem)
    assert [(p.code, p.path) for p in result.problems] == [("signature_invalid", "manifest.sig")]


def test_a_signature_edited_in_only_one_place_is_named(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        members["manifest.sig"] = flip(members["manifest.sig"], 5)

    result = verify_bundle(rewrite(bundle, tmp_path / "half.zip", edit), signer.public_pem)
    assert {p.code for p in result.problems} == {"signature_edited", "signature_invalid"}


def test_a_missing_signature_is_named(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        del members["manifest.sig"]
        del members["signature.json"]

    result = verify_bundle(rewrite(bundle, tmp_path / "nosig.zip", edit), signer.public_pem)
    assert ("removed", "manifest.sig") in [(p.code, p.path) for p in result.problems]


def test_a_missing_manifest_is_named(bundle: Path, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        del members["manifest.json"]

    result = verify_bundle(rewrite(bundle, tmp_path / "noman.zip", edit))
    assert result.removed == ["manifest.json"]


def test_a_duplicate_member_is_named(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    shadow = tmp_path / "dup.zip"
    shadow.write_bytes(bundle.read_bytes())
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(shadow, "a") as zf:
        zf.writestr("reports/01-r-1/original.txt", b"andere tekst")
    result = verify_bundle(shadow, signer.public_pem)
    assert ("duplicate", "reports/01-r-1/original.txt") in [(p.code, p.path) for p in result.problems]


def test_not_a_zip_is_reported(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    assert [p.code for p in verify_bundle(junk).problems] == ["unreadable"]


def test_cli_exits_non_zero_and_prints_what_failed(bundle: Path, signer: Signer, tmp_path: Path) -> None:
    def edit(members: dict[str, bytes]) -> None:
        members["rapport.html"] = members["rapport.html"].replace(b"Bewijsdossier", b"Bewijsd0ssier", 1)

    pem = tmp_path / "org.pem"
    pem.write_bytes(signer.public_pem)
    tampered = rewrite(bundle, tmp_path / "cli.zip", edit)
    result = CliRunner().invoke(main, ["bundle", "verify", str(tampered), "--public-key", str(pem)])
    assert result.exit_code == 1
    assert "CHANGED" in result.stderr and "rapport.html" in result.stderr
    assert result.stdout.startswith("FAILED")
