"""SQLite write transactions queue on a lock in the process before BEGIN IMMEDIATE (triage.store.db)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from triage.store.db import GatedConnection, make_db_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_db_engine(f"sqlite:///{(tmp_path / 'gate.db').as_posix()}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    yield engine
    engine.dispose()


def _raw(connection: Any) -> GatedConnection:
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, GatedConnection)
    return raw


def test_the_gate_is_held_for_the_transaction_and_left_on_commit_rollback_and_close(engine: Engine) -> None:
    with engine.connect() as connection:
        raw = _raw(connection)
        assert not raw.gate.locked()
        connection.execute(text("INSERT INTO t VALUES (1)"))  # autobegin
        assert raw.holds_gate and raw.gate.locked()
        connection.commit()
        assert not raw.holds_gate and not raw.gate.locked()
        connection.execute(text("INSERT INTO t VALUES (2)"))
        connection.rollback()
        assert not raw.gate.locked()
        connection.execute(text("SELECT 1"))
        assert raw.gate.locked()
    assert not raw.gate.locked()  # returned to the pool: the pool's reset rolls back
    with pytest.raises(ZeroDivisionError), engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (3)"))
        raise ZeroDivisionError
    assert not raw.gate.locked()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM t")).scalars().all() == [1]
        raw = _raw(connection)
        connection.execute(text("SELECT 1"))
        connection.invalidate()  # closes the DBAPI connection mid-transaction
    assert not raw.gate.locked()


def test_each_engine_has_its_own_gate(tmp_path: Path, engine: Engine) -> None:
    other = make_db_engine(f"sqlite:///{(tmp_path / 'other.db').as_posix()}")
    try:
        with engine.connect() as first, other.connect() as second:
            assert _raw(first).gate is not _raw(second).gate
    finally:
        other.dispose()


def test_concurrent_writers_all_commit(engine: Engine) -> None:
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for step in range(40):
                with engine.begin() as connection:
                    connection.execute(text("INSERT INTO t VALUES (:n)"), {"n": number * 1000 + step})
                    connection.execute(text("SELECT count(*) FROM t")).scalar_one()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(DISTINCT n) FROM t")).scalar_one() == 12 * 40
        raw = _raw(connection)
    assert not raw.gate.locked()
