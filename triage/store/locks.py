"""Serialising work that reads then writes rows of other transactions (campaign and author links)."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def serialise(session: Session, name: str) -> None:
    """Until this transaction ends, one transaction at a time per `name`, across processes.

    On PostgreSQL a transaction-level advisory lock, taken again freely by the same transaction; on
    SQLite every write transaction is serialised already (BEGIN IMMEDIATE, see triage.store.db).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
