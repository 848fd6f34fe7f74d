"""Benchmark of a bundle export from the database: one stored report with 10 screenshots of 5 MB each.

usage: .venv/bin/python scripts/bench_bundle_service.py [--screenshots 10] [--megabytes 5] [--runs 3]
       [--database-url URL]

Like scripts/bench_bundle.py, but through the service's path (`triage bundle export`,
`GET /api/v1/reports/{id}/bundle`): the rows are mapped onto the evidence model, each attachment
is read from the database when the ZIP streams it, the export is audited. SQLite in a temporary
folder by default. The time covers the whole export (goal: <= 5 s); verification is timed apart.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--screenshots", type=int, default=10)
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from bench_bundle import screenshot

    from triage.config import Settings
    from triage.evidence import verify_bundle
    from triage.service.evidence import export_bundle, signer_for
    from triage.store import migrate
    from triage.store.audit import Actor
    from triage.store.db import make_db_engine, make_session_factory
    from triage.store.reports import AttachmentInput, ReportFields, create_report
    from triage.store.users import add_user

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = Settings(data_dir=work, database_url=args.database_url)
        engine = make_db_engine(settings.effective_database_url)
        migrate.upgrade(engine)
        paths = [work / f"screenshot-{number}.png" for number in range(args.screenshots)]
        with ProcessPoolExecutor(max_workers=1) as maker:
            list(maker.map(screenshot, paths, [args.megabytes] * len(paths), range(len(paths))))
        total = sum(path.stat().st_size for path in paths)
        sessions = make_session_factory(engine)
        verdict = {
            "severity": "critical",
            "severity_score": 0.99,
            "flags": ["threat", "doxxing"],
            "target": "person",
            "labels": {"threat": 0.99, "doxxing": 0.98},
            "spans": [],
            "model": {"name": "triage-nl", "version": "1.0.0"},
        }
        with sessions() as session:
            user = add_user(
                session, email="bench@example.nl", org_name="Gemeente Bench", role="reviewer", password=None
            )
            user_org = user.org_id
            report = create_report(
                session,
                actor=Actor(user),
                fields=ReportFields(text="Ik weet waar je woont. Morgen sta ik voor je deur.", platform="x"),
                verdict=verdict,
                attachments=[AttachmentInput(p.name, "image/png", p.read_bytes()) for p in paths],
            )
            from triage.store.orgs import get_org

            get_org(session, user_org).contact_address = "Postbus 1, 1000 AA Bench"
            session.commit()
            report_id = report.id
        for path in paths:
            path.unlink()
        key = signer_for(settings, user_org).public_pem
        builds, verifies, size = [], [], 0
        for run in range(args.runs):
            destination = work / f"bundle-{run}.zip"
            with sessions() as session:
                user = session.merge(user)
                start = time.perf_counter()
                export_bundle(
                    session,
                    settings,
                    reports=[session.get_one(type(report), report_id)],
                    destination=destination,
                    actor=Actor(user),
                )
                builds.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = verify_bundle(destination, key)
            verifies.append(time.perf_counter() - start)
            assert result.ok, result.problems
            size = destination.stat().st_size
            destination.unlink()
        engine.dispose()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"input: {args.screenshots} stored screenshots, {total / 1e6:.1f} MB in all, {backend}")
    print(f"bundle: {size / 1e6:.1f} MB")
    print(
        f"export from the database: median {statistics.median(builds):.2f} s, best {min(builds):.2f} s"
        f" over {args.runs} runs (goal <= 5 s)"
    )
    print(f"verify: median {statistics.median(verifies):.2f} s")
    print(f"process peak RSS: {peak_mb:.0f} MB (setup included: the screenshots are inserted once)")


if __name__ == "__main__":
    main()
