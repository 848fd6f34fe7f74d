"""Large attachments are streamed: hashed and copied in chunks, memory bounded well under the file size."""

from __future__ import annotations

import hashlib
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from triage.evidence import Attachment, Organisation, ReportEvidence, Signer, build_bundle, verify_bundle

SIZE = 96 * 1024 * 1024


def _big_file(path: Path) -> str:
    digest = hashlib.sha256()
    block = bytes(range(256)) * 4096  # 1 MiB
    with path.open("wb") as handle:
        for i in range(SIZE // len(block)):
            chunk = block[i % 256 :] + block[: i % 256]
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("as_stream", [False, True], ids=["path", "stream"])
def test_large_attachment_with_bounded_memory(
    tmp_path: Path,
    signer: Signer,
    organisation: Organisation,
    make_report: Callable[..., ReportEvidence],
    as_stream: bool,
) -> None:
    video = tmp_path / "opname.mp4"
    digest = _big_file(video)
    with video.open("rb") as handle:
        source = handle if as_stream else video
        attachment = Attachment(
            name="opname.mp4", content_type="video/mp4", intake_sha256=digest, source=source
        )
        report = make_report("groot", attachments=(attachment,))
        tracemalloc.start()
        try:
            path = build_bundle(
                [report],
                organisation=organisation,
                created_by="t",
                destination=tmp_path / "big.zip",
                signer=signer,
            )
            _, build_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            result = verify_bundle(path, signer.public_pem)
            _, verify_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.ok, result.problems
    assert build_peak < SIZE / 8, f"build peak {build_peak / 1e6:.1f} MB for a {SIZE / 1e6:.0f} MB file"
    assert verify_peak < SIZE / 8, f"verify peak {verify_peak / 1e6:.1f} MB"
    with zipfile.ZipFile(path) as zf:
        stored = zf.getinfo("reports/01-groot/attachments/01-opname.mp4")
        assert stored.file_size == SIZE and stored.compress_type == zipfile.ZIP_STORED
