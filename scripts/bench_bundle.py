"""Benchmark of an evidence bundle export: one report with 10 screenshots of 5 MB each (goal: <= 5 s).

usage: .venv/bin/python scripts/bench_bundle.py [--screenshots 10] [--megabytes 5] [--runs 3] [--cpus N]

The screenshots are phone-sized PNGs (1290x2796) with a photo-like region of noise so that each
file is about the given size; they are made once, outside the timing. The time covers
the whole export: streaming and hashing every file into the ZIP, previews for the PDF, the HTML
and PDF reports, the manifest and its signature. Verification is timed separately.
`--cpus N` pins the process to the first N cores (the CI has 2).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 1290, 2796


def screenshot(path: Path, megabytes: float, seed: int) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 140), fill=(30, 30, 30))
    draw.text((40, 60), f"x.com/afzender/status/{seed}  14:02", fill="white")
    noise_rows = min(HEIGHT - 400, int(megabytes * 1024 * 1024 / (WIDTH * 3)))
    noise = Image.frombytes("RGB", (WIDTH, noise_rows), os.urandom(WIDTH * noise_rows * 3))
    image.paste(noise, (0, 200))
    for row in range(200 + noise_rows + 40, HEIGHT - 60, 60):
        draw.rectangle((60, row, WIDTH - 60 - (row % 300), row + 30), fill=(70, 70, 170))
    image.save(path, "PNG", compress_level=1)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--screenshots", type=int, default=10)
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=0, help="pin to the first N cores (0: no pinning)")
    args = parser.parse_args()
    if args.cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(args.cpus)))

    from triage.evidence import (
        Attachment,
        MachineAssessment,
        MessageMetadata,
        Organisation,
        Recipient,
        ReportEvidence,
        Signer,
        build_bundle,
        verify_bundle,
    )

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        paths = [work / f"screenshot-{number}.png" for number in range(args.screenshots)]
        with ProcessPoolExecutor(max_workers=1) as maker:  # made in a child: the RSS below is the export's
            digests = list(maker.map(screenshot, paths, [args.megabytes] * len(paths), range(len(paths))))
        attachments = [
            Attachment(f"Screenshot {number}.png", "image/png", digest, path)
            for number, (path, digest) in enumerate(zip(paths, digests, strict=True))
        ]
        total = sum(path.stat().st_size for path in work.glob("*.png"))
        text = b"Ik weet waar je woont. Morgen sta ik voor je deur."
        report = ReportEvidence(
            report_id="bench",
            text=text,
            text_sha256=hashlib.sha256(text).hexdigest(),
            metadata=MessageMetadata(
                platform="x",
                author_handle="@afzender",
                posted_at_utc=datetime(2025, 3, 1, 14, 2, tzinfo=UTC),
                recipient=Recipient("J. de Vries", "wethouder"),
            ),
            attachments=tuple(attachments),
            assessment=MachineAssessment(
                {
                    "severity": "critical",
                    "flags": ["threat", "doxxing"],
                    "target": "person",
                    "labels": {"threat": 0.99, "doxxing": 0.98},
                    "model": {"name": "triage-nl", "version": "1.0.0"},
                }
            ),
        )
        organisation = Organisation("Gemeente Voorbeeld", "Postbus 1, 1000 AA Voorbeeld")
        signer = Signer.generate()
        builds, verifies = [], []
        for run in range(args.runs):
            destination = work / f"bundle-{run}.zip"
            start = time.perf_counter()
            build_bundle(
                [report],
                organisation=organisation,
                created_by="bench",
                destination=destination,
                signer=signer,
            )
            builds.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = verify_bundle(destination, signer.public_pem)
            verifies.append(time.perf_counter() - start)
            assert result.ok, result.problems
            size = destination.stat().st_size
            destination.unlink()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"input: {args.screenshots} screenshots, {total / 1e6:.1f} MB in all ({WIDTH}x{HEIGHT} PNG);"
        f" {cpus} cores"
    )
    print(f"bundle: {size / 1e6:.1f} MB")
    print(
        f"export: median {statistics.median(builds):.2f} s, best {min(builds):.2f} s over {args.runs} runs"
        f" (goal <= 5 s)"
    )
    print(f"verify: median {statistics.median(verifies):.2f} s")
    print(f"process peak RSS: {peak_mb:.0f} MB (export and verify; interpreter and libraries included)")


if __name__ == "__main__":
    main()
