"""The optional RFC 3161 hook (no network: a stand-in TSA) and evidence that changed since intake."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from triage.evidence import (
    Attachment,
    IntakeMismatch,
    Organisation,
    ReportEvidence,
    Signer,
    build_bundle,
    timestamper_for,
    verify_bundle,
)
from triage.evidence.timestamp import Rfc3161Timestamper, timestamp_request

from .test_tamper import rewrite


class FakeTsa:
    url = "https://tsa.invalid/"

    def __init__(self) -> None:
        self.digests: list[bytes] = []

    def timestamp(self, digest: bytes) -> bytes:
        self.digests.append(digest)
        return b"\x30\x82fake-token" + digest


class DownTsa:
    def timestamp(self, digest: bytes) -> bytes:
        raise OSError("connection refused")


def test_request_is_der_with_a_sha256_imprint() -> None:
    digest = hashlib.sha256(b"manifest").digest()
    request = timestamp_request(digest, nonce=12345)
    assert request[0] == 0x30 and request[1] == len(request) - 2
    assert bytes.fromhex("0609608648016503040201") in request  # id-sha256
    assert b"\x04\x20" + digest in request
    assert request.endswith(b"\x01\x01\xff")  # certReq TRUE
    with pytest.raises(ValueError):
        timestamp_request(b"short")


def test_only_configured_when_a_url_is_given() -> None:
    assert timestamper_for(None) is None and timestamper_for("") is None
    assert isinstance(timestamper_for("https://tsa.example/"), Rfc3161Timestamper)


def _build(
    tmp_path: Path, signer: Signer, organisation: Organisation, report: ReportEvidence, **kw: object
) -> Path:
    return build_bundle(
        [report],
        organisation=organisation,
        created_by="t",
        destination=tmp_path / "t.zip",
        signer=signer,
        **kw,
    )  # type: ignore[arg-type]


def test_a_timestamp_over_the_manifest_is_added_and_checked(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    tsa = FakeTsa()
    path = _build(tmp_path, signer, organisation, make_report(), timestamper=tsa)
    with zipfile.ZipFile(path) as zf:
        assert tsa.digests == [hashlib.sha256(zf.read("manifest.json")).digest()]
        assert json.loads(zf.read("signature.json"))["timestamp"]["file"] == "timestamp.tsr"
    result = verify_bundle(path, signer.public_pem)
    assert result.ok and result.timestamped

    def edit(members: dict[str, bytes]) -> None:
        members["timestamp.tsr"] = b"\x30\x82fake-token" + hashlib.sha256(b"another manifest").digest()

    forged = verify_bundle(rewrite(path, tmp_path / "ts.zip", edit), signer.public_pem)
    assert [(p.code, p.path) for p in forged.problems] == [("timestamp_mismatch", "timestamp.tsr")]


def test_a_tsa_that_is_down_does_not_stop_the_bundle(
    tmp_path: Path,
    signer: Signer,
    organisation: Organisation,
    make_report: Callable[..., ReportEvidence],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        path = _build(tmp_path, signer, organisation, make_report(), timestamper=DownTsa())
    assert "connection refused" in caplog.text
    with zipfile.ZipFile(path) as zf:
        assert "timestamp.tsr" not in zf.namelist()
        assert "connection refused" in json.loads(zf.read("signature.json"))["timestamp"]["error"]
    assert verify_bundle(path, signer.public_pem).ok


def _changed_since_intake(tmp_path: Path, make_report: Callable[..., ReportEvidence]) -> ReportEvidence:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"edited after intake")
    attachment = Attachment(
        name="shot.png",
        content_type="image/png",
        intake_sha256=hashlib.sha256(b"as received").hexdigest(),
        source=shot,
    )
    return make_report("r-9", attachments=(attachment,))


def test_evidence_changed_since_intake_stops_the_export(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    with pytest.raises(IntakeMismatch, match=re.escape("reports/01-r-9/attachments/01-shot.png")):
        _build(tmp_path, signer, organisation, _changed_since_intake(tmp_path, make_report))
    assert not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".*.part"))


def test_or_is_recorded_loudly_when_asked(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    path = _build(
        tmp_path, signer, organisation, _changed_since_intake(tmp_path, make_report), intake_mismatch="record"
    )
    result = verify_bundle(path, signer.public_pem)
    assert [(p.code, p.path) for p in result.problems] == [
        ("intake_mismatch", "reports/01-r-9/attachments/01-shot.png")
    ]
    with zipfile.ZipFile(path) as zf:
        assert "wijkt af" in zf.read("rapport.html").decode()


def test_a_malformed_intake_hash_is_refused(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    from dataclasses import replace

    from triage.errors import InvalidInput

    report = replace(make_report(), text_sha256="not-a-hash")
    with pytest.raises(InvalidInput, match="64 hex"):
        _build(tmp_path, signer, organisation, report)
