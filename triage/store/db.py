"""Database engine and sessions. SQLite gets WAL, foreign keys and serialised write transactions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


GATE_TIMEOUT_S: Final = 30.0


class GatedConnection(sqlite3.Connection):
    """A SQLite connection whose transactions pass one gate per engine (a subclass per engine holds it).

    Every transaction takes SQLite's write lock (BEGIN IMMEDIATE). When threads of one process compete
    for it, SQLite's busy handler makes the losers poll with growing sleeps (up to 100 ms), so under
    load some requests lose again and again and wait seconds. Queueing on a lock in the process first
    hands the database over as soon as it is free; SQLite's own lock still serialises processes.
    """

    gate: threading.Lock
    holds_gate: bool = False

    def enter_gate(self) -> None:
        if not self.holds_gate:  # after the timeout, SQLite's busy handler decides as before
            self.holds_gate = self.gate.acquire(timeout=GATE_TIMEOUT_S)

    def leave_gate(self) -> None:
        if self.holds_gate:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_gate()


def make_db_engine(url: str) -> Engine:
    if not is_sqlite(url):
        return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    gated = type("GatedConnection", (GatedConnection,), {"gate": threading.Lock()})
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30, "factory": gated}, pool_size=20
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so a read-then-write transaction never fails
        # with SQLITE_BUSY halfway; transactions stay short, so this costs little.
        dbapi_connection = connection.connection.dbapi_connection
        dbapi_connection.enter_gate()  # left again when the transaction commits or rolls back
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            dbapi_connection.leave_gate()
            raise

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
