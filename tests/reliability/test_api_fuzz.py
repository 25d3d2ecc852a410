"""API fuzzing: schemathesis drives every operation of /api/schema/ in-process (WSGI) with a real project key.

Checks: no 5xx, and every response our schema documents matches it. Path parameters are swapped for the
project's real ids on a share of the examples, so handlers past the 404 are exercised too.
"""

from __future__ import annotations

import os

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from scenarist.wsgi import application
from tests.reliability.seed import seed_rows

FAST_EXAMPLES = int(os.environ.get("SCENARIST_FUZZ_EXAMPLES", "12"))
SLOW_EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight to the WSGI app, whose request signals would close the test's DB connection
    (Django's own test client disconnects them the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzz(case, tenant, rows) -> None:
    """Call the generated case, then (when it has path parameters) the same case aimed at real rows."""
    headers = {"X-CEKURA-API-KEY": tenant.key}
    case.call_and_validate(headers=headers, checks=CHECKS)
    if case.path_parameters:
        for name in list(case.path_parameters):
            real = rows.get(name, case.operation.path)
            if real is not None:
                case.path_parameters[name] = real
        case.call_and_validate(headers=headers, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=FAST_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_server_error_and_responses_match_the_schema(case, tenant):
    _fuzz(case, tenant, seed_rows(tenant.project))


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=SLOW_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_heavier_fuzz_profile(case, tenant):
    _fuzz(case, tenant, seed_rows(tenant.project))


@pytest.mark.django_db
def test_a_scenario_whose_personality_was_deleted_still_matches_the_schema(tenant):
    from scenarist.catalog.models import Personality

    rows = seed_rows(tenant.project)
    Personality.objects.filter(pk=rows.by_resource["personalities"]).delete()  # SET_NULL on the scenario
    from werkzeug.test import Client

    response = Client(application).get(f"/test_framework/v1/scenarios/{rows.by_resource['scenarios']}/",
                                       headers={"X-CEKURA-API-KEY": tenant.key})
    assert response.status_code == 200 and response.json["personality"] is None
    operation = schema["/test_framework/v1/scenarios/{id}/"]["GET"]
    operation.validate_response(response)  # raises when the body violates the documented schema
