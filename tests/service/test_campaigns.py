"""Campaigns (near-duplicates across reporters) and repeat senders: grouping, tenancy, visibility, and
the queue priority they raise. Real Dutch messages through the real engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from triage.config import Settings
from triage.store.priority import priority

from .conftest import Forward, Member, Org

# One campaign: the same threat to several council members, with another salutation and name, emoji,
# an extra word, shouting and other punctuation.
CAMPAIGN = [
    "Beste mevrouw De Vries, jullie gemeenteraad is een stelletje landverraders. Wij weten waar jullie "
    "wonen en jullie krijgen wat jullie verdienen. Pas maar op.",
    "Hallo meneer Jansen 👋, jullie gemeenteraad is een stelletje landverraders 🤬. Wij weten waar jullie "
    "wonen en jullie krijgen wat jullie verdienen. Pas maar op!",
    "BESTE WETHOUDER BAKKER jullie gemeenteraad is een vies stelletje LANDVERRADERS!!! wij weten waar "
    "jullie wonen en jullie krijgen wat jullie verdienen... pas maar op",
]
# Reuses half a sentence of the campaign, but is another message (5-gram Jaccard 0.45).
RELATED = (
    "Jullie zijn allemaal landverraders, wij weten waar jullie wonen en jullie krijgen wat jullie verdienen."
)
UNRELATED = [
    "Ik weet waar je woont, wethouder Smit. Morgen sta ik met een mes bij je voordeur.",
    "De gemeenteraad heeft gisteren besloten over het nieuwe azc. Ik ben het er niet mee eens en kom naar "
    "de inspraakavond.",
    "Dank voor uw inzet bij het buurtfeest afgelopen zaterdag, het was een geslaagde middag voor iedereen.",
]
# A low-severity campaign, and a single low insult whose severity_score is higher than theirs.
LOW_CAMPAIGN = [
    "Jullie raadsleden zijn allemaal zakkenvullers en oplichters, schamen jullie je niet?",
    "Beste raadsleden, jullie zijn allemaal zakkenvullers en oplichters, schamen jullie je niet eens? 🤮",
    "JULLIE RAADSLEDEN ZIJN ALLEMAAL ZAKKENVULLERS EN OPLICHTERS!!! Schamen jullie je niet",
]
# Insulting enough that its score sits at the top of the low band, at or above each campaign member's.
LOW_SINGLE = "Wethouder, u bent een corrupte zakkenvuller en een vuile leugenaar, een schande voor deze gemeente. Opzouten!"
MEDIUM_SINGLE = (
    "Raadslid Pietersen, u bent een domme trut die niks van de wijk snapt en zo snel mogelijk moet opkrassen."
)


def _get(client: TestClient, member: Member, report_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/reports/{report_id}", headers=member.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _queue(client: TestClient, member: Member, **params: object) -> list[dict[str, Any]]:
    response = client.get("/api/v1/queue", params=params | {"limit": 200}, headers=member.headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_near_duplicates_from_two_reporters_form_one_campaign(
    client: TestClient, org: Org, other_org: Org, forward: Forward
) -> None:
    first = forward(org.reporter, CAMPAIGN[0], recipient="De Vries")
    second = forward(org.reporter2, CAMPAIGN[1], recipient="Jansen")
    third = forward(org.reporter, CAMPAIGN[2], recipient="Bakker")
    copy = forward(org.reporter2, CAMPAIGN[1])  # the identical text again: a duplicate and a member
    assert copy["duplicate_of"] == second["id"]
    # Another organisation gets the very same text: it never joins, and never shows.
    elsewhere = forward(other_org.reporter, CAMPAIGN[0])
    assert elsewhere["duplicate_of"] is None
    assert _get(client, other_org.reviewer, elsewhere["id"])["campaign"] is None

    ids = [first["id"], second["id"], third["id"], copy["id"]]
    for report_id in ids:
        assert _get(client, org.reviewer, report_id)["campaign"] == {"id": first["id"], "size": 4}
    members = _queue(client, org.reviewer, campaign=third["id"])  # any member names the campaign
    assert sorted(item["id"] for item in members) == sorted(ids)
    assert all(item["campaign"] == {"id": first["id"], "size": 4} for item in members)
    assert elsewhere["id"] not in {item["id"] for item in _queue(client, org.reviewer)}
    assert _queue(client, other_org.reviewer, campaign=first["id"]) == []
    # The duplicate stays folded out of the default queue, as before.
    assert copy["id"] not in {item["id"] for item in _queue(client, org.reviewer)}


def test_unrelated_and_merely_similar_messages_are_not_grouped(
    client: TestClient, org: Org, forward: Forward
) -> None:
    ids = [forward(org.reporter, CAMPAIGN[0])["id"], forward(org.reporter2, RELATED)["id"]]
    ids += [forward(org.reporter, text)["id"] for text in UNRELATED]
    for report_id in ids:
        assert _get(client, org.reviewer, report_id)["campaign"] is None


def test_short_texts_group_only_when_identical(client: TestClient, org: Org, forward: Forward) -> None:
    one = forward(org.reporter, "Vuile landverrader, pas maar op")
    edited = forward(org.reporter2, "vuile landverrader!! pas maar op 🤬")
    same = forward(org.reporter2, "Vuile landverrader, pas maar op")
    assert _get(client, org.reviewer, edited["id"])["campaign"] is None
    assert same["duplicate_of"] == one["id"]
    assert _get(client, org.reviewer, one["id"])["campaign"] == {"id": one["id"], "size": 2}


def test_campaign_outranks_same_severity_but_not_a_higher_band(
    client: TestClient, org: Org, forward: Forward
) -> None:
    single = forward(org.reporter, LOW_SINGLE)
    members = [
        forward(member, text)
        for member, text in zip([org.reporter, org.reporter2, org.reporter], LOW_CAMPAIGN, strict=True)
    ]
    medium = forward(org.reporter2, MEDIUM_SINGLE)
    assert {r["severity"] for r in [single, *members]} == {"low"} and medium["severity"] == "medium"
    assert single["severity_score"] >= max(m["severity_score"] for m in members)  # the bonus decides

    order = [item["id"] for item in _queue(client, org.reviewer)]
    assert order.index(medium["id"]) < min(order.index(m["id"]) for m in members)
    assert max(order.index(m["id"]) for m in members) < order.index(single["id"])
    items = {item["id"]: item for item in _queue(client, org.reviewer)}
    # Every priority stays inside its severity band.
    for item in items.values():
        band = ["none", "low", "medium", "high", "critical"].index(item["severity"]) * 0.2
        assert band <= item["priority"] < band + 0.2


def test_priority_order_pages_with_the_cursor(client: TestClient, org: Org, forward: Forward) -> None:
    texts = [*CAMPAIGN, *UNRELATED, LOW_SINGLE, *LOW_CAMPAIGN[:2], MEDIUM_SINGLE]
    for number, text in enumerate(texts):
        forward(
            org.reporter if number % 2 else org.reporter2, text, author_handle="@boos" if number < 3 else None
        )
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        response = client.get("/api/v1/queue", params=params, headers=org.reviewer.headers)  # type: ignore[arg-type]
        assert response.status_code == 200, response.text
        seen.extend(response.json()["items"])
        cursor = response.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len({item["id"] for item in seen}) == len(texts)
    keys = [(-item["priority"], item["created_at"], item["id"]) for item in seen]
    assert keys == sorted(keys)


def test_author_history_respects_who_may_see_what(
    client: TestClient, org: Org, other_org: Org, forward: Forward
) -> None:
    a1 = forward(org.reporter, UNRELATED[0], platform="x", author_handle="@Boos_Burger")
    a2 = forward(org.reporter, UNRELATED[1], platform="x", author_handle="boos_burger")
    b1 = forward(org.reporter2, UNRELATED[2], platform="x", author_handle="@BOOS_BURGER ")
    facebook = forward(org.reporter2, LOW_SINGLE, platform="facebook", author_handle="@boos_burger")
    forward(other_org.reporter, MEDIUM_SINGLE, platform="x", author_handle="@boos_burger")

    seen = _get(client, org.reviewer, a1["id"])["author_history"]
    assert seen == {"count": 3, "report_ids": [b1["id"], a2["id"]]}
    assert _get(client, org.reviewer, facebook["id"])["author_history"] == {"count": 1, "report_ids": []}
    # A reporter sees only their own reports of that sender.
    assert _get(client, org.reporter, a1["id"])["author_history"] == {"count": 2, "report_ids": [a2["id"]]}
    assert _get(client, org.reporter2, b1["id"])["author_history"] == {"count": 1, "report_ids": []}
    assert _get(client, org.reporter, a1["id"])["campaign"] is None
    own = client.get("/api/v1/reports", headers=org.reporter2.headers).json()["items"]
    assert {item["id"]: item["author_history"]["count"] for item in own} == {b1["id"]: 1, facebook["id"]: 1}
    # The queue: counts of the whole organisation, and the author filter on any spelling and platform.
    queued = {item["id"]: item for item in _queue(client, org.reviewer)}
    assert queued[b1["id"]]["author_history"] == {"count": 3, "report_ids": [a2["id"], a1["id"]]}
    by_author = {item["id"] for item in _queue(client, org.reviewer, author="@BOOS_burger")}
    assert by_author == {a1["id"], a2["id"], b1["id"], facebook["id"]}
    # The sender's three reports on x carry the bonus of three; the one on facebook none.
    for report, count in ((a1, 3), (b1, 3), (facebook, 1)):
        expected = priority(report["severity"], report["severity_score"], 1, count)
        assert queued[report["id"]]["priority"] == pytest.approx(expected)


def test_web_queue_badges_and_report_section(client: TestClient, org: Org, forward: Forward) -> None:
    first = forward(org.reporter, CAMPAIGN[0], author_handle="@boos")
    second = forward(org.reporter2, CAMPAIGN[1], author_handle="@boos")
    page = client.get("/queue", headers=org.reviewer.headers)
    assert page.status_code == 200
    assert "campagne: 2 berichten" in page.text and "afzender: 2 meldingen" in page.text
    filtered = client.get(f"/queue?campaign={second['id']}", headers=org.reviewer.headers)
    assert first["id"] in filtered.text and second["id"] in filtered.text
    report = client.get(f"/reports/{first['id']}", headers=org.reviewer.headers)
    assert "Campagne en afzender" in report.text
    assert f'href="/reports/{second["id"]}"' in report.text
    # The reporter of the first sees neither the campaign nor the other reporter's report.
    own = client.get(f"/reports/{first['id']}", headers=org.reporter.headers)
    assert own.status_code == 200
    assert second["id"] not in own.text and "campagne:" not in own.text


def test_concurrent_forwards_of_one_campaign_end_in_one_campaign_with_exact_counts(
    client: TestClient, org: Org, forward: Forward
) -> None:
    names = ["De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder"]
    texts = [CAMPAIGN[0].replace("mevrouw De Vries", f"raadslid {name}") for name in names]
    members = [org.reporter, org.reporter2]
    with ThreadPoolExecutor(max_workers=8) as pool:
        sent = list(
            pool.map(lambda n: forward(members[n % 2], texts[n], author_handle="@boos"), range(len(texts)))
        )
    details = [_get(client, org.reviewer, report["id"]) for report in sent]
    assert len({d["campaign"]["id"] for d in details}) == 1
    assert {d["campaign"]["size"] for d in details} == {len(texts)}
    assert {d["author_history"]["count"] for d in details} == {len(texts)}


def test_a_forward_is_one_transaction_and_its_answer_matches_the_stored_report(
    client: TestClient, org: Org, settings: Settings
) -> None:
    """Intake reads its links before inserting the report and reads the answer in the same transaction:
    one BEGIN, nothing after the COMMIT (so nothing queries on the event loop), one INSERT of the
    report and no UPDATE of it unless a campaign or sender reached the next step."""
    engine = client.app.state.triage.db  # type: ignore[attr-defined]
    client.post("/api/v1/classify", json={"text": "hallo"}, headers=org.reviewer.headers)  # token cached
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(" ".join(statement.split()[:3]).upper())

    def committed(_conn: Any) -> None:
        statements.append("COMMIT")

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "commit", committed)
    try:
        answers = []
        for text in CAMPAIGN[:3]:
            statements.clear()
            response = client.post(
                "/api/v1/reports", json={"text": text, "author_handle": "@boos"}, headers=org.reviewer.headers
            )
            assert response.status_code == 201, response.text
            answers.append(response.json())
            assert statements[-1] == "COMMIT", statements
            assert sum(s == "INSERT INTO REPORTS" for s in statements) == 1
            if settings.effective_database_url.startswith("sqlite"):
                assert sum(s.startswith("BEGIN") for s in statements) == 1, statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "commit", committed)
    assert answers[2]["campaign"] == {"id": answers[0]["id"], "size": 3}
    assert answers[2]["author_history"]["count"] == 3
    for answer in answers:  # the earlier ones' campaign, sender count and priority grew since
        stored = _get(client, org.reviewer, answer["id"])
        same = ("id", "created_at", "status", "severity", "verdict", "text_sha256", "duplicate_of", "police")
        if answer is answers[-1]:
            same += ("priority", "campaign", "author_history", "attachments", "advice")
        assert {k: answer[k] for k in same} == {k: stored[k] for k in same}
