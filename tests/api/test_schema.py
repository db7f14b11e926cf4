"""schemathesis against the OpenAPI document: requests generated from it (valid and
invalid bodies, odd path and query values) find no server error, and every answer —
success or problem document — matches the document: its status is listed, its content
type is the one listed, its body fits the schema.

The document is the one /api/v1/openapi.json serves (checked first); schemathesis reads
it at import, as its lazy fixture loader does not run on this pytest, and sends each
request through the WSGI application, headers and all.
"""
import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import ApiClient, make_token
from tests.conftest import PASSWORD

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _document() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = get_wsgi_application()


def test_the_served_document_is_the_one_tested(db):
    response = ApiClient(None).get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = json.loads(response.content)
    assert served == DOCUMENT and served["openapi"].startswith("3.")
    assert served["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


@pytest.fixture
def token(superadmin, settings):
    """A superadmin's token (it reaches every operation), and something to find."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from mailcore.directory.services import create_account, create_alias, create_domain

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.HOPTHU_API_RATE_PER_MINUTE = 0  # the fuzzer's pace is not what is tested here
    create_domain("example.test")
    account = create_account("alice@example.test", PASSWORD)
    create_alias("sales@example.test", [account.address])
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield make_token(superadmin)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_openapi_document_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
