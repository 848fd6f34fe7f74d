"""Names as given never become archive paths: path tricks are neutralised, the original kept as data."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from triage.evidence import Attachment, Organisation, ReportEvidence, Signer, build_bundle, verify_bundle
from triage.evidence.names import attachment_path, is_safe_member, safe_stem

from .conftest import sha

HOSTILE = [
    "../../etc/passwd",
    "/etc/shadow",
    "C:\\Windows\\System32\\drivers\\etc\\hosts",
    "..\\..\\boot.ini",
    "scherm\x00afbeelding.png",
    "a" * 10_000 + ".png",
    "\u202egnp.exe",
    "....//....//x",
    "",
    ".",
    "..",
    "con:stream",
    "foto's van de wethouder (2).JPG",
    "schermafbeelding.png",
    "schermafbeelding.png",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_generated_paths_are_safe(name: str) -> None:
    path = attachment_path("reports/01-r", 3, name, "application/octet-stream")
    assert is_safe_member(path)
    assert path.startswith("reports/01-r/attachments/03-")
    assert len(path) < 100
    assert ".." not in path.split("/")


def test_stems_keep_something_recognisable() -> None:
    assert safe_stem("foto's van de wethouder (2).JPG") == "foto_s_van_de_wethouder_2"
    assert safe_stem("../../etc/passwd") == "passwd"
    assert safe_stem("C:\\x\\schermafbeelding.png") == "schermafbeelding"
    assert safe_stem("") == "bijlage"


def test_hostile_names_in_a_bundle(
    tmp_path: Path, signer: Signer, organisation: Organisation, make_report: Callable[..., ReportEvidence]
) -> None:
    attachments = tuple(
        Attachment(name=name, content_type="text/plain", intake_sha256=sha(data), source=io.BytesIO(data))
        for name, data in ((name, f"bijlage {i}".encode()) for i, name in enumerate(HOSTILE))
    )
    path = build_bundle(
        [make_report("../../r\\1", attachments=attachments)],
        organisation=organisation,
        created_by="t",
        destination=tmp_path / "names.zip",
        signer=signer,
    )
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert len(names) == len(set(names))
        assert all(is_safe_member(name) for name in names), names
        stored = sorted(n for n in names if "/attachments/" in n)
        assert len(stored) == len(HOSTILE)
        folder = stored[0].split("/attachments/")[0]
        assert folder == "reports/01-1"
        metadata = json.loads(zf.read(f"{folder}/metadata.json"))
        assert [a["original_name"] for a in metadata["attachments"]] == HOSTILE
        for index, name in enumerate(stored):
            assert zf.read(name) == f"bijlage {index}".encode()
    assert verify_bundle(path, signer.public_pem).ok
