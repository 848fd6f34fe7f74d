"""The Perspective-compatible endpoint: Perspective's request and answer shapes, its error shape, the
attribute mapping on real Dutch texts, span offsets in code points, keys, and nothing stored."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from triage.config import Settings
from triage.ports import Classifier
from triage.service.app import create_app
from triage.service.perspective import ATTRIBUTES
from triage.store.db import make_db_engine, make_session_factory
from triage.store.models import Base, Report

from .conftest import Org

PATH = "/v1alpha1/comments:analyze"
THREAT = "Ik weet waar je woont, wethouder. Morgen sta ik met een mes voor je deur."
NEUTRAL = "Bedankt voor de uitleg over de begroting, tot donderdag in de raad."
EMOJI_THREAT = "😡🔥 Ik maak je af, vuile hoer."


def analyze(client: TestClient, org: Org, body: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(f"{PATH}?key={org.reporter.token}", json=body, **kwargs)


def google_error(response: Any, code: int, status: str) -> dict[str, Any]:
    assert response.status_code == code, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "status", "details"}
    assert error["code"] == code and error["status"] == status and error["message"]
    assert all("@type" in detail for detail in error["details"])
    return error


def test_a_request_as_the_official_python_client_sends_it(client: TestClient, org: Org) -> None:
    # googleapiclient: discovery.build("commentanalyzer", "v1alpha1", developerKey=KEY, ...)
    # .comments().analyze(body=...).execute() posts this JSON with the key and alt=json in the query.
    body = {"comment": {"text": THREAT}, "requestedAttributes": {"TOXICITY": {}}}
    response = client.post(
        f"{PATH}?key={org.reporter.token}&alt=json",
        content=json.dumps(body).encode(),
        headers={
            "accept": "application/json",
            "accept-encoding": "gzip, deflate",
            "content-type": "application/json",
            "user-agent": "(gzip)",
            "x-goog-api-client": "gdcl/2.131.0 gl-python/3.11.2",
        },
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"attributeScores", "languages", "detectedLanguages"}
    assert set(answer["attributeScores"]) == {"TOXICITY"}
    summary = answer["attributeScores"]["TOXICITY"]["summaryScore"]
    assert summary["type"] == "PROBABILITY" and summary["value"] > 0.9
    assert "spanScores" not in answer["attributeScores"]["TOXICITY"]
    assert answer["languages"] == ["nl"] and answer["detectedLanguages"] == ["nl"]


def test_a_request_as_the_node_client_sends_it(client: TestClient, org: Org) -> None:
    # perspective-api-client (npm) and googleapis for Node: languages, doNotStore, several attributes.
    body = {
        "comment": {"text": NEUTRAL, "type": "PLAIN_TEXT"},
        "languages": ["nl"],
        "requestedAttributes": {"TOXICITY": {}, "SEVERE_TOXICITY": {"scoreType": "PROBABILITY"}},
        "doNotStore": True,
        "sessionId": "s-1",
        "communityId": "raad",
        "context": {"entries": [{"text": "eerder bericht", "type": "PLAIN_TEXT"}]},
    }
    response = client.post(PATH, json=body, headers=org.reporter.headers)  # key as a bearer token
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer["attributeScores"]) == {"TOXICITY", "SEVERE_TOXICITY"}
    assert answer["languages"] == ["nl"]


def test_a_dutch_threat_scores_high_and_a_neutral_sentence_low(client: TestClient, org: Org) -> None:
    every = {name: {} for name in ATTRIBUTES}
    threat = analyze(client, org, {"comment": {"text": THREAT}, "requestedAttributes": every}).json()
    scores = {name: s["summaryScore"]["value"] for name, s in threat["attributeScores"].items()}
    assert set(scores) == set(ATTRIBUTES)
    assert scores["THREAT"] > 0.9 and scores["TOXICITY"] > 0.9
    assert scores["SEVERE_TOXICITY"] >= 0.8  # a threat with an address: critical in the rubric
    neutral = analyze(client, org, {"comment": {"text": NEUTRAL}, "requestedAttributes": every}).json()
    assert all(s["summaryScore"]["value"] < 0.2 for s in neutral["attributeScores"].values()), neutral
    insult = analyze(
        client,
        org,
        {"comment": {"text": "Je bent een domme idioot."}, "requestedAttributes": every},
    ).json()["attributeScores"]
    assert insult["INSULT"]["summaryScore"]["value"] > 0.8
    assert insult["THREAT"]["summaryScore"]["value"] < 0.3
    assert insult["SEVERE_TOXICITY"]["summaryScore"]["value"] < 0.4  # an insult is not severe


def test_experimental_names_give_the_same_scores(client: TestClient, org: Org) -> None:
    body = {"comment": {"text": THREAT}, "requestedAttributes": {"THREAT": {}, "THREAT_EXPERIMENTAL": {}}}
    scores = analyze(client, org, body).json()["attributeScores"]
    assert scores["THREAT"] == scores["THREAT_EXPERIMENTAL"]


def test_span_offsets_point_into_the_original_text_after_emoji(client: TestClient, org: Org) -> None:
    body = {
        "comment": {"text": EMOJI_THREAT},
        "requestedAttributes": {"THREAT": {}, "INSULT": {}, "TOXICITY": {}},
        "spanAnnotations": True,
    }
    scores = analyze(client, org, body).json()["attributeScores"]
    threat = scores["THREAT"]["spanScores"]
    assert any("Ik maak je af" in EMOJI_THREAT[s["begin"] : s["end"]] for s in threat), threat
    [insult] = scores["INSULT"]["spanScores"]
    # Code points, as Perspective counts: the two emoji before it count one each (UTF-16 would say 26).
    assert (insult["begin"], insult["end"]) == (24, 28) == (EMOJI_THREAT.index("hoer"), 28)
    assert EMOJI_THREAT[insult["begin"] : insult["end"]] == "hoer"
    for spans in (s["spanScores"] for s in scores.values()):
        assert all(0 <= s["begin"] < s["end"] <= len(EMOJI_THREAT) for s in spans)
        assert all(a["end"] <= b["begin"] for a, b in itertools.pairwise(spans))  # disjoint
        assert all(s["score"]["type"] == "PROBABILITY" for s in spans)
    for name, s in scores.items():
        assert max(span["score"]["value"] for span in s["spanScores"]) <= s["summaryScore"]["value"], name


def test_without_evidence_one_span_covers_the_text(client: TestClient, org: Org) -> None:
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {"THREAT": {}}, "spanAnnotations": True}
    threat = analyze(client, org, body).json()["attributeScores"]["THREAT"]
    assert threat["spanScores"] == [{"begin": 0, "end": len(NEUTRAL), "score": threat["summaryScore"]}]


def test_score_threshold_leaves_out_low_scores(client: TestClient, org: Org) -> None:
    body = {
        "comment": {"text": EMOJI_THREAT},
        "requestedAttributes": {
            "THREAT": {"scoreThreshold": 0.5},
            "IDENTITY_ATTACK": {"scoreThreshold": 0.5},
        },
    }
    assert set(analyze(client, org, body).json()["attributeScores"]) == {"THREAT"}


def test_client_token_is_echoed_and_snake_case_is_accepted(client: TestClient, org: Org) -> None:
    token = f"tok-{uuid.uuid4().hex}"
    body = {"comment": {"text": NEUTRAL}, "requested_attributes": {"INSULT": {}}, "client_token": token}
    assert analyze(client, org, body).json()["clientToken"] == token
    plain = analyze(client, org, {"comment": {"text": NEUTRAL}, "requestedAttributes": {"INSULT": {}}})
    assert "clientToken" not in plain.json()


def test_key_in_the_query_or_as_bearer_and_bad_keys(client: TestClient, org: Org) -> None:
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {"TOXICITY": {}}}
    assert client.post(f"{PATH}?key={org.admin.token}", json=body).status_code == 200
    assert client.post(PATH, json=body, headers=org.reviewer.headers).status_code == 200
    error = google_error(client.post(PATH, json=body), 403, "PERMISSION_DENIED")
    assert "missing a valid API key" in error["message"]
    google_error(client.post(f"{PATH}?key=trg_wrong", json=body), 401, "UNAUTHENTICATED")
    bad_bearer = {"Authorization": "Bearer trg_wrong"}
    google_error(client.post(PATH, json=body, headers=bad_bearer), 401, "UNAUTHENTICATED")
    # A valid bearer does not rescue a wrong key in the query: the key is what the client meant.
    wrong = client.post(f"{PATH}?key=trg_wrong", json=body, headers=org.reporter.headers)
    google_error(wrong, 401, "UNAUTHENTICATED")


def test_unknown_attribute_and_score_type(client: TestClient, org: Org) -> None:
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {"TOXICITY": {}, "FLIRTATION": {}}}
    error = google_error(analyze(client, org, body), 400, "INVALID_ARGUMENT")
    assert "FLIRTATION" in error["message"]
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {}}
    google_error(analyze(client, org, body), 400, "INVALID_ARGUMENT")
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}
    google_error(analyze(client, org, body), 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"requestedAttributes": {"TOXICITY": {}}}, "comment"),
        ({"comment": {}, "requestedAttributes": {"TOXICITY": {}}}, "comment.text"),
        ({"comment": {"text": NEUTRAL}}, "requestedAttributes"),
        ({"comment": {"text": NEUTRAL}, "requestedAttributes": {"TOXICITY": {}}, "bogus": 1}, "bogus"),
    ],
)
def test_missing_fields_are_field_violations(
    client: TestClient, org: Org, body: dict[str, Any], field: str
) -> None:
    error = google_error(analyze(client, org, body), 400, "INVALID_ARGUMENT")
    violations = [d for d in error["details"] if d["@type"].endswith("google.rpc.BadRequest")]
    assert field in [v["field"] for v in violations[0]["fieldViolations"]], error


def test_bad_json_empty_html_and_too_long_text(client: TestClient, org: Org, settings: Settings) -> None:
    bad = client.post(
        f"{PATH}?key={org.reporter.token}",
        content=b'{"comment": {"text": "hallo"',
        headers={"content-type": "application/json"},
    )
    assert google_error(bad, 400, "INVALID_ARGUMENT")["message"].startswith("Invalid JSON payload")
    for text in ("", "   "):
        body = {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}}
        assert "non-empty" in google_error(analyze(client, org, body), 400, "INVALID_ARGUMENT")["message"]
    html = {"comment": {"text": "<p>hallo</p>", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}}
    assert "HTML" in google_error(analyze(client, org, html), 400, "INVALID_ARGUMENT")["message"]
    limit = min(settings.max_text_chars, 20_000)
    ok = {"comment": {"text": "a" * limit}, "requestedAttributes": {"TOXICITY": {}}}
    assert analyze(client, org, ok).status_code == 200
    long = {"comment": {"text": "a" * (limit + 1)}, "requestedAttributes": {"TOXICITY": {}}}
    assert "too long" in google_error(analyze(client, org, long), 400, "INVALID_ARGUMENT")["message"]


def test_unsupported_languages_in_perspectives_error_shape(client: TestClient, org: Org) -> None:
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["fr"]}
    error = google_error(analyze(client, org, body), 400, "INVALID_ARGUMENT")
    [detail] = [d for d in error["details"] if d.get("errorType")]
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["fr"],
        "attribute": "TOXICITY",
    }
    french = "Je suis très content de la réunion d'hier soir avec le maire de la ville."
    detected = analyze(client, org, {"comment": {"text": french}, "requestedAttributes": {"INSULT": {}}})
    error = google_error(detected, 400, "INVALID_ARGUMENT")
    assert "INSULT does not support request languages: fr" in error["message"]
    for languages in (["nl-BE"], ["en"], ["en-US", "nl"]):
        body["languages"] = languages
        answer = analyze(client, org, body)
        assert answer.status_code == 200 and answer.json()["languages"] == languages
    english = {
        "comment": {"text": "Thank you for the meeting yesterday."},
        "requestedAttributes": {"THREAT": {}},
    }
    assert analyze(client, org, english).json()["detectedLanguages"] == ["en"]


def test_hostile_text_and_token_stay_data(client: TestClient, org: Org) -> None:
    text = "<script>alert(1)</script><img src=x onerror=alert(2)> \u202ejij bent een klootzak \"}'"
    token = '<script>alert("t")</script>\u202e"}'
    body = {"comment": {"text": text}, "requestedAttributes": {"INSULT": {}}, "clientToken": token}
    response = analyze(client, org, body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    answer = response.json()
    assert answer["clientToken"] == token  # echoed as a JSON string, exactly
    assert answer["attributeScores"]["INSULT"]["summaryScore"]["value"] > 0.8
    assert (
        "<script>alert(1)" not in response.text and "onerror" not in response.text
    )  # the text is not echoed


def _row_counts(settings: Settings) -> dict[str, int]:
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        counts = {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }
    engine.dispose()
    return counts


def test_nothing_is_stored(client: TestClient, org: Org, settings: Settings) -> None:
    marker = f"Ik maak je af, wethouder {uuid.uuid4().hex}"
    before = _row_counts(settings)
    body = {"comment": {"text": marker}, "requestedAttributes": {"THREAT": {}}, "doNotStore": False}
    assert analyze(client, org, body).status_code == 200
    assert client.post(PATH, json=body, headers=org.reviewer.headers).status_code == 200
    assert _row_counts(settings) == before
    engine = make_db_engine(settings.effective_database_url)
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).where(Report.text.contains(marker[-32:]))) == 0
    engine.dispose()


def test_rate_limit_answers_resource_exhausted(settings: Settings, classifier: Classifier, org: Org) -> None:
    limited = settings.model_copy(update={"analyze_rate_per_minute": 2})
    body = {"comment": {"text": NEUTRAL}, "requestedAttributes": {"TOXICITY": {}}}
    with TestClient(create_app(limited, classifier)) as app_client:
        for _ in range(2):
            assert app_client.post(f"{PATH}?key={org.reporter.token}", json=body).status_code == 200
        refused = app_client.post(f"{PATH}?key={org.reporter.token}", json=body)
        error = google_error(refused, 429, "RESOURCE_EXHAUSTED")
        assert int(refused.headers["retry-after"]) >= 1
        assert any(d["@type"].endswith("google.rpc.RetryInfo") for d in error["details"])
        # the limit is per key: another key still gets through
        assert app_client.post(f"{PATH}?key={org.reviewer.token}", json=body).status_code == 200


def test_other_endpoints_keep_their_error_shape(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/classify", json={"bogus": 1}, headers=org.reporter.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert client.post("/api/v1/classify", json={"text": "x"}).json()["error"]["code"] == "unauthorized"


def test_unknown_paths_under_v1alpha1_answer_in_googles_shape(client: TestClient, org: Org) -> None:
    google_error(
        client.post(f"/v1alpha1/comments:suggestscore?key={org.reporter.token}", json={}), 404, "NOT_FOUND"
    )


def test_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"][PATH]["post"]
    assert "perspective" in operation["tags"]
    assert {"400", "401", "403", "429"} <= set(operation["responses"])
    assert "AnalyzeCommentRequest" in schema["components"]["schemas"]
