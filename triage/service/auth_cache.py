"""API tokens resolved recently, kept in the process for a few seconds so that a request with a known
token needs no database round trip (a lookup was a write-locked transaction on SQLite, about a tenth
of a classify request's CPU).

Keyed by the token's SHA-256 (the secret itself is never kept). An entry lives at most `ttl` seconds
(`TRIAGE_TOKEN_CACHE_SECONDS`, default 5; 0 turns the cache off). Revoking a token, deactivating,
erasing or changing a user empties the cache of this process as soon as that transaction commits
(`watch`); in other processes (a second server, the CLI) the change takes effect within `ttl` seconds,
when their entry expires and the next request looks the token up again. A lookup that began before
such a commit never stores its (possibly outdated) answer: every clear starts a new generation.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached, sessionmaker

from triage.store.models import Credential, User
from triage.store.types import utcnow

MAX_ENTRIES: Final = 10_000
_WATCHED: Final = frozenset({User.__tablename__, Credential.__tablename__})
_CHANGED: Final = "triage_auth_changed"
# Every column, so that the copy behaves as a user loaded from the database (a detached instance
# raises on an attribute it never loaded).
_USER_COLUMNS: Final = tuple(attr.key for attr in inspect(User).column_attrs)


@dataclass(frozen=True, slots=True)
class _Entry:
    user: dict[str, Any]
    token_expires_at: datetime | None
    stored_at: float


class TokenCache:
    def __init__(self, ttl: float, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def get(self, digest: str) -> User | None:
        """A detached copy of the token's user (each request its own), or None when not cached."""
        if not self.enabled:
            return None
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if time.monotonic() - entry.stored_at >= self.ttl or (
            entry.token_expires_at is not None and entry.token_expires_at < utcnow()
        ):
            with self._lock:
                if self._entries.get(digest) is entry:
                    del self._entries[digest]
            return None
        user = User(**entry.user)
        make_transient_to_detached(user)  # as if loaded by a session that has closed since
        return user

    def put(self, digest: str, user: User, token_expires_at: datetime | None, generation: int) -> None:
        """Remember a lookup that started in `generation`; dropped when the cache was cleared since."""
        if not self.enabled:
            return
        entry = _Entry({c: getattr(user, c) for c in _USER_COLUMNS}, token_expires_at, time.monotonic())
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[digest] = entry

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Clear the cache whenever a transaction of `sessions` that changed or deleted a user, or
        deleted or changed credentials in bulk, commits."""

        @event.listens_for(sessions, "after_flush")
        def _after_flush(session: Session, _context: Any) -> None:
            changed = any(isinstance(o, User) for o in (*session.dirty, *session.deleted)) or any(
                isinstance(o, Credential) for o in session.deleted
            )
            if changed:
                session.info[_CHANGED] = True

        @event.listens_for(sessions, "do_orm_execute")
        def _bulk(state: ORMExecuteState) -> None:
            if state.is_update or state.is_delete:
                table = getattr(state.statement, "table", None)
                if getattr(table, "name", None) in _WATCHED:
                    state.session.info[_CHANGED] = True

        @event.listens_for(sessions, "after_commit")
        def _after_commit(session: Session) -> None:
            if session.info.pop(_CHANGED, False):
                self.clear()

        @event.listens_for(sessions, "after_rollback")
        def _after_rollback(session: Session) -> None:
            session.info.pop(_CHANGED, None)
