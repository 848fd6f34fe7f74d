"""A lean HTTP/1.1 load generator for the benchmarks: asyncio streams, persistent keep-alive
connections, requests serialised to bytes before the run, responses parsed only as far as needed.

Every response is checked: the status line must say 200 (or the expected status), the body is read to
the length its Content-Length gives (a response without one, or a connection the server closes, counts
as an error and the connection is opened again), and every `check_every`-th body is parsed as JSON and
handed to a check (for classify: a verdict with a severity and labels). Each of `concurrency`
connections sends its next request as soon as the previous answer is in (a closed loop), for a fixed
duration; the texts are taken in turn from a shared list, so no two requests of a run send the same
body while the list lasts. Latency runs from writing the request to reading the last byte of the body.

It uses about a tenth of the CPU per request that httpx needs, so that on a machine where it shares
the cores with the server it takes less away from what it measures.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

HEAD_END = b"\r\n\r\n"
MAX_HEAD = 64 * 1024


class ResponseError(Exception):
    """A response this client cannot use: no Content-Length, a broken status line, a short body."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    keep_alive: bool


def build_request(
    method: str, host: str, port: int, path: str, body: bytes, headers: Sequence[tuple[str, str]] = ()
) -> bytes:
    """One HTTP/1.1 request as the bytes that go on the wire (keep-alive is HTTP/1.1's default)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def parse_head(head: bytes) -> tuple[int, int, bool]:
    """(status, content length, keep-alive) from a response head ending in CRLF CRLF."""
    if not head.startswith(b"HTTP/1.") or len(head) < 12 or head[12:13] not in (b" ", b"\r"):
        raise ResponseError(f"bad status line: {head[:40]!r}")
    try:
        status = int(head[9:12])
    except ValueError as exc:
        raise ResponseError(f"bad status line: {head[:40]!r}") from exc
    lower = head.lower()
    at = lower.find(b"\r\ncontent-length:")
    if at < 0:
        if b"\r\ntransfer-encoding:" in lower:
            raise ResponseError("chunked response: this client reads only Content-Length bodies")
        if status in (204, 304) or 100 <= status < 200:
            length = 0
        else:
            raise ResponseError("response without Content-Length")
    else:
        end = lower.index(b"\r\n", at + 2)
        try:
            length = int(lower[at + 17 : end].strip())
        except ValueError as exc:
            raise ResponseError("bad Content-Length") from exc
    keep_alive = b"\r\nconnection: close\r\n" not in lower and not head.startswith(b"HTTP/1.0")
    return status, length, keep_alive


async def read_response(reader: asyncio.StreamReader) -> Response:
    try:
        head = await reader.readuntil(HEAD_END)
    except asyncio.LimitOverrunError as exc:
        raise ResponseError("response head too long") from exc
    status, length, keep_alive = parse_head(head)
    body = await reader.readexactly(length) if length else b""
    return Response(status, body, keep_alive)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    checked: int = 0  # bodies parsed and checked
    connects: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> int:
        return self.requests - sum(self.errors.values())


def verdict_check(body: Any) -> bool:
    """A classify answer: a verdict object with a severity and the label probabilities."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("severity"), str)
        and isinstance(body.get("labels"), dict)
        and isinstance(body.get("flags"), list)
    )


async def run(
    host: str,
    ports: Sequence[int],
    requests: dict[int, Sequence[bytes]],
    *,
    concurrency: int,
    duration: float,
    expect: int = 200,
    check: Callable[[Any], bool] = verdict_check,
    check_every: int = 10,
    timeout: float = 60.0,
) -> Result:
    """`concurrency` connections, connection i to ports[i % len(ports)], each sending requests[port][n]
    for n = 0, 1, 2, ... (shared among all connections) back to back until `duration` has passed."""
    result = Result()
    counter = itertools.count()
    started = time.perf_counter()
    deadline = started + duration

    async def connection(slot: int) -> None:
        port = ports[slot % len(ports)]
        wire = requests[port]
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        try:
            while time.perf_counter() < deadline:
                if writer is None or reader is None:
                    try:
                        reader, writer = await asyncio.open_connection(host, port, limit=MAX_HEAD)
                    except OSError as exc:
                        result.errors[f"connect_{type(exc).__name__}"] += 1
                        result.requests += 1
                        await asyncio.sleep(0.05)
                        continue
                    result.connects += 1
                number = next(counter)
                sent = time.perf_counter()
                try:
                    writer.write(wire[number % len(wire)])
                    response = await asyncio.wait_for(read_response(reader), timeout)
                except (OSError, EOFError, ResponseError, TimeoutError) as exc:
                    result.requests += 1
                    result.errors[type(exc).__name__] += 1
                    writer.close()
                    reader = writer = None
                    continue
                result.requests += 1
                result.latencies.append(time.perf_counter() - sent)
                if response.status != expect:
                    result.errors[f"http_{response.status}"] += 1
                elif number % check_every == 0:
                    result.checked += 1
                    try:
                        good = check(json.loads(response.body))
                    except ValueError:
                        good = False
                    if not good:
                        result.errors["bad_body"] += 1
                if not response.keep_alive:
                    writer.close()
                    reader = writer = None
        finally:
            if writer is not None:
                writer.close()

    await asyncio.gather(*(connection(slot) for slot in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result
