"""Property-based fuzzing of the gateway's OpenAPI with Schemathesis, bounded: whatever a client sends (valid and
invalid inputs), the gateway never answers 5xx, and every error is application/problem+json with a stable code."""
from __future__ import annotations

import time

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.e2e.conftest import ADMIN_PASSWORD, login

EXAMPLES_PER_OPERATION = 15  # bounded by count, not by time (a loaded machine is slower, not wrong)
# logout would end the fuzzer's own session; health endpoints take no input
SKIPPED = {("POST", "/api/v1/auth/logout"), ("GET", "/healthz"), ("GET", "/readyz")}


def _no_server_error_and_problem_json(case, response) -> str | None:
    where = f"{case.method} {case.formatted_path} {case.query or ''} {str(case.body)[:200]!r}"
    if response.status_code >= 500:
        return f"{where}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        content_type = (response.headers.get("content-type") or [""])[0]  # schemathesis keeps every value
        if not content_type.startswith("application/problem+json"):
            return f"{where}: {response.status_code} is not problem+json ({content_type})"
        body = response.json()
        if not body.get("code") or body.get("status") != response.status_code:
            return f"{where}: a problem without a code or with a wrong status: {body}"
    return None


def test_no_input_makes_the_gateway_fail_or_answer_other_than_problem_json(system, api):
    # as an admin with a session of its own: the fuzzer reaches past role checks into every handler, and what it
    # does to its token never touches the other tests' admin
    headers = login(api, "admin", ADMIN_PASSWORD)
    schema = schemathesis.openapi.from_url(f"{system.base_url}/openapi.json")
    failures: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    covered = 0
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                             operation.as_strategy(GenerationMode.NEGATIVE))

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def fuzz(case):
            response = case.call(headers=headers, timeout=30)
            problem = _no_server_error_and_problem_json(case, response)
            if problem:
                failures.append(problem)

        fuzz()
        covered += 1
    print(f"fuzzed {covered} operations x {EXAMPLES_PER_OPERATION} examples in {time.monotonic() - started:.0f} s")
    assert covered >= 20
    assert not failures, "\n".join(sorted(set(failures))[:30])
