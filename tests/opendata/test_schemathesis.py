"""schemathesis against the published OpenAPI schema: every endpoint, a bounded number of generated requests,
no server error and every answer conforming to the schema.

schemathesis' own pytest plugin does not run under pytest 9 yet, so each operation's strategy is driven by
Hypothesis here, inside one test that has the database.
"""

import contextlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from .catalogue import build_catalogue

# Bounded so the suite stays quick on a 2-core machine.
MAX_EXAMPLES = 15
# No server error, and every answer as the schema says (status, content type, headers, body). Not
# « positive data acceptance »: Django refuses a NUL character in any text parameter (a documented 400).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]

pytestmark = pytest.mark.django_db


def check_operation(operation) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()


@contextlib.contextmanager
def connection_kept_across_requests():
    """As Django's test client does: a request must not close the test's connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_api_operation_answers_without_error_and_as_its_schema_says():
    build_catalogue()
    with connection_kept_across_requests():
        failures = _failures(schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()))
    assert failures == {}


def _failures(schema) -> dict[str, str]:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failures = {}
    for operation in operations:
        try:
            check_operation(operation)
        except Exception as error:  # noqa: BLE001 — every operation's failure is reported, not only the first
            failures[operation.label] = str(error)[:2000]
    return failures
