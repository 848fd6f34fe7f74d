"""Schemathesis against the app's own OpenAPI schema, in process, as a reviewer: no request it can
generate gets a 500. Bounded: a few examples per operation, no shrinking, no example database.

(Driven through Hypothesis directly: schemathesis' pytest plugin does not load under pytest 9.)"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from triage.config import Settings

from .conftest import make_org

EXAMPLES = 8


@pytest.mark.slow
def test_no_generated_request_gets_a_500(client: TestClient, settings: Settings) -> None:
    org = make_org(settings)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: list[str] = []
    calls: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=org.reviewer.headers)
            calls.append(response.status_code)
            if response.status_code == 500 or (
                response.status_code > 500
                and response.json().get("error", {}).get("code")
                not in ("database_unavailable", "ocr_unavailable")
            ):
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
                )

        check()
    assert not failures, "\n".join(failures[:20])
    assert len(calls) >= 2 * len(operations)
