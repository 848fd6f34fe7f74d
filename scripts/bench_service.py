"""Service benchmark over loopback: forwarding, stateless classify and the first queue page.

usage: .venv/bin/python scripts/bench_service.py [--parts forward,classify,queue]
       [--backends sqlite,postgres] [--rows 1000000] [--duration 20] [--json FILE]

Starts real `triage serve` processes (uvicorn) on temporary data folders, with the abuse limits switched
off (TRIAGE_FORWARD_RATE_PER_MINUTE=0, TRIAGE_LOGIN_RATE_PER_MINUTE=0: one token sends far more than a
person would), and drives them over 127.0.0.1 with real concurrency:

1. forward: POST /api/v1/reports (JSON, varied Dutch texts of about 120 characters) on SQLite, 32
   concurrent clients back to back (closed loop: latency = queueing at saturation, by Little's law
   32 / throughput), then 32 clients paced to a fixed total rate below capacity (the latency of one
   forward on a server that is busy but not saturated). Goal p50 <= 20 ms, p99 <= 100 ms.
2. classify: POST /api/v1/classify, closed loop, 32 keep-alive connections, once per value of
   `--classify-workers` (default 1,2) as `triage serve --workers N` (or N processes on a port each with
   --classify-ports). Driven by scripts/http_load.py (raw HTTP/1.1 over asyncio streams on uvloop,
   requests serialised before the run, every status and Content-Length checked, every 10th body parsed
   as a verdict): about 0.16 ms of CPU per request against httpx's 2.4 ms, so that the load generator
   takes little from the two cores it shares with the server (`--classify-client httpx` for the old
   one). Each request carries the bearer token and a text no earlier request of the run sent.
   Goal >= 500 requests/s.
3. queue: GET /api/v1/queue (default filters and sort, as a reviewer) with --rows reports in the
   database, seeded by bulk inserts straight into the store's tables (not timed as a figure), on SQLite
   and PostgreSQL; sequential requests after a warm-up, p50/p95. Goal <= 50 ms. --explain prints the
   database's plan of the queue query. Then one client forwards into that database (p50/p99), so that
   a forward whose cost grows with the number of reports shows here.

Forward and queue use httpx.AsyncClient. Every part is warmed up before it is measured. The load
generator runs on the same machine; the table shows the CPU it used, the CPU the server used, and the
CPU other processes used meanwhile (contention), and for classify the CPU per request of each.
PostgreSQL: a database made for the run on --pg-url (default postgres@127.0.0.1:5432), dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
TRIAGE = str(BIN / "triage")
CLK_TCK = os.sysconf("SC_CLK_TCK")
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# ---------------------------------------------------------------------------------------------- texts

# Messages are put together from a kind's openings and continuations, a name and a topic, so that two
# random messages rarely share most of their text (campaigns are rare, as in real use) while the mix of
# kinds is that of what officials forward: much criticism and rudeness, some insults and threats.
_NAMES = (
    "Jansen",
    "De Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "El Amrani",
    "Yilmaz",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "De Jong",
    "Van Dijk",
    "Kaya",
    "Postma",
    "Willems",
)
_ROLES = ("wethouder", "burgemeester", "raadslid", "gedeputeerde", "Kamerlid", "commissaris", "griffier")
_TOPICS = (
    "de windmolens",
    "het azc",
    "de parkeervergunningen",
    "de nieuwe rondweg",
    "het zwembad",
    "de afvalstoffenheffing",
    "de woningbouw in Zuid",
    "het klimaatbeleid",
    "de stikstofregels",
    "de bibliotheek",
    "de fietsbrug",
    "het evenemententerrein",
    "de OZB",
    "de jeugdzorg",
)
_CONTEXT = (
    "Dat zei je dinsdag in de raad.",
    "Het stond vanochtend in de krant.",
    "Ik zag het filmpje op TikTok.",
    "Mijn buurman denkt er net zo over.",
    "Op Facebook is iedereen het met me eens.",
    "Sinds de verkiezingen gaat alles mis.",
    "Dit is al de derde keer dit jaar.",
    "Je beloofde in maart iets heel anders.",
    "Lees het verslag van de commissie maar na.",
    "In de wijk praat niemand over iets anders.",
    "Mijn kinderen zien dit ook allemaal.",
    "Ik woon hier al veertig jaar.",
    "Zelfs de provincie snapt er niks van.",
    "En dat voor ons belastinggeld.",
    "Gisteren stond het nog op de site van de gemeente.",
    "Op de markt had iedereen het erover.",
)
_KINDS: tuple[tuple[float, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        0.35,  # questions, thanks, ordinary criticism
        (
            "Beste {role} {name}, kunt u uitleggen waarom {topic} zo lang duurt?",
            "Geachte {role}, dank voor de toelichting over {topic} gisteravond.",
            "Hallo {name}, ik mis nog steeds een antwoord over {topic}.",
            "Mevrouw {name}, wanneer komt het besluit over {topic}?",
            "Goedemiddag {role}, wij als buurt maken ons zorgen over {topic}.",
        ),
        (
            "Graag een reactie voor vrijdag.",
            "Met vriendelijke groet, een bewoner uit de wijk.",
            "Ik hoor graag wanneer de inloopavond is.",
            "Het is al drie maanden stil.",
            "Complimenten voor het heldere verhaal.",
            "Veel mensen in de straat denken er zo over.",
        ),
    ),
    (
        0.25,  # rude
        (
            "Wat een slappe vertoning weer van {role} {name} over {topic}.",
            "{name}, jij snapt echt helemaal niks van {topic}, ga toch naar huis.",
            "Weer zo'n domme beslissing over {topic}, {role}.",
            "Hé {role}, hou toch eens op met dat gezeur over {topic}.",
        ),
        (
            "Aftreden nu.",
            "Wat een clubje amateurs.",
            "Je bent een schande voor de stad.",
            "Echt niemand gelooft je nog.",
            "#aftreden",
            "Schaam je.",
        ),
    ),
    (
        0.15,  # insults
        (
            "{name}, vuile leugenaar, je hebt ons bedonderd met {topic}.",
            "Kankerlijer {name}, jij en je {topic} kunnen de pot op.",
            "Wat een achterlijke debiel ben jij, {role}, met je {topic}.",
            "Tyfuslijer, dat {topic} van jou is de grootste flauwekul ooit.",
        ),
        ("Rot op.", "Idioot.", "Oplichter dat je bent.", "Stuk vreten.", "Sukkel."),
    ),
    (
        0.12,  # threats and incitement
        (
            "{role} {name}, als {topic} doorgaat steek ik je huis in de fik.",
            "Ik weet waar je woont, {name}, en na {topic} kom ik langs.",
            "Iemand moet die {role} eens flink in elkaar slaan na {topic}.",
            "{name} verdient een kogel voor {topic}, echt waar.",
        ),
        (
            "Je bent gewaarschuwd.",
            "Let maar op.",
            "Tot snel.",
            "We houden je in de gaten.",
            "Dit is de laatste keer dat ik het zeg.",
        ),
    ),
    (
        0.07,  # doxxing
        (
            "Het adres van {role} {name} staat nu online, Dorpsstraat {number}, vanwege {topic}.",
            "{name} woont op de Kerkweg {number}, doe er wat mee na {topic}.",
            "Zijn kenteken is {number}-XK-4 en hij rijdt elke dag naar het gemeentehuis, {name} dus.",
        ),
        ("Veel plezier met je bezoek.", "Iedereen weet het nu.", "Deel dit maar.", "Succes ermee."),
    ),
    (
        0.06,  # sexual harassment and identity-based hate
        (
            "Vrouwen zoals jij, {name}, horen niet in de politiek, zeker niet bij {topic}.",
            "{name}, ik stuur je foto's van mijn pik als je niet ophoudt met {topic}.",
            "Jullie moslims hebben hier niks te zoeken, {role} {name}, ook niet bij {topic}.",
        ),
        (
            "Terug naar de keuken.",
            "Ga terug naar je eigen land.",
            "Je weet wat je te wachten staat.",
            "Smerige hoer.",
        ),
    ),
)


def dutch_texts(count: int, seed: int = 7) -> list[str]:
    """Varied Dutch messages of about 120 characters, as officials forward them."""
    rng = random.Random(seed)
    weights = [weight for weight, _, _ in _KINDS]
    texts = []
    for _ in range(count):
        _weight, openings, continuations = rng.choices(_KINDS, weights)[0]
        text = rng.choice(openings).format(
            name=rng.choice(_NAMES),
            role=rng.choice(_ROLES),
            topic=rng.choice(_TOPICS),
            number=rng.randrange(1, 200),
        )
        context = f" {rng.choice(_CONTEXT)}" if rng.random() < 0.6 else ""
        text = f"{text}{context} {rng.choice(continuations)}"
        texts.append(text[0].upper() + text[1:])
    return texts


# ------------------------------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass
class Row:
    figure: str
    measured: str
    goal: str = ""
    met: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, figure: str, measured: str, goal: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(figure, measured, goal, met))
        verdict = "" if met is None else (" (met)" if met else " (NOT met)")
        print(f"  {figure}: {measured}{'  goal ' + goal if goal else ''}{verdict}", flush=True)

    def table(self) -> str:
        lines = ["| figure | measured | goal |", "|---|---|---|"]
        for row in self.rows:
            goal = row.goal + ("" if row.met is None else (" — met" if row.met else " — not met"))
            lines.append(f"| {row.figure} | {row.measured} | {goal} |")
        return "\n".join(lines)


# -------------------------------------------------------------------------------------------- CPU use


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def _machine_busy() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLK_TCK


@dataclass
class CpuMeter:
    """CPU seconds used during a measurement by this process (the client), the server processes,
    and everything else on the machine."""

    server_pids: list[int]
    start: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    per_pid_start: dict[int, float] = field(default_factory=dict)
    per_pid: dict[int, float] = field(default_factory=dict)  # CPU seconds of each server process

    def _sample(self) -> tuple[float, float, float, float]:
        server = sum(_proc_cpu(pid) for pid in self.server_pids)
        return time.perf_counter(), _machine_busy(), time.process_time(), server

    def __enter__(self) -> CpuMeter:
        self.per_pid_start = {pid: _proc_cpu(pid) for pid in self.server_pids}
        self.start = self._sample()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self._sample()
        self.per_pid = {pid: _proc_cpu(pid) - used for pid, used in self.per_pid_start.items()}
        wall, busy, client, server = (e - s for e, s in zip(end, self.start, strict=True))
        self.wall, self.client, self.server = wall, client, server
        self.other = max(0.0, busy - client - server)

    def server_split(self) -> str:
        """The cores each busy server process used (a supervisor that idles is left out)."""
        busy = [used / self.wall for used in self.per_pid.values() if used / self.wall >= 0.01]
        return " + ".join(f"{cores:.2f}" for cores in sorted(busy, reverse=True))

    def describe(self) -> str:
        cores = os.cpu_count() or 1
        return (
            f"server {self.server / self.wall:.2f}, load generator {self.client / self.wall:.2f}, "
            f"other processes {self.other / self.wall:.2f} cores (of {cores})"
        )


# ------------------------------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pids(self) -> list[int]:
        return [self.process.pid, *_children(self.process.pid)]


def server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env.update(
        PYTHONPATH=str(ROOT),  # the server runs the code next to this script (also from a snapshot)
        TRIAGE_DATA_DIR=str(data_dir),
        TRIAGE_FORWARD_RATE_PER_MINUTE="0",
        TRIAGE_LOGIN_RATE_PER_MINUTE="0",
        TRIAGE_RETENTION_INTERVAL_HOURS="0",  # no retention sweep over the seeded rows mid-run
    )
    if database_url:
        env["TRIAGE_DATABASE_URL"] = database_url
    return env


def start_server(env: dict[str, str], log: Path, workers: int = 1) -> Server:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [TRIAGE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process, port, log)


def wait_ready(server: Server, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log.read_text(errors="replace")[-3000:]
            raise SystemExit(f"server exited with {server.process.returncode}:\n{log}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server did not become ready:\n{server.log.read_text(errors='replace')[-3000:]}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@contextlib.contextmanager
def running(
    env: dict[str, str], work: Path, name: str, count: int = 1, workers: int = 1
) -> Iterator[list[Server]]:
    """`count` `triage serve --workers WORKERS` processes on one database, each on its own port. (With
    uvicorn's own `--workers`, one worker accepted all 32 keep-alive connections while the other idled;
    `triage serve --workers N` now gives each worker a socket of its own on the port, SO_REUSEPORT, and
    the kernel spreads the connections.)"""
    started: list[Server] = []
    try:
        for number in range(count):
            started.append(start_server(env, work / f"{name}-{number}.log", workers))
        for server in started:
            wait_ready(server)
        yield started
    finally:
        for server in started:
            stop_server(server)


def pids_of(servers: Sequence[Server]) -> list[int]:
    return [pid for server in servers for pid in server.pids]


# -------------------------------------------------------------------------------- database and users


@dataclass
class Setup:
    database_url: str
    org_id: str
    reporter_id: str
    reviewer_id: str
    reporter_token: str
    reviewer_token: str


def prepare_database(database_url: str) -> Setup:
    """Migrate, then create the benchmark organisation with a reporter and a reviewer and their tokens."""
    from triage.store import credentials, migrate
    from triage.store.db import make_db_engine, make_session_factory
    from triage.store.users import add_user

    engine = make_db_engine(database_url)
    try:
        migrate.upgrade(engine)
        with make_session_factory(engine)() as session:
            reporter = add_user(
                session,
                email="melder@bench.example",
                org_name="Gemeente Bench",
                role="reporter",
                password=None,
            )
            reviewer = add_user(
                session,
                email="behandelaar@bench.example",
                org_name="Gemeente Bench",
                role="reviewer",
                password=None,
            )
            reporter_token, _ = credentials.issue(session, user=reporter, kind="token")
            reviewer_token, _ = credentials.issue(session, user=reviewer, kind="token")
            session.commit()
            return Setup(
                database_url, reporter.org_id, reporter.id, reviewer.id, reporter_token, reviewer_token
            )
    finally:
        engine.dispose()


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, make_url, text

    name = f"bench_queue_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# A realistic spread for an installation that has run for years: most reports were handled long ago;
# the open ones (new, in_review: --open-share of all) are recent.
CLOSED_STATUSES = (("confirmed", 0.12), ("dismissed", 0.36), ("reported", 0.10), ("closed", 0.42))
SEVERITY_SHARES = (("none", 0.40), ("low", 0.25), ("medium", 0.17), ("high", 0.12), ("critical", 0.06))
SEVERITY_LEVEL = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
SEVERITY_FLAGS = {
    "none": ((),),
    "low": (("insult",), ("profanity",), ("insult", "profanity")),
    "medium": (("insult", "identity_hate"), ("sexual",), ("identity_hate",)),
    "high": (("threat",), ("incitement",), ("doxxing",), ("threat", "insult")),
    "critical": (("threat", "doxxing"), ("threat", "incitement"), ("threat", "sexual")),
}
LABELS = ("threat", "incitement", "doxxing", "sexual", "identity_hate", "insult", "profanity")
PLATFORMS = ("x", "facebook", "instagram", "tiktok", "youtube", "whatsapp", "telegram", "email", "other")
OTHER_ORGS = 19
BENCH_ORG_SHARE = 0.25  # the benchmark reviewer's organisation is the largest: a quarter of all reports
DUPLICATE_SHARE = 0.04  # the same text forwarded again (linked to the first as a campaign)
REPEAT_SENDER_SHARE = 0.3  # messages from a pool of 3,000 senders seen more than once


@dataclass(slots=True)
class SeedPlan:
    """Phase one of seeding: who, what and when per row, so that campaign sizes and per-sender counts
    (which the queue priority depends on) are known before the rows are written."""

    orgs: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    severities: list[str] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    ages: list[int] = field(default_factory=list)
    platforms: list[int] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    texts: list[int] = field(default_factory=list)
    duplicate_of: list[int] = field(default_factory=list)  # row index of the original, or -1


def plan_rows(count: int, open_share: float, rng: random.Random, text_count: int) -> SeedPlan:
    plan = SeedPlan()
    closed_names = [name for name, _ in CLOSED_STATUSES]
    closed_weights = [weight for _, weight in CLOSED_STATUSES]
    severities = [name for name, _ in SEVERITY_SHARES]
    severity_weights = [weight for _, weight in SEVERITY_SHARES]
    recent: dict[int, list[int]] = {}
    for row in range(count):
        org = 0 if rng.random() < BENCH_ORG_SHARE else 1 + rng.randrange(OTHER_ORGS)
        if rng.random() < open_share:
            status = "new" if rng.random() < 0.75 else "in_review"
            age = rng.randrange(60 * 86400)
        else:
            status = rng.choices(closed_names, closed_weights)[0]
            age = rng.randrange(3 * 365 * 86400)
        severity = rng.choices(severities, severity_weights)[0]
        org_recent = recent.setdefault(org, [])
        original = rng.choice(org_recent) if org_recent and rng.random() < DUPLICATE_SHARE else -1
        if original < 0:
            org_recent.append(row)
            if len(org_recent) > 500:
                del org_recent[:100]
        repeat = rng.random() < REPEAT_SENDER_SHARE
        plan.orgs.append(org)
        plan.statuses.append(status)
        plan.severities.append(severity)
        plan.scores.append(round(SEVERITY_LEVEL[severity] * 0.2 + rng.random() * 0.1999, 4))
        plan.ages.append(age)
        plan.platforms.append(rng.randrange(len(PLATFORMS)))
        plan.authors.append(f"@afzender{rng.randrange(3000)}" if repeat else f"@account{row}")
        plan.texts.append(plan.texts[original] if original >= 0 else rng.randrange(text_count))
        plan.duplicate_of.append(original)
    return plan


def _priority_function() -> Any:
    """The store's queue priority (severity band, campaigns, repeat senders) where this version has one."""
    try:
        from triage.store.priority import priority
    except ImportError:
        return None
    return priority


def seed_rows(
    setup: Setup, others: Sequence[tuple[str, str]], count: int, open_share: float, columns: set[str]
) -> Iterator[tuple[dict[str, Any], list[str]]]:
    rng = random.Random(2026)
    now = datetime.now(UTC)
    texts = dutch_texts(4000, seed=11)
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    plan = plan_rows(count, open_share, rng, len(texts))
    ids = [f"{rng.getrandbits(128):032x}" for _ in range(count)]
    orgs = [(setup.org_id, setup.reporter_id), *others]
    campaign_size = Counter(o for o in plan.duplicate_of if o >= 0)
    sender_count = Counter(zip(plan.orgs, plan.authors, plan.platforms, strict=True))
    priority = _priority_function() if "priority" in columns else None
    for row in range(count):
        org_id, reporter_id = orgs[plan.orgs[row]]
        status, severity, score = plan.statuses[row], plan.severities[row], plan.scores[row]
        flags = list(rng.choice(SEVERITY_FLAGS[severity]))
        created = now - timedelta(seconds=plan.ages[row])
        original = plan.duplicate_of[row]
        root = original if original >= 0 else row
        handle = plan.authors[row]
        verdict = {
            "language": "nl",
            "labels": {label: (0.9 if label in flags else round(rng.random() * 0.3, 2)) for label in LABELS},
            "flags": flags,
            "severity": severity,
            "severity_score": score,
            "target": "person" if flags else "none",
            "spans": [],
            "legal": [],
            "model": {"name": "triage-nl", "version": "1.0.0"},
            "truncated": False,
            "notes": [],
        }
        values: dict[str, Any] = {
            "id": ids[row],
            "org_id": org_id,
            "reporter_id": reporter_id,
            "status": status,
            "text": texts[plan.texts[row]],
            "text_sha256": digests[plan.texts[row]],
            "text_source": "input",
            "platform": PLATFORMS[plan.platforms[row]],
            "author_handle": handle,
            "verdict": verdict,
            "model_name": "triage-nl",
            "model_version": "1.0.0",
            "severity": severity,
            "severity_score": score,
            "duplicate_of_id": ids[original] if original >= 0 else None,
            "claimed_by_id": setup.reviewer_id if status == "in_review" and row % 2 == 0 else None,
            "created_at": created,
            "updated_at": created,
            "reviewed_severity": severity if status not in ("new", "in_review") else None,
        }
        if "campaign_id" in columns:
            values["campaign_id"] = ids[root] if campaign_size[root] else None
        if "author_key" in columns:
            values["author_key"] = handle.lstrip("@").casefold()
        if "priority" in columns:
            senders = sender_count[plan.orgs[row], handle, plan.platforms[row]]
            size = campaign_size[root] + 1 if campaign_size[root] else 1
            values["priority"] = priority(severity, score, size, senders) if priority else score
        yield values, flags


def secondary_indexes(connection: Any, sqlite: bool) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes on reports and report_flags that no constraint
    owns, in the order they were made."""
    if sqlite:
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('reports', 'report_flags') ORDER BY rowid"
        )
    else:
        query = (
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname IN ('reports', 'report_flags') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.oid"
        )
    return [(str(name), str(ddl)) for name, ddl in connection.exec_driver_sql(query)]


def seed_reports(setup: Setup, count: int, open_share: float, batch: int = 20_000) -> float:
    """Bulk-insert `count` reports (and their flag rows) through the store's tables; returns seconds.

    The secondary indexes of both tables are dropped for the load and built again after it (as a bulk
    load would) from the DDL the migrations left in the database, in the same order: without
    statistics, SQLite's planner breaks a tie between equally good indexes by their order."""
    from sqlalchemy import insert, text

    from triage.store.db import is_sqlite, make_db_engine
    from triage.store.models import Base

    started = time.perf_counter()
    engine = make_db_engine(setup.database_url)
    sqlite = is_sqlite(setup.database_url)
    tables = Base.metadata.tables
    reports, flags = tables["reports"], tables["report_flags"]
    with engine.begin() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA cache_size=-400000")
        others = []
        for number in range(OTHER_ORGS):
            org_id, user_id = uuid.uuid4().hex, uuid.uuid4().hex
            connection.execute(
                insert(tables["organisations"]), [{"id": org_id, "name": f"Gemeente {number}"}]
            )
            user = {"id": user_id, "org_id": org_id, "email": f"melder{number}@bench.example"}
            connection.execute(insert(tables["users"]), [user | {"role": "reporter", "active": True}])
            others.append((org_id, user_id))
        indexes = secondary_indexes(connection, sqlite)
        for name, _ in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        report_rows: list[dict[str, Any]] = []
        flag_rows: list[dict[str, Any]] = []
        done = 0
        for row, labels in seed_rows(setup, others, count, open_share, set(reports.c.keys())):
            report_rows.append(row)
            flag_rows.extend({"report_id": row["id"], "label": label} for label in labels)
            if len(report_rows) >= batch:
                connection.execute(insert(reports), report_rows)
                connection.execute(insert(flags), flag_rows)
                done += len(report_rows)
                report_rows, flag_rows = [], []
                if done % 200_000 == 0:
                    print(f"    seeded {done:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        if report_rows:
            connection.execute(insert(reports), report_rows)
            connection.execute(insert(flags), flag_rows)
        for _, ddl in indexes:
            connection.exec_driver_sql(ddl)
    if not sqlite:  # what autovacuum does shortly after a bulk load, done now so the run is repeatable
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE reports"))
            connection.execute(text("VACUUM ANALYZE report_flags"))
    engine.dispose()
    return time.perf_counter() - started


def linked_counts(database_url: str) -> dict[str, int]:
    """How many stored reports there are, and how many were linked as a duplicate or to a campaign."""
    from sqlalchemy import func, select

    from triage.store.db import make_db_engine
    from triage.store.models import Base

    reports = Base.metadata.tables["reports"]
    counts = {"reports": func.count(), "exact duplicates": func.count(reports.c.duplicate_of_id)}
    if "campaign_id" in reports.c:
        counts["in a campaign"] = func.count(reports.c.campaign_id)
    engine = make_db_engine(database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(select(*counts.values()).select_from(reports)).one()
            connection.rollback()
    finally:
        engine.dispose()
    return {what: int(value) for what, value in zip(counts, row, strict=True)}


def explain_queue(setup: Setup) -> str:
    """The database's plan for the queue query exactly as `queue_page` issues it."""
    from sqlalchemy import event

    from triage.store.db import is_sqlite, make_db_engine, make_session_factory
    from triage.store.queue import QueueFilter, queue_page

    engine = make_db_engine(setup.database_url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if "FROM reports" in statement and "ORDER BY" in statement and not captured:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    with make_session_factory(engine)() as session:
        queue_page(session, org_id=setup.org_id, filters=QueueFilter())
        session.rollback()
    event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    prefix = "EXPLAIN QUERY PLAN " if is_sqlite(setup.database_url) else "EXPLAIN (ANALYZE, BUFFERS) "
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
        connection.rollback()
    engine.dispose()
    plan = "\n".join(" | ".join(str(v) for v in row) for row in rows)
    return f"{statement}\n-- parameters: {parameters}\n{plan}"


# ------------------------------------------------------------------------------------------ clients


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> int:
        return self.requests - sum(self.errors.values())

    def summary(self) -> str:
        errors = sum(self.errors.values())
        kinds = f" {dict(self.errors)}" if errors else ""
        return (
            f"{self.requests} requests in {self.elapsed:.1f} s, {errors} errors{kinds}; "
            f"{self.ok / self.elapsed:.1f}/s; p50 {percentile(self.latencies, 0.5) * 1000:.1f} ms, "
            f"p99 {percentile(self.latencies, 0.99) * 1000:.1f} ms"
        )


def client_for(token: str, concurrency: int, timeout: float = 60.0) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=httpx.Timeout(timeout)
    )


async def drive(
    client: httpx.AsyncClient,
    urls: Sequence[str],
    bodies: Sequence[dict[str, Any]],
    *,
    concurrency: int,
    duration: float,
    rate: float = 0.0,
    expect: int = 200,
) -> Load:
    """`concurrency` clients POST `bodies` in turn for `duration` seconds: back to back (rate 0) or each
    paced to an equal share of `rate` requests/s (a late client sends at once; latency counts from the
    actual send). Every client holds its own keep-alive connection, to urls[slot % len(urls)]."""
    load = Load()
    counter = iter(range(10**12))
    started = time.perf_counter()
    deadline = started + duration
    interval = concurrency / rate if rate > 0 else 0.0

    async def one(slot: int) -> None:
        url = urls[slot % len(urls)]
        due = started + (slot / concurrency) * interval
        while True:
            if interval:
                pause = due - time.perf_counter()
                if pause > 0:
                    await asyncio.sleep(pause)
                due += interval
            if time.perf_counter() >= deadline:
                return
            body = bodies[next(counter) % len(bodies)]
            sent = time.perf_counter()
            try:
                response = await client.post(url, json=body)
            except httpx.HTTPError as exc:
                load.requests += 1
                load.errors[type(exc).__name__] += 1
                continue
            load.requests += 1
            load.latencies.append(time.perf_counter() - sent)
            if response.status_code != expect:
                load.errors[f"http_{response.status_code}"] += 1

    await asyncio.gather(*(one(slot) for slot in range(concurrency)))
    load.elapsed = time.perf_counter() - started
    return load


async def sequential_gets(client: httpx.AsyncClient, url: str, count: int) -> Load:
    load = Load()
    started = time.perf_counter()
    for _ in range(count):
        sent = time.perf_counter()
        response = await client.get(url)
        load.latencies.append(time.perf_counter() - sent)
        load.requests += 1
        if response.status_code != 200:
            load.errors[f"http_{response.status_code}"] += 1
    load.elapsed = time.perf_counter() - started
    return load


# -------------------------------------------------------------------------------------------- parts


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def _p(load: Load, q: float) -> float:
    return percentile(load.latencies, q)


def bench_forward(args: argparse.Namespace, work: Path, report: Report) -> None:
    processes, clients = args.forward_workers, args.concurrency
    print(f"== forward: SQLite, {processes} server process(es), {clients} clients", flush=True)
    data = work / "forward"
    setup = prepare_database(f"sqlite:///{(data / 'triage.db').as_posix()}")
    rng = random.Random(3)
    bodies = [
        {
            "text": text,
            "platform": PLATFORMS[rng.randrange(len(PLATFORMS))],
            "author_handle": f"@afzender{rng.randrange(300)}" if rng.random() < 0.3 else f"@account{n}",
        }
        for n, text in enumerate(dutch_texts(24_000, seed=3))
    ]
    # Each phase forwards texts of its own, so that no phase resends what an earlier one sent.
    warmup, closed_set, single_set, paced_set = (bodies[i : i + 6000] for i in range(0, 24_000, 6000))
    with running(server_env(data, None), work, "forward", processes) as servers:
        urls = [server.url + "/api/v1/reports" for server in servers]
        pids = pids_of(servers)

        async def run() -> tuple[Load, CpuMeter, Load, Load | None, CpuMeter | None]:
            async with client_for(setup.reporter_token, clients) as client:
                await drive(client, urls, warmup, concurrency=clients, duration=args.warmup, expect=201)
                with CpuMeter(pids) as meter:
                    closed = await drive(
                        client, urls, closed_set, concurrency=clients, duration=args.duration, expect=201
                    )
                single = await drive(
                    client, urls, single_set, concurrency=1, duration=min(10.0, args.duration), expect=201
                )
                rate = args.forward_rate or round(0.5 * closed.ok / closed.elapsed)
                if rate <= 0:
                    return closed, meter, single, None, None
                with CpuMeter(pids) as paced_meter:
                    paced = await drive(
                        client,
                        urls,
                        paced_set,
                        concurrency=clients,
                        duration=args.duration,
                        rate=rate,
                        expect=201,
                    )
                return closed, meter, single, paced, paced_meter

        closed, meter, single, paced, paced_meter = asyncio.run(run())
    stored = linked_counts(setup.database_url)
    print(f"  back to back: {closed.summary()}\n  CPU: {meter.describe()}")
    print(f"  one client: {single.summary()}")
    name = f"forward, {clients} clients back to back"
    report.add(f"{name}: p50", _ms(_p(closed, 0.5)), "≤ 20 ms", _p(closed, 0.5) <= 0.020)
    report.add(f"{name}: p99", _ms(_p(closed, 0.99)), "≤ 100 ms", _p(closed, 0.99) <= 0.100)
    report.add(
        f"{name}: throughput, errors",
        f"{closed.ok / closed.elapsed:.0f}/s, {sum(closed.errors.values())} errors of {closed.requests}",
    )
    report.add(
        f"{name}: CPU", f"{meter.describe()}; server {meter.server / closed.requests * 1000:.1f} ms/forward"
    )
    report.add("forward, 1 client: p50 / p99", f"{_ms(_p(single, 0.5))} / {_ms(_p(single, 0.99))}")
    report.add(
        "forward: reports stored in all runs",
        ", ".join(f"{count:,} {what}" for what, count in stored.items()),
    )
    report.data["forward"] = {
        "processes": processes,
        "closed": _load_json(closed),
        "closed_cpu": _cpu_json(meter),
        "single": _load_json(single),
        "stored": stored,
    }
    if paced is not None and paced_meter is not None:
        print(f"  paced: {paced.summary()}\n  CPU: {paced_meter.describe()}")
        name = f"forward, {clients} clients paced to {paced.requests / paced.elapsed:.0f}/s in all"
        report.add(f"{name}: p50", _ms(_p(paced, 0.5)), "≤ 20 ms", _p(paced, 0.5) <= 0.020)
        report.add(f"{name}: p99", _ms(_p(paced, 0.99)), "≤ 100 ms", _p(paced, 0.99) <= 0.100)
        report.data["forward"] |= {"paced": _load_json(paced), "paced_cpu": _cpu_json(paced_meter)}


def bench_classify(args: argparse.Namespace, work: Path, report: Report) -> None:
    for workers in args.classify_workers:
        bench_classify_one(args, work, report, workers)


def classify_texts(count: int) -> list[str]:
    """Distinct texts (the generator repeats itself now and then): no request of a run resends a text
    that an earlier request of the run or of the warm-up sent, so no cache of answers could help."""
    return list(dict.fromkeys(dutch_texts(int(count * 1.3), seed=5)))[:count]


def bench_classify_one(args: argparse.Namespace, work: Path, report: Report, workers: int) -> None:
    clients, lean = args.classify_concurrency, args.classify_client == "lean"
    processes = workers if args.classify_ports else 1
    per_process = 1 if args.classify_ports else workers
    setup_name = (
        f"{workers} server processes, one port each"
        if args.classify_ports and workers > 1
        else f"`triage serve --workers {workers}`"
    )
    print(f"== classify: {setup_name}, {clients} connections, {args.classify_client} client", flush=True)
    data = work / f"classify-{workers}"
    setup = prepare_database(f"sqlite:///{(data / 'triage.db').as_posix()}")
    texts = classify_texts(args.classify_texts)
    warm_texts, run_texts = texts[: len(texts) // 5], texts[len(texts) // 5 :]
    with running(server_env(data, None), work, f"classify-{workers}", processes, per_process) as servers:
        ports = [server.port for server in servers]
        pids = pids_of(servers)
        if lean:
            load, meter, checked = lean_classify(
                args, setup.reporter_token, ports, pids, warm_texts, run_texts
            )
        else:
            load, meter = httpx_classify(args, setup.reporter_token, servers, pids, warm_texts, run_texts)
            checked = 0
    throughput = load.ok / load.elapsed
    print(f"  {load.summary()}\n  CPU: {meter.describe()}")
    if load.requests > len(run_texts):
        print(f"  note: {load.requests} requests but {len(run_texts)} texts; raise --classify-texts")
    name = f"classify, {setup_name}, {clients} connections ({args.classify_client} client)"
    report.add(
        f"{name}: throughput",
        f"{throughput:.0f} requests/s ({sum(load.errors.values())} errors of {load.requests}"
        + (f", {checked} bodies checked" if lean else "")
        + ")",
        "≥ 500/s",
        throughput >= 500,
    )
    report.add(
        f"{name}: p50 / p90 / p99",
        f"{_ms(_p(load, 0.5))} / {_ms(_p(load, 0.9))} / {_ms(_p(load, 0.99))}",
    )
    report.add(
        f"{name}: CPU",
        f"{meter.describe()}; server processes {meter.server_split()}; per request: "
        f"server {meter.server / load.requests * 1000:.2f} ms, "
        f"load generator {meter.client / load.requests * 1000:.2f} ms",
    )
    report.data.setdefault("classify", []).append(
        {
            "workers": workers,
            "one_port_each": bool(args.classify_ports),
            "client": args.classify_client,
            "connections": clients,
            "load": _load_json(load),
            "cpu": _cpu_json(meter),
            "server_ms_per_request": round(meter.server / load.requests * 1000, 3),
            "client_ms_per_request": round(meter.client / load.requests * 1000, 3),
            "bodies_checked": checked,
            "server_process_cores": meter.server_split(),
            "texts_repeated": load.requests > len(run_texts),
            "loadavg_after": os.getloadavg(),
        }
    )


def lean_classify(
    args: argparse.Namespace,
    token: str,
    ports: Sequence[int],
    pids: list[int],
    warm_texts: Sequence[str],
    run_texts: Sequence[str],
) -> tuple[Load, CpuMeter, int]:
    """The classify run with `http_load`: raw HTTP/1.1 on keep-alive connections, on uvloop."""
    import http_load

    def wire(texts: Sequence[str]) -> dict[int, Sequence[bytes]]:
        headers = (("Authorization", f"Bearer {token}"), ("Content-Type", "application/json"))
        bodies = [json.dumps({"text": text}, ensure_ascii=False).encode() for text in texts]
        return {
            port: [
                http_load.build_request("POST", "127.0.0.1", port, "/api/v1/classify", body, headers)
                for body in bodies
            ]
            for port in ports
        }

    warm, measured = wire(warm_texts), wire(run_texts)
    clients = args.classify_concurrency
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(http_load.run("127.0.0.1", ports, warm, concurrency=clients, duration=args.warmup))
        with CpuMeter(pids) as meter:
            result = runner.run(
                http_load.run("127.0.0.1", ports, measured, concurrency=clients, duration=args.duration)
            )
    load = Load(result.latencies, result.errors, result.requests, result.elapsed)
    return load, meter, result.checked


def _loop_factory() -> Any:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def httpx_classify(
    args: argparse.Namespace,
    token: str,
    servers: Sequence[Server],
    pids: list[int],
    warm_texts: Sequence[str],
    run_texts: Sequence[str],
) -> tuple[Load, CpuMeter]:
    """The classify run with httpx.AsyncClient, as before `http_load` (about 2.4 ms of client CPU per
    request)."""
    urls = [server.url + "/api/v1/classify" for server in servers]
    clients = args.classify_concurrency

    async def run() -> tuple[Load, CpuMeter]:
        async with client_for(token, clients) as client:
            await drive(
                client, urls, [{"text": t} for t in warm_texts], concurrency=clients, duration=args.warmup
            )
            with CpuMeter(pids) as meter:
                load = await drive(
                    client,
                    urls,
                    [{"text": t} for t in run_texts],
                    concurrency=clients,
                    duration=args.duration,
                )
            return load, meter

    return asyncio.run(run())


def bench_queue(args: argparse.Namespace, work: Path, report: Report, backend: str) -> None:
    print(f"== queue: {backend}, {args.rows:,} reports", flush=True)
    data = work / f"queue-{backend}"
    with contextlib.ExitStack() as stack:
        if backend == "postgres":
            database_url = stack.enter_context(postgres_database(args.pg_url))
        else:
            database_url = f"sqlite:///{(data / 'triage.db').as_posix()}"
        setup = prepare_database(database_url)
        seconds = seed_reports(setup, args.rows, args.open_share)
        print(f"  seeded {args.rows:,} reports in {seconds:.0f} s", flush=True)
        env = server_env(data, database_url if backend == "postgres" else None)
        with running(env, work, f"queue-{backend}") as servers:
            url = servers[0].url + "/api/v1/queue"

            async def run() -> tuple[Load, int]:
                async with client_for(setup.reviewer_token, 1) as client:
                    await sequential_gets(client, url, args.queue_warmup)
                    page = (await client.get(url)).json()
                    return await sequential_gets(client, url, args.queue_requests), len(page["items"])

            async def forward_into_it() -> Load:
                """One client forwards into the full database (after the queue is timed): half of the
                texts are already in it (duplicates, campaigns), half are new; the senders are seeded
                repeat senders, so every link is counted against a large history."""
                rng = random.Random(5)
                texts = dutch_texts(4000, seed=11)[:300] + dutch_texts(300, seed=23)
                rng.shuffle(texts)
                bodies = [
                    {
                        "text": t,
                        "platform": rng.choice(PLATFORMS),
                        "author_handle": f"@afzender{rng.randrange(3000)}",
                    }
                    for t in texts
                ]
                async with client_for(setup.reporter_token, 1) as client:
                    forwards = [servers[0].url + "/api/v1/reports"]
                    await drive(
                        client, forwards, bodies[:50], concurrency=1, duration=args.warmup, expect=201
                    )
                    return await drive(
                        client,
                        forwards,
                        bodies[50:],
                        concurrency=1,
                        duration=min(10.0, args.duration),
                        expect=201,
                    )

            load, items = asyncio.run(run())
            scale = asyncio.run(forward_into_it())
        if args.explain:
            print(explain_queue(setup))
    name = "SQLite" if backend == "sqlite" else "PostgreSQL"
    print(f"  {load.summary()}; {items} items on the page")
    p50, p95 = _p(load, 0.5), _p(load, 0.95)
    report.add(f"first queue page, {name}, {args.rows:,} reports: p50", _ms(p50), "≤ 50 ms", p50 <= 0.050)
    report.add(
        f"first queue page, {name}: p95 / max (of {load.requests})",
        f"{_ms(p95)} / {_ms(max(load.latencies))}",
        "≤ 50 ms",
        p95 <= 0.050,
    )
    print(f"  forward into it: {scale.summary()}")
    report.add(
        f"forward into the {name} database of {args.rows:,} reports, 1 client: p50 / p99",
        f"{_ms(_p(scale, 0.5))} / {_ms(_p(scale, 0.99))}, {sum(scale.errors.values())} errors of {scale.requests}",
    )
    report.data[f"queue_{backend}"] = {
        "rows": args.rows,
        "open_share": args.open_share,
        "seed_s": round(seconds, 1),
        "items": items,
        "load": _load_json(load),
        "forward": _load_json(scale),
    }


def _load_json(load: Load) -> dict[str, Any]:
    return {
        "requests": load.requests,
        "errors": dict(load.errors),
        "elapsed_s": round(load.elapsed, 2),
        "throughput_rps": round(load.ok / load.elapsed, 1) if load.elapsed else None,
        "p50_ms": round(percentile(load.latencies, 0.5) * 1000, 2),
        "p95_ms": round(percentile(load.latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(load.latencies, 0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(load.latencies) * 1000, 2) if load.latencies else None,
    }


def _cpu_json(meter: CpuMeter) -> dict[str, float]:
    return {
        "wall_s": round(meter.wall, 2),
        "server_cores": round(meter.server / meter.wall, 2),
        "client_cores": round(meter.client / meter.wall, 2),
        "other_cores": round(meter.other / meter.wall, 2),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default="forward,classify,queue", help="comma-separated (default: all)")
    parser.add_argument("--backends", default="sqlite,postgres", help="for the queue part")
    parser.add_argument("--concurrency", type=int, default=32, help="forwarding clients (32)")
    parser.add_argument("--forward-workers", type=int, default=1, help="server processes (1), one port each")
    parser.add_argument(
        "--forward-rate",
        type=float,
        default=0.0,
        help="total rate of the paced forward run (default: half the closed-loop rate)",
    )
    parser.add_argument(
        "--classify-workers",
        default="1,2",
        help="server processes of the classify runs, one run per comma-separated value (1,2)",
    )
    parser.add_argument(
        "--classify-ports",
        action="store_true",
        help="start the classify server processes on a port each, not as `triage serve --workers N`",
    )
    parser.add_argument("--classify-concurrency", type=int, default=32, help="connections (32)")
    parser.add_argument(
        "--classify-client",
        choices=("lean", "httpx"),
        default="lean",
        help="load generator: lean (scripts/http_load.py, default) or httpx (the old one, ~2.4 ms CPU/request)",
    )
    parser.add_argument(
        "--classify-texts", type=int, default=40_000, help="distinct texts; a fifth for the warm-up (40,000)"
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measured run (20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up before each run (3)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="reports in the queue database")
    parser.add_argument(
        "--open-share", type=float, default=0.02, help="share of the seeded reports still open (0.02)"
    )
    parser.add_argument("--queue-requests", type=int, default=50)
    parser.add_argument("--queue-warmup", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("TRIAGE_BENCH_PG", DEFAULT_PG))
    parser.add_argument("--explain", action="store_true", help="print the plan of the queue query")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, SQLite)")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.classify_workers = [int(w) for w in str(args.classify_workers).split(",") if w.strip()]
    unknown = set(args.parts) - {"forward", "classify", "queue"} | set(args.backends) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown part or backend: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report()
    work = Path(tempfile.mkdtemp(prefix="triage-bench-"))
    load_before = os.getloadavg()
    started = time.perf_counter()
    try:
        if "forward" in args.parts:
            bench_forward(args, work, report)
        if "classify" in args.parts:
            bench_classify(args, work, report)
        if "queue" in args.parts:
            for backend in args.backends:
                bench_queue(args, work, report, backend)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            subprocess.run(["rm", "-rf", str(work)], check=False)
    load_after = os.getloadavg()
    print(
        f"\nmachine: {os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after; {time.perf_counter() - started:.0f} s in all\n"
    )
    print(report.table())
    if args.json:
        report.data["rows"] = [row.__dict__ for row in report.rows]
        report.data["loadavg"] = {"before": load_before, "after": load_after}
        args.json.write_text(json.dumps(report.data, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
