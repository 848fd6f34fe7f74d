"""Load generator: N concurrent forwarders for T seconds against running servers, then a loss check.

    python scripts/load_test.py --url http://127.0.0.1:8000 --token trg_... [--url ...] -c 64 -d 60

Each forwarder POSTs /api/v1/reports in a loop with a unique marker in the text; several --url are used
round-robin (two server processes on one PostgreSQL). Afterwards every report that got a 2xx is looked up
(GET /api/v1/reports/{id}) and the caller's report list is read in full: each acknowledged marker must be
there exactly once. Prints requests, errors, p50/p99 latency and throughput, and a JSON line. Loopback
only; bounded in time and concurrency. Exit status 1 when anything was lost or duplicated, or on errors.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
TEXTS = (
    "Ik weet waar je woont, wethouder. Pas maar op.",
    "Wat een domme beslissing van de raad weer, ga toch naar huis.",
    "Jij verdient het om opgehangen te worden, landverrader.",
    "Bedankt voor de snelle reactie op mijn vraag over de parkeervergunning.",
    "Kankerlijer, we komen je halen na de vergadering.",
    "De burgemeester is een leugenaar en een oplichter.",
)


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # marker -> report id
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def forwarder(
    client: httpx.AsyncClient, urls: itertools.cycle[str], deadline: float, results: Results, run: str
) -> None:
    for n in itertools.count():
        if time.monotonic() >= deadline:
            return
        marker = f"{run}-{uuid.uuid4().hex}"
        body = {"text": f"{TEXTS[n % len(TEXTS)]} [{marker}]", "platform": "x", "author_handle": "@load"}
        start = time.perf_counter()
        try:
            response = await client.post(f"{next(urls)}/api/v1/reports", json=body)
        except httpx.HTTPError as exc:
            results.requests += 1
            results.errors[type(exc).__name__] += 1
            continue
        results.requests += 1
        results.latencies.append(time.perf_counter() - start)
        if 200 <= response.status_code < 300:
            results.acknowledged[marker] = response.json()["id"]
        else:
            results.errors[f"http_{response.status_code}"] += 1


async def verify(client: httpx.AsyncClient, url: str, results: Results, run: str) -> dict[str, int]:
    """Every acknowledged report exists (by id) and appears exactly once in the caller's list."""
    seen: Counter[str] = Counter()
    ids: Counter[str] = Counter()
    offset = 0
    while True:
        page = await client.get(f"{url}/api/v1/reports", params={"limit": 200, "offset": offset})
        page.raise_for_status()
        items = page.json()["items"]
        for item in items:  # the excerpt holds the whole (short) text, marker included
            excerpt = item.get("excerpt") or ""
            if f"[{run}-" in excerpt:
                seen[excerpt.rsplit("[", 1)[1].rstrip("]")] += 1
            ids[item["id"]] += 1
        if len(items) < 200:
            break
        offset += 200
    semaphore = asyncio.Semaphore(16)
    missing_by_id = 0

    async def check(marker: str, report_id: str) -> None:
        nonlocal missing_by_id
        async with semaphore:
            response = await client.get(f"{url}/api/v1/reports/{report_id}")
            if response.status_code != 200 or marker not in response.json().get("text", ""):
                missing_by_id += 1

    await asyncio.gather(*(check(m, i) for m, i in results.acknowledged.items()))
    listed_markers = set(seen)
    return {
        "acknowledged": len(results.acknowledged),
        "missing_by_id": missing_by_id,
        "missing_in_list": len(set(results.acknowledged) - listed_markers),
        "duplicated": sum(1 for m, i in results.acknowledged.items() if seen[m] > 1 or ids[i] > 1),
        "stored_not_acknowledged": len(listed_markers - set(results.acknowledged)),
    }


async def main(args: argparse.Namespace) -> int:
    for url in args.url:
        if urlsplit(url).hostname not in LOOPBACK:
            raise SystemExit(f"loopback only: {url}")
    run = uuid.uuid4().hex[:8]
    results = Results()
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    headers = {"Authorization": f"Bearer {args.token}"}
    timeout = httpx.Timeout(args.timeout)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=timeout) as client:
        urls = itertools.cycle(args.url)
        started = time.monotonic()
        deadline = started + args.duration
        await asyncio.gather(
            *(forwarder(client, urls, deadline, results, run) for _ in range(args.concurrency))
        )
        elapsed = time.monotonic() - started
        check = await verify(client, args.url[0], results, run) if args.verify else {}
    ok = len(results.acknowledged)
    figures = {
        "urls": args.url,
        "concurrency": args.concurrency,
        "duration_s": round(elapsed, 1),
        "requests": results.requests,
        "acknowledged": ok,
        "errors": sum(results.errors.values()),
        "error_kinds": dict(results.errors),
        "p50_ms": round(percentile(results.latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(results.latencies, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(results.latencies) * 1000, 1) if results.latencies else None,
        "throughput_rps": round(ok / elapsed, 1),
        "verify": check,
    }
    print(
        f"{results.requests} requests in {elapsed:.1f} s with {args.concurrency} forwarders: "
        f"{ok} acknowledged, {figures['errors']} errors {dict(results.errors) or ''}\n"
        f"latency p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms; throughput {figures['throughput_rps']}/s"
    )
    if check:
        print(
            f"verify: {check['missing_by_id']} missing by id, {check['missing_in_list']} missing in the list, "
            f"{check['duplicated']} duplicated, {check['stored_not_acknowledged']} stored but not acknowledged"
        )
    print("RESULT " + json.dumps(figures))
    lost = check and (check["missing_by_id"] or check["missing_in_list"] or check["duplicated"])
    return 1 if lost or figures["errors"] else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", action="append", required=True, help="server base URL (repeat: round-robin)")
    parser.add_argument("--token", required=True, help="API token of a reporter")
    parser.add_argument("-c", "--concurrency", type=int, default=64, choices=range(1, 513), metavar="N")
    parser.add_argument("-d", "--duration", type=float, default=60.0, help="seconds (at most 600)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--no-verify", dest="verify", action="store_false")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 600:
        parser.error("--duration must be in (0, 600]")
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
