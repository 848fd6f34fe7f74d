"""`verify_bundle`: check every hash and the signature, and name exactly what does not hold.

Without a trusted public key the bundle is checked against the key it carries, which proves
only that it is internally consistent; `key_trusted` says whether a pinned key was used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from triage.evidence import manifest as m
from triage.evidence.errors import SigningKeyError
from triage.evidence.hashing import sha256_stream
from triage.evidence.keys import key_id, load_public_key, verify_signature
from triage.evidence.names import is_safe_member

MAX_DOCUMENT = 64 * 1024 * 1024
READ_ERRORS = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error)


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.code.upper():<18} {self.path}: {self.message}"


@dataclass(slots=True)
class VerifyResult:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    bundle_id: str | None = None
    key_id: str | None = None
    key_trusted: bool = False
    files_checked: int = 0
    timestamped: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def paths(self, code: str) -> list[str]:
        return [p.path for p in self.problems if p.code == code]

    @property
    def changed(self) -> list[str]:
        return self.paths("changed")

    @property
    def added(self) -> list[str]:
        return self.paths("added")

    @property
    def removed(self) -> list[str]:
        return self.paths("removed")

    def add(self, code: str, path: str, message: str) -> None:
        self.problems.append(Problem(code, path, message))


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as handle:
        data = handle.read(MAX_DOCUMENT + 1)
    if len(data) > MAX_DOCUMENT:
        raise ValueError(f"{name} is larger than {MAX_DOCUMENT} bytes")
    return data


def _signature(
    zf: zipfile.ZipFile, names: set[str], result: VerifyResult
) -> tuple[bytes | None, dict[str, Any]]:
    document: dict[str, Any] = {}
    if m.SIGNATURE_JSON in names:
        try:
            loaded = json.loads(_read(zf, m.SIGNATURE_JSON))
            document = loaded if isinstance(loaded, dict) else {}
        except READ_ERRORS as exc:
            result.add("signature_unreadable", m.SIGNATURE_JSON, f"not readable JSON ({exc})")
    raw = None
    if m.SIGNATURE_RAW in names:
        try:
            raw = _read(zf, m.SIGNATURE_RAW)
        except READ_ERRORS as exc:
            result.add("signature_unreadable", m.SIGNATURE_RAW, f"corrupt in the archive ({exc})")
    embedded = None
    if isinstance(document.get("signature"), str):
        try:
            embedded = base64.b64decode(document["signature"], validate=True)
        except (binascii.Error, ValueError):
            result.add("signature_unreadable", m.SIGNATURE_JSON, "the signature is not valid base64")
    if raw is None and embedded is None:
        result.add(
            "removed", m.SIGNATURE_RAW, "the bundle carries no signature (manifest.sig and signature.json)"
        )
    elif raw is not None and embedded is not None and raw != embedded:
        result.add(
            "signature_edited", m.SIGNATURE_RAW, "manifest.sig and signature.json hold different signatures"
        )
    return (raw if raw is not None else embedded), document


def _public_key(
    trusted: Ed25519PublicKey | None, document: dict[str, Any], manifest: dict[str, Any], result: VerifyResult
) -> Ed25519PublicKey | None:
    named = str(manifest.get("signing_key", {}).get("key_id", ""))
    if trusted is not None:
        result.key_trusted = True
        result.key_id = key_id(trusted)
        if named != result.key_id:
            result.add(
                "wrong_key", m.MANIFEST, f"signed by key {named or '(none named)'}, expected {result.key_id}"
            )
        return trusted
    pem = document.get("public_key_pem")
    if not isinstance(pem, str):
        result.add("signature_unreadable", m.SIGNATURE_JSON, "no public key in the bundle; pass --public-key")
        return None
    try:
        carried = load_public_key(pem.encode("ascii"))
    except (SigningKeyError, UnicodeEncodeError) as exc:
        result.add("signature_unreadable", m.SIGNATURE_JSON, f"the public key is unreadable ({exc})")
        return None
    result.key_id = key_id(carried)
    if named != result.key_id:
        result.add("wrong_key", m.SIGNATURE_JSON, f"carries key {result.key_id}, the manifest names {named}")
    return carried


def _check_signature(
    manifest_bytes: bytes,
    signature: bytes | None,
    public_key: Ed25519PublicKey | None,
    document: dict[str, Any],
    result: VerifyResult,
) -> None:
    if signature is None or public_key is None:
        return
    if verify_signature(public_key, signature, manifest_bytes):
        return
    recorded = document.get("manifest_sha256")
    if isinstance(recorded, str) and recorded != hashlib.sha256(manifest_bytes).hexdigest():
        result.add(
            "manifest_edited", m.MANIFEST, "changed after signing (its SHA-256 differs from the signed one)"
        )
    elif result.key_trusted:
        result.add(
            "signature_invalid", m.SIGNATURE_RAW, "the signature does not match the manifest and the key"
        )
    else:
        result.add(
            "signature_invalid",
            m.SIGNATURE_RAW,
            "the signature does not match (manifest or signature edited)",
        )


def _check_files(
    zf: zipfile.ZipFile, members: set[str], manifest: dict[str, Any], result: VerifyResult
) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest.get("files", []):
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            listed[entry["path"]] = entry
    for path, entry in sorted(listed.items()):
        if path not in members:
            result.add("removed", path, "listed in the manifest but missing from the bundle")
            continue
        try:
            with zf.open(path) as handle:
                digest, size = sha256_stream(handle)
        except READ_ERRORS as exc:
            result.add("changed", path, f"unreadable or corrupt in the archive ({exc})")
            continue
        result.files_checked += 1
        if digest != entry.get("sha256") or size != entry.get("size"):
            result.add(
                "changed",
                path,
                f"SHA-256 {digest} ({size} bytes), "
                f"expected {entry.get('sha256')} ({entry.get('size')} bytes)",
            )
    for path in sorted(members - listed.keys() - m.OUTSIDE_MANIFEST):
        result.add("added", path, "in the bundle but not in the manifest")
    for message in manifest.get("messages", []):
        for item in [message.get("text", {}), *message.get("attachments", [])]:
            path = str(item.get("path", ""))
            if item.get("sha256") != item.get("intake_sha256"):
                result.add("intake_mismatch", path, "differs from the SHA-256 recorded at intake")
            if path not in listed or listed[path].get("sha256") != item.get("sha256"):
                result.add("manifest_inconsistent", path, "the message entry and the file list disagree")


def _check_timestamp(
    zf: zipfile.ZipFile, members: set[str], manifest_bytes: bytes, result: VerifyResult
) -> None:
    if m.TIMESTAMP not in members:
        return
    result.timestamped = True
    try:
        token = _read(zf, m.TIMESTAMP)
    except READ_ERRORS as exc:
        result.add("timestamp_mismatch", m.TIMESTAMP, f"corrupt in the archive ({exc})")
        return
    if hashlib.sha256(manifest_bytes).digest() not in token:
        result.add("timestamp_mismatch", m.TIMESTAMP, "the RFC 3161 token is not over this manifest")


def verify_bundle(path: Path, public_key: Ed25519PublicKey | bytes | None = None) -> VerifyResult:
    """Runs every check; `result.problems` names each failure. `public_key`: a key or its PEM bytes."""
    result = VerifyResult(path)
    trusted = load_public_key(public_key) if isinstance(public_key, bytes) else public_key
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        result.add("unreadable", str(path), f"not a readable ZIP archive ({exc})")
        return result
    with zf:
        names = [info.filename for info in zf.infolist()]
        for name, count in Counter(names).items():
            if count > 1:
                result.add("duplicate", name, f"appears {count} times in the archive")
        for name in names:
            if not is_safe_member(name):
                result.add(
                    "unsafe_path",
                    ascii(name),
                    "a member name we never write (absolute, .., or odd characters)",
                )
        members = set(names)
        if m.MANIFEST not in members:
            result.add("removed", m.MANIFEST, "the bundle has no manifest")
            return result
        try:
            manifest_bytes = _read(zf, m.MANIFEST)
            loaded = json.loads(manifest_bytes)
        except READ_ERRORS as exc:
            result.add("manifest_edited", m.MANIFEST, f"not readable JSON ({exc})")
            return result
        manifest: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
        if manifest.get("format") != m.FORMAT:
            result.add("manifest_edited", m.MANIFEST, "not a triage-nl evidence manifest")
            return result
        result.bundle_id = str(manifest.get("bundle_id"))
        signature, document = _signature(zf, members, result)
        key = _public_key(trusted, document, manifest, result)
        _check_signature(manifest_bytes, signature, key, document, result)
        _check_files(zf, members, manifest, result)
        _check_timestamp(zf, members, manifest_bytes, result)
    return result
