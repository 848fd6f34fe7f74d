"""`triage serve --workers 2` on the embedded SQLite: two processes answer on one port, and the kernel
spreads the connections over both (each worker accepts on a socket of its own, SO_REUSEPORT)."""

from __future__ import annotations

import http.client
import json
import os
import sys
import time
from pathlib import Path

import pytest

from .processes import Server, cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _workers(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid and "spawn_main" in (entry / "cmdline").read_text():
                found.append(int(entry.name))
    return found


def _established(port: int) -> set[int]:
    """Socket inodes of the established connections whose local end is `port`."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
            inodes.add(int(fields[9]))
    return inodes


def _sockets_of(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


@pytest.mark.slow
def test_two_workers_share_the_port_and_the_connections(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env |= {"TRIAGE_DATA_DIR": str(tmp_path / "data")}
    cli(env, "db", "upgrade")
    cli(env, "users", "add", "melder@workers.example", "--org", "Gemeente Twee", "--role", "reporter")
    token = cli(env, "tokens", "create", "melder@workers.example")
    server = Server(env, tmp_path / "serve.log", "--workers", "2").start(timeout=240)
    try:
        assert server.process is not None
        deadline = time.monotonic() + 240
        while server.log.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, server.log.read_text()[-3000:]
            time.sleep(0.2)
        assert "died" not in server.log.read_text()
        workers = _workers(server.process.pid)
        assert len(workers) == 2, server.log.read_text()[-2000:]
        connections = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=60) for _ in range(16)]
        for number, connection in enumerate(connections):
            body = json.dumps({"text": f"Wethouder {number}, ik weet waar je woont."})
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            connection.request("POST", "/api/v1/classify", body, headers)
            answer = connection.getresponse()
            assert answer.status == 200
            assert json.loads(answer.read())["severity"] in ("none", "low", "medium", "high", "critical")
        # Every connection is still open (keep-alive); count the ones each worker holds.
        established = _established(server.port)
        held = [len(_sockets_of(pid) & established) for pid in workers]
        assert sum(held) == 16 and min(held) >= 1, held
        unauthorised = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        unauthorised.request(
            "POST", "/api/v1/classify", '{"text": "hoi"}', {"Content-Type": "application/json"}
        )
        assert unauthorised.getresponse().status == 401
        for connection in [*connections, unauthorised]:
            connection.close()
    finally:
        server.kill()
