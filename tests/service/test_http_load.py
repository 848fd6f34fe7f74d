"""The benchmark's lean load generator (scripts/http_load.py) parses and checks responses correctly."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


def _load() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "http_load.py"
    spec = importlib.util.spec_from_file_location("http_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["http_load"] = module
    spec.loader.exec_module(module)
    return module


http_load = _load()
VERDICT = json.dumps({"severity": "low", "labels": {"insult": 0.9}, "flags": ["insult"]}).encode()


def test_parse_head() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n"
    assert http_load.parse_head(head) == (200, 42, True)
    head = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 7\r\nConnection: close\r\n\r\n"
    assert http_load.parse_head(head) == (401, 7, False)
    assert http_load.parse_head(b"HTTP/1.1 204 No Content\r\nserver: x\r\n\r\n") == (204, 0, True)
    for bad in (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n",
        b"HTTP/1.1 2x0 OK\r\nContent-Length: 1\r\n\r\n",
        b"garbage\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
    ):
        with pytest.raises(http_load.ResponseError):
            http_load.parse_head(bad)


def test_build_request() -> None:
    wire = http_load.build_request(
        "POST", "127.0.0.1", 8000, "/api/v1/classify", b'{"text":"hoi"}', [("Authorization", "Bearer t")]
    )
    assert wire == (
        b"POST /api/v1/classify HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAuthorization: Bearer t\r\n"
        b'Content-Length: 14\r\n\r\n{"text":"hoi"}'
    )


async def _serve(answers: list[bytes]) -> tuple[asyncio.Server, list[bytes]]:
    """A server that reads each request (head and Content-Length body) and sends the next canned
    answer, in pieces, to exercise partial reads; it closes the connection after a Connection: close."""
    received: list[bytes] = []
    turn = iter(range(10**9))

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                received.append(head + await reader.readexactly(length))
                answer = answers[next(turn) % len(answers)]
                for at in range(0, len(answer), 7):
                    writer.write(answer[at : at + 7])
                    await writer.drain()
                if b"Connection: close" in answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0), received


def _answer(status: str, body: bytes, extra: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


def _run(answers: list[bytes], duration: float = 0.3, check_every: int = 1) -> tuple[Any, list[bytes]]:
    async def main() -> tuple[Any, list[bytes]]:
        server, received = await _serve(answers)
        port = server.sockets[0].getsockname()[1]
        wire = {
            port: [
                http_load.build_request("POST", "127.0.0.1", port, "/c", f'{{"n":{n}}}'.encode())
                for n in range(5)
            ]
        }
        async with server:
            result = await http_load.run(
                "127.0.0.1", [port], wire, concurrency=3, duration=duration, check_every=check_every
            )
        return result, received

    return asyncio.run(main())


def test_run_counts_good_answers_and_checks_bodies() -> None:
    result, received = _run([_answer("200 OK", VERDICT)])
    assert result.requests > 10 and result.ok == result.requests and not result.errors
    assert result.checked == result.requests
    assert result.connects == 3 and len(result.latencies) == result.requests
    assert received[0].endswith(b'{"n":0}') and {r[-7:] for r in received[:5]} == {
        f'{{"n":{n}}}'.encode() for n in range(5)
    }


def test_run_counts_wrong_status_bad_bodies_and_reconnects() -> None:
    answers = [
        _answer("200 OK", VERDICT),
        _answer("401 Unauthorized", b'{"detail":"no"}'),
        _answer("200 OK", b'{"severity": 3}'),
        _answer("200 OK", b"not json"),
        _answer("200 OK", VERDICT, "Connection: close\r\n"),
    ]
    result, _ = _run(answers)
    errors = result.errors
    assert errors["http_401"] > 0 and errors["bad_body"] > 0
    assert result.ok > 0 and result.connects > 3


def test_run_counts_unusable_responses_as_errors() -> None:
    result, _ = _run([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"], duration=0.2)
    assert result.ok == 0 and result.errors["ResponseError"] == result.requests > 0
