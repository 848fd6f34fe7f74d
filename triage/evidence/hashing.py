"""Streaming SHA-256: hash and copy in fixed chunks, never the whole file in memory."""

from __future__ import annotations

import hashlib
from typing import IO, BinaryIO, Protocol

CHUNK = 1024 * 1024


class _Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def copy_hashed(
    source: BinaryIO | IO[bytes], sink: _Writable, tee: bytearray | None = None, tee_limit: int = 0
) -> tuple[str, int]:
    """Copy `source` to `sink` in chunks; (sha256 hex, size). Keeps the first `tee_limit` bytes in `tee`."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        sink.write(chunk)
        size += len(chunk)
        if tee is not None and len(tee) < tee_limit:
            tee.extend(chunk[: tee_limit - len(tee)])
    return digest.hexdigest(), size


def sha256_stream(source: BinaryIO | IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
