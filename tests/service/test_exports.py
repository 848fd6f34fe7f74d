"""GIR-ready exports (CSV, JSON) for a period and the organisation's statistics (JSON, CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from fastapi.testclient import TestClient

from triage.store.deadlines import AMSTERDAM
from triage.store.exports import GIR_FIELDS
from triage.store.types import utcnow

from .conftest import Forward, Org

THREAT = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."
FORMULA = '=HYPERLINK("http://evil.example","klik") ik maak je dood'


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def _review(client: TestClient, org: Org, report_id: str, **body: object) -> None:
    response = client.post(
        f"/api/v1/reports/{report_id}/reviews",
        json={"decision": "confirm", **body},
        headers=org.reviewer.headers,
    )
    assert response.status_code == 201, response.text


def test_gir_export_csv_and_json(client: TestClient, org: Org, other_org: Org, forward: Forward) -> None:
    threat = forward(
        org.reporter,
        THREAT,
        platform="x",
        url="https://x.com/boos/status/9",
        author_handle="@boos",
        author_details="bekend als buurman, naam bij de griffie bekend",
        author_lawful_basis="art. 6 lid 1 sub e AVG: publieke taak (veiligheid ambtsdragers)",
        recipient_role="burgemeester",
        posted_at="2026-11-20T23:30:00+00:00",  # 21 November in Dutch time
    )
    forward(org.reporter2, THREAT, platform="x")  # a duplicate: folded into the first
    formula = forward(org.reporter, FORMULA, posted_at="2026-11-21T10:00:00+01:00")
    outside = forward(org.reporter, "Ik maak je dood", posted_at="2026-10-01T10:00:00+02:00")
    unreviewed = forward(org.reporter, "Jij gaat eraan", posted_at="2026-11-21T12:00:00+01:00")
    dismissed = forward(org.reporter, "Wat een slecht plan", posted_at="2026-11-21T12:00:00+01:00")
    forward(other_org.reporter, THREAT + " (andere gemeente)", posted_at="2026-11-21T12:00:00+01:00")
    _review(client, org, threat["id"], severity="critical", labels=["threat", "doxxing"], decision="correct")
    _review(client, org, formula["id"])
    _review(client, org, outside["id"])
    client.post(
        f"/api/v1/reports/{dismissed['id']}/reviews",
        json={"decision": "dismiss"},
        headers=org.reviewer.headers,
    )
    client.post(
        f"/api/v1/reports/{threat['id']}/follow-ups",
        json={"kind": "police", "reference": "PL0900-2026-1", "occurred_at": "2026-11-22"},
        headers=org.reviewer.headers,
    )
    client.post(
        f"/api/v1/reports/{threat['id']}/follow-ups",
        json={"kind": "gir", "reference": "GIR-77"},
        headers=org.reviewer.headers,
    )

    response = client.get(
        "/api/v1/exports/gir", params={"from": "2026-11-21", "to": "2026-11-30"}, headers=org.reviewer.headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    header = response.content.decode("utf-8").splitlines()[0]
    assert header.split(",") == list(GIR_FIELDS)
    rows = _csv(response.content)
    assert [r["melding_id"] for r in rows] == [threat["id"], formula["id"]]
    first = rows[0]
    assert first["incident_datum"] == "2026-11-21" and first["incident_tijd"] == "00:30"
    assert first["soort_incident"] == "Bedreiging; Doxing / verspreiden van persoonsgegevens"
    assert first["ernst"] == "critical" and first["labels"] == "threat; doxxing"
    assert first["omschrijving"] == THREAT and first["platform"] == "X (Twitter)"
    assert first["dader_account"] == "@boos" and first["dader_overige_gegevens"].startswith("bekend als")
    assert first["grondslag_dadergegevens"].startswith("art. 6")
    assert first["functie_betrokkene"] == "burgemeester"
    assert (first["aangifte_gedaan"], first["aangifte_registratienummer"], first["aangifte_datum"]) == (
        "ja",
        "PL0900-2026-1",
        "2026-11-22",
    )
    assert first["gir_kenmerk"] == "GIR-77" and first["aantal_keer_doorgestuurd"] == "2"
    assert first["status"] == "reported"
    assert rows[1]["omschrijving"] == "'" + FORMULA  # a formula stays text in a spreadsheet

    as_json = client.get(
        "/api/v1/exports/gir",
        params={"from": "2026-11-21", "to": "2026-11-30", "format": "json", "include_unreviewed": "true"},
        headers=org.admin.headers,
    )
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    document = as_json.json()
    assert document["period"] == {"from": "2026-11-21", "to": "2026-11-30", "timezone": "Europe/Amsterdam"}
    ids = [r["melding_id"] for r in document["records"]]
    assert ids[:2] == [threat["id"], formula["id"]] and unreviewed["id"] in ids
    assert dismissed["id"] not in ids and outside["id"] not in ids
    assert document["records"][1]["omschrijving"] == FORMULA  # JSON keeps the text exactly
    assert document["records"][0]["aantal_keer_doorgestuurd"] == 2

    for params in (
        {"from": "2026-12-01", "to": "2026-11-01"},
        {"format": "xml"},
        {"from": "gisteren"},
        {"from": "0001-01-01", "to": "0001-01-01"},
        {"from": "9999-12-30", "to": "9999-12-31"},
    ):
        assert (
            client.get("/api/v1/exports/gir", params=params, headers=org.reviewer.headers).status_code == 422
        )
    assert client.get("/api/v1/exports/gir", headers=org.reporter.headers).status_code == 403
    assert client.get("/api/v1/exports/gir").status_code == 401
    theirs = client.get(
        "/api/v1/exports/gir",
        params={"from": "2026-11-01", "to": "2026-11-30", "include_unreviewed": "true", "format": "json"},
        headers=other_org.reviewer.headers,
    ).json()
    assert threat["id"] not in [r["melding_id"] for r in theirs["records"]]

    bundle = client.get(f"/api/v1/reports/{threat['id']}/bundle", headers=org.reviewer.headers)
    assert bundle.status_code == 200  # and the GIR export is in the report's chain of custody:
    import json
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bundle.content)) as zf:
        folder = json.loads(zf.read("manifest.json"))["messages"][0]["folder"]
        actions = [e["action"] for e in json.loads(zf.read(f"{folder}/custody.json"))["events"]]
    assert actions.count("export_gir") == 2


def test_statistics_json_and_csv(client: TestClient, org: Org, forward: Forward) -> None:
    threat = forward(org.reporter, THREAT, platform="x")
    forward(org.reporter2, THREAT, platform="x")  # duplicate: not counted twice
    forward(org.reporter, "Wat een slecht plan van de wethouder", platform="facebook")
    _review(client, org, threat["id"])
    client.post(
        f"/api/v1/reports/{threat['id']}/follow-ups",
        json={"kind": "police", "reference": "PL-9", "occurred_at": "2026-11-22"},
        headers=org.reviewer.headers,
    )
    today = utcnow().astimezone(AMSTERDAM).date()
    year, week, _ = today.isocalendar()
    label = f"{year}-W{week:02d}"

    body = client.get("/api/v1/stats", headers=org.reviewer.headers).json()
    assert body["period_to"] == str(today)
    values = {(r["measure"], r["key"]): r["value"] for r in body["rows"] if r["week"] == label}
    assert values["reports", "total"] == 2
    assert values["platform", "x"] == 1 and values["platform", "facebook"] == 1
    assert values["police", "reported"] == 1 and values["police", "share"] == 0.5
    assert values["severity", "none"] == 1 and values["label", "threat"] == 1
    assert values["first_review_hours", "median"] >= 0

    response = client.get(
        "/api/v1/exports/stats",
        params={"from": str(today - timedelta(days=7)), "to": str(today)},
        headers=org.admin.headers,
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = _csv(response.content)
    assert list(rows[0]) == ["week", "measure", "key", "value"]
    assert {"week": label, "measure": "reports", "key": "total", "value": "2"} in rows
    assert client.get("/api/v1/exports/stats", headers=org.reporter.headers).status_code == 403
    empty = client.get(
        "/api/v1/stats",
        params={"from": "2020-01-01", "to": str(date(2020, 1, 31))},
        headers=org.reviewer.headers,
    )
    assert empty.json()["rows"] == []
