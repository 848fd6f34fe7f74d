"""Optional RFC 3161 trusted timestamp over the manifest's SHA-256.

Only used when a time-stamping authority (TSA) is configured. The response token is stored as
`timestamp.tsr` beside the signature; `openssl ts -verify` checks it against the TSA's chain.
"""

from __future__ import annotations

import secrets
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from triage.evidence.errors import EvidenceError

_SHA256_OID = bytes.fromhex("0609608648016503040201")  # OID 2.16.840.1.101.3.4.2.1, DER encoded


class Timestamper(Protocol):
    def timestamp(self, digest: bytes) -> bytes:
        """A DER TimeStampResp for a SHA-256 `digest`."""
        ...


def _der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(encoded)]) + encoded + content


def _integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def timestamp_request(digest: bytes, nonce: int | None = None) -> bytes:
    """DER TimeStampReq (v1, SHA-256 imprint, nonce, certReq TRUE)."""
    if len(digest) != 32:
        raise ValueError("a SHA-256 digest has 32 bytes")
    algorithm = _der(0x30, _SHA256_OID + b"\x05\x00")
    imprint = _der(0x30, algorithm + _der(0x04, digest))
    nonce_value = secrets.randbits(63) if nonce is None else nonce
    return _der(0x30, _integer(1) + imprint + _integer(nonce_value) + b"\x01\x01\xff")


@dataclass(frozen=True, slots=True)
class Rfc3161Timestamper:
    url: str
    timeout_s: float = 10.0

    def timestamp(self, digest: bytes) -> bytes:
        request = urllib.request.Request(
            self.url,
            data=timestamp_request(digest),
            headers={"Content-Type": "application/timestamp-query"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body: bytes = response.read(1024 * 1024)
        except OSError as exc:
            raise EvidenceError(f"time-stamping authority {self.url} failed: {exc}") from exc
        if digest not in body:
            raise EvidenceError(f"time-stamping authority {self.url} answered without our digest")
        return body


def timestamper_for(url: str | None) -> Timestamper | None:
    return Rfc3161Timestamper(url) if url else None
