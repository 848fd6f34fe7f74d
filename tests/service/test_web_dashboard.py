"""The Dashboard page shows the same numbers as `GET /api/v1/stats` for its period, as SVG charts and tables,
under the strict CSP; the period selector moves the window."""

from __future__ import annotations

import re
from collections import Counter

from fastapi.testclient import TestClient

from triage.config import Settings
from triage.engine.labels import LABELS, SEVERITIES, TARGETS
from triage.store.types import utcnow

from .conftest import Forward, Org, backdate, make_org
from .web_login import PASSWORD, log_in

THREAT = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."


def _table(html: str, table_id: str) -> dict[str, float]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return {
        key: float(value)
        for key, value in re.findall(r'<tr data-key="([^"]+)">.*?data-value="([^"]*)"', body, re.S)
    }


def _weekly(html: str) -> dict[str, list[str]]:
    body = html.split('id="weekly"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr data-week="([^"]+)">(.*?)</tr>', body, re.S)
    return {week: re.findall(r'data-value="([^"]*)"', cells) for week, cells in rows}


def _seed(client: TestClient, org: Org, settings: Settings, forward: Forward) -> None:
    threat = forward(org.reporter, THREAT, platform="x")
    forward(org.reporter2, THREAT, platform="x")  # a duplicate: counted once
    insult = forward(org.reporter, "Je bent een kankerlijer en een oplichter", platform="facebook")
    forward(org.reporter, "Wat een slecht plan voor de wijk", platform="email")
    older = forward(org.reporter, "Jij gaat eraan, wacht maar af", platform="x")
    oldest = forward(org.reporter, "Ik maak je dood", platform="tiktok")
    backdate(settings, older["id"], 17)
    backdate(settings, oldest["id"], 150)  # outside the last 12 weeks, inside the last 26
    reviews = [
        (older["id"], {"decision": "confirm"}),
        (
            insult["id"],
            {"decision": "correct", "labels": ["insult"], "severity": "medium", "target": "office"},
        ),
    ]
    for report_id, body in reviews:
        response = client.post(
            f"/api/v1/reports/{report_id}/reviews", json=body, headers=org.reviewer.headers
        )
        assert response.status_code == 201, response.text
    step = {"kind": "police", "reference": "PL-1", "occurred_at": utcnow().isoformat()}
    made = client.post(f"/api/v1/reports/{threat['id']}/follow-ups", json=step, headers=org.reviewer.headers)
    assert made.status_code == 201, made.text


def test_dashboard_numbers_match_the_stats_api(
    client: TestClient, settings: Settings, forward: Forward
) -> None:
    org = make_org(settings, password=PASSWORD)
    _seed(client, org, settings, forward)
    reviewer, _ = log_in(client, org.reviewer)

    page = reviewer.get("/dashboard")
    assert page.status_code == 200
    html = page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "style=" not in html and "<script>" not in html and html.count('<svg class="chart"') >= 7
    found = re.search(r'id="period" data-from="([^"]+)" data-to="([^"]+)"', html)
    assert found is not None
    stats = client.get(
        "/api/v1/stats", params={"from": found.group(1), "to": found.group(2)}, headers=org.reviewer.headers
    ).json()
    totals: dict[str, Counter[str]] = {}
    for row in stats["rows"]:
        if (row["measure"], row["key"]) not in (("police", "share"), ("first_review_hours", "median")):
            totals.setdefault(row["measure"], Counter())[row["key"]] += row["value"]

    total = totals["reports"]["total"]
    assert total == 4  # the duplicate and the report of 150 days ago not counted
    assert re.search(rf'id="total" data-value="{total}"', html)
    assert _table(html, "labels") == {label: totals.get("label", Counter())[label] for label in LABELS}
    assert _table(html, "severity") == {level: totals["severity"][level] for level in SEVERITIES}
    assert _table(html, "targets") == {target: totals["target"][target] for target in TARGETS}
    assert _table(html, "platforms") == dict(totals["platform"])
    assert totals["target"]["office"] >= 1 and totals["police"]["reported"] == 1
    share = re.search(r'id="police-share" data-value="([^"]+)"', html)
    assert share is not None and float(share.group(1)) == round(1 / total, 4)

    weekly = _weekly(html)
    assert len(weekly) in (12, 13)  # this ISO week and the eleven before (one more at a year's turn)
    by_week: dict[str, dict[tuple[str, str], float]] = {}
    for row in stats["rows"]:
        by_week.setdefault(row["week"], {})[row["measure"], row["key"]] = row["value"]
    for week, values in by_week.items():
        cells = weekly[week]
        assert float(cells[0]) == values[("reports", "total")]
        assert float(cells[1]) == values.get(("police", "reported"), 0)
        assert float(cells[2]) == values[("police", "share")]
        median = values.get(("first_review_hours", "median"))
        assert (float(cells[3]) if cells[3] else None) == median
    assert any(float(cells[3]) > 24 * 16 for cells in weekly.values() if cells[3])  # reviewed 17 days late
    assert sum(int(cells[0]) for cells in weekly.values()) == total

    longer = reviewer.get("/dashboard", params={"weeks": 26}).text
    assert re.search(rf'id="total" data-value="{total + 1}"', longer)
    assert reviewer.get("/dashboard", params={"weeks": 0}).status_code == 422


def test_an_empty_dashboard_and_other_organisations(
    client: TestClient, settings: Settings, forward: Forward
) -> None:
    org = make_org(settings, password=PASSWORD)
    other = make_org(settings)
    forward(other.reporter, THREAT)
    admin, _ = log_in(client, org.admin)
    page = admin.get("/dashboard", params={"weeks": 4})
    assert page.status_code == 200 and 'id="total" data-value="0"' in page.text
    assert 'id="no-training"' in page.text  # this server serves a fixed model folder
    reporter, _ = log_in(client, org.reporter)
    assert reporter.get("/dashboard").status_code == 403
    assert 'href="/dashboard"' not in reporter.get("/mine").text
