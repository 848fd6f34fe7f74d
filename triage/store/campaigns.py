"""Campaigns: near-duplicate messages within one organisation, grouped across reporters.

A campaign is named by its first report (`campaign_id`); every member, the first included, carries
that id once a second member arrives. Members join at intake (triage.store.linking): an identical
text joins the campaign of its original; a text of MIN_WORDS words or more is looked up by the LSH
band keys of its signature (triage.store.signature) and joins the campaign of the candidate whose
5-gram Jaccard similarity is highest and at least THRESHOLD. Campaigns are never merged: a message
close to members of two campaigns joins the one it is closest to.

Every member of a running campaign shares most band keys with the others, so a key can hold thousands
of reports. The lookup therefore reads at most FANOUT reports per key (counting all of them made a
forward cost 17 ms at 3,000 members and 167 ms at 30,000, inside the write lock): any member of a
campaign is close to a new copy, so a sample finds it as surely as all of them.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from sqlalchemy import CompoundSelect, bindparam, delete, func, insert, select, union_all
from sqlalchemy.orm import Session

from triage.store.models import Base, CampaignBand, Report, User
from triage.store.signature import THRESHOLD, Signature, band_keys, jaccard, signature
from triage.store.visibility import visible_to

CANDIDATES: Final = 10  # the reports sharing the most band keys are checked with the exact Jaccard
FANOUT: Final = 32  # reports read per band key
SIGNATURE_CACHE_BYTES: Final = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Match:
    report_id: str
    campaign_id: str | None  # the campaign it belongs to; None while it is alone
    similarity: float


class Missing:
    """Not in the cache (None is a cached answer: a text too short for a signature)."""


MISSING: Final = Missing()


class SignatureCache:
    """Signatures of recently seen texts by the SHA-256 of the text, so that the candidates of a match
    are not normalised and shingled again for every new message (most candidates are the recent
    members of a running campaign). Content-addressed: an entry can never be stale. Bounded by the
    bytes of the shingle arrays, least recently used first out; a purged text's entry is dropped
    (`forget`), and other processes keep theirs only until it ages out."""

    def __init__(self, max_bytes: int = SIGNATURE_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Signature | None] = OrderedDict()
        self._bytes = 0

    @staticmethod
    def _size(sig: Signature | None) -> int:
        return 64 if sig is None else sig.shingles.nbytes + sig.minhash.nbytes + 64

    def get(self, digest: str) -> Signature | Missing | None:
        with self._lock:
            if digest not in self._entries:
                return MISSING
            self._entries.move_to_end(digest)
            return self._entries[digest]

    def put(self, digest: str, sig: Signature | None) -> None:
        size = self._size(sig)
        if size > self.max_bytes // 16:
            return
        with self._lock:
            if digest in self._entries:
                return
            self._entries[digest] = sig
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= self._size(dropped)

    def discard(self, digest: str) -> None:
        with self._lock:
            if digest in self._entries:
                self._bytes -= self._size(self._entries.pop(digest))

    def signature(self, digest: str, text: str) -> Signature | None:
        found = self.get(digest)
        if not isinstance(found, Missing):
            return found
        sig = signature(text)
        self.put(digest, sig)
        return sig


signatures = SignatureCache()


@lru_cache(maxsize=4)
def _sample_per_key(key_count: int) -> CompoundSelect:
    """Up to FANOUT + 1 report ids for each of `key_count` keys (k0, k1, ...), in one statement (the
    extra one makes up for the new report itself); one statement per number of keys, built once."""
    per_key = [
        select(CampaignBand.report_id)
        .where(CampaignBand.key == bindparam(f"k{i}"))
        .limit(FANOUT + 1)
        .subquery()
        for i in range(key_count)
    ]
    return union_all(*(select(sample.c.report_id) for sample in per_key))


def _candidates(session: Session, keys: list[int], exclude: str) -> list[str]:
    """The reports sharing the most of these band keys (within each key's sample), best first."""
    unique = list(dict.fromkeys(keys))
    if not unique:
        return []
    statement = _sample_per_key(len(unique))
    hits = Counter(session.scalars(statement, {f"k{i}": key for i, key in enumerate(unique)}))
    hits.pop(exclude, None)
    return sorted(hits, key=lambda report_id: (-hits[report_id], report_id))[:CANDIDATES]


# By primary key alone: with `org_id` in the WHERE clause SQLite's planner scanned the organisation's
# index instead (2 ms at 2,400 reports, growing with every report); the organisation is checked below.
_CANDIDATE_ROWS: Final = (
    select(Report.id, Report.campaign_id, Report.text_sha256, Report.org_id, Report.purged_at)
    .where(Report.id.in_(bindparam("ids", expanding=True)))
    .order_by(Report.created_at, Report.id)
)
_TEXTS: Final = select(Report.id, Report.text).where(Report.id.in_(bindparam("ids", expanding=True)))


def find_match(
    session: Session, *, org_id: str, sig: Signature, keys: list[int], exclude: str
) -> Match | None:
    """The closest earlier report of the organisation at or above THRESHOLD, if any."""
    candidates = _candidates(session, keys, exclude)
    if not candidates:
        return None
    rows = [
        (report_id, campaign_id, digest)
        for report_id, campaign_id, digest, org, purged_at in session.execute(
            _CANDIDATE_ROWS, {"ids": candidates}
        )
        if org == org_id and purged_at is None
    ]
    known = {digest: signatures.get(digest) for _, _, digest in rows}
    missing = [report_id for report_id, _, digest in rows if isinstance(known[digest], Missing)]
    if missing:  # texts only for candidates whose signature this process has not seen
        texts = dict(session.execute(_TEXTS, {"ids": missing}).tuples().all())
        for report_id, _, digest in rows:
            if report_id in texts:
                known[digest] = signatures.signature(digest, texts[report_id])
    best: Match | None = None
    for report_id, campaign_id, digest in rows:
        other = known[digest]
        similarity = jaccard(sig, other) if isinstance(other, Signature) else 0.0
        if similarity >= THRESHOLD and (best is None or similarity > best.similarity):
            best = Match(report_id, campaign_id, similarity)
    return best


# Core, on the table: no ORM bulk machinery per row (the report's row is flushed before).
_INSERT_BANDS: Final = insert(Base.metadata.tables[CampaignBand.__tablename__])


def store_bands(session: Session, report_id: str, keys: list[int]) -> None:
    rows = [{"key": key, "report_id": report_id} for key in dict.fromkeys(keys)]
    session.execute(_INSERT_BANDS, rows)


def forget(session: Session, report: Report) -> None:
    """Delete the band keys of a report whose text is about to be deleted (retention, erasure)."""
    signatures.discard(report.text_sha256)
    sig = signature(report.text)
    if sig is None:
        return
    keys = band_keys(sig, report.org_id)
    session.execute(
        delete(CampaignBand)
        .where(CampaignBand.report_id == report.id, CampaignBand.key.in_(keys))
        .execution_options(synchronize_session=False)
    )


_COUNT_MEMBERS: Final = select(func.count(Report.id)).where(Report.campaign_id == bindparam("campaign"))


def count_members(session: Session, campaign_id: str) -> int:
    return session.scalar(_COUNT_MEMBERS, {"campaign": campaign_id}) or 0


def campaign_sizes(session: Session, campaign_ids: Collection[str]) -> dict[str, int]:
    """The number of reports of each campaign, in one query."""
    if not campaign_ids:
        return {}
    rows = session.execute(
        select(Report.campaign_id, func.count(Report.id))
        .where(Report.campaign_id.in_(sorted(campaign_ids)))
        .group_by(Report.campaign_id)
    )
    return {campaign_id: count for campaign_id, count in rows if campaign_id is not None}


def resolve(session: Session, org_id: str, report_id: str) -> str:
    """The campaign a report belongs to, given any member's id (itself when it has none)."""
    campaign_id = session.scalar(
        select(Report.campaign_id).where(Report.id == report_id, Report.org_id == org_id)
    )
    return campaign_id or report_id


def members(session: Session, viewer: User, report: Report, limit: int = 50) -> list[Report]:
    """The campaign's reports that `viewer` may see, oldest first (for the report page)."""
    if not report.campaign_id or report.org_id != viewer.org_id:
        return []
    return list(
        session.scalars(
            select(Report)
            .where(Report.campaign_id == report.campaign_id, *visible_to(viewer))
            .order_by(Report.created_at, Report.id)
            .limit(limit)
        )
    )
