"""Health, readiness, Prometheus metrics and the structured access log."""

from __future__ import annotations

import json
import logging
import logging.config
import re

from fastapi.testclient import TestClient

from triage.service.observability import JsonFormatter, log_config

from .conftest import Org

SAMPLE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.e+]+$'
)


def test_health_and_readiness(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok" and ready.json()["model"]


def test_metrics_in_prometheus_text_format(client: TestClient, org: Org) -> None:
    text = "Ik weet waar je woont. Morgen sta ik met een mes voor je deur."
    assert (
        client.post("/api/v1/reports", json={"text": text}, headers=org.reporter.headers).status_code == 201
    )
    client.get("/api/v1/reports/does-not-exist", headers=org.reporter.headers)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    body = response.text
    for line in body.splitlines():
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or SAMPLE.match(line), line
    assert re.search(
        r'triage_http_request_duration_seconds_bucket\{method="POST",route="/api/v1/reports",status="201",le="0.1"\} \d+',
        body,
    )
    assert 'route="/api/v1/reports/{report_id}",status="404"' in body  # templates, never raw ids
    assert "does-not-exist" not in body
    assert re.search(r'triage_engine_classify_duration_seconds_count\{kind="classify"\} [1-9]', body)
    for severity in ("none", "low", "medium", "high", "critical"):
        assert re.search(rf'triage_queue_size\{{severity="{severity}"\}} \d+', body)
    assert re.search(r'triage_model_info\{name="[^"]+",version="[^"]+"\} 1', body)
    assert "# TYPE triage_http_request_duration_seconds histogram" in body


def test_every_response_has_a_request_id(client: TestClient) -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", client.get("/healthz").headers["x-request-id"])


def test_json_log_lines() -> None:
    record = logging.LogRecord("triage.access", logging.INFO, __file__, 1, "GET %s %s", ("/x", 200), None)
    record.route = "/x"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["msg"] == "GET /x 200" and entry["level"] == "info" and entry["route"] == "/x"
    assert entry["ts"].endswith("+00:00")
    config = log_config("INFO")
    assert config["loggers"]["uvicorn.access"]["propagate"] is False  # its lines carry query strings
    assert config["formatters"]["main"]["()"] is JsonFormatter
