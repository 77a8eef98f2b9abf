"""HSDS 3.0's own OpenAPI description, run by schemathesis against a live server.

Upstream bugs are patched here, in the test only (see the HSDS README):
- absolute ``$ref`` URLs point at the local schema files;
- ``GET /service_at_locations/{id}`` declares the service schema: use service_at_location's;
- the operationIds of ``/taxonomy_terms`` and ``/taxonomy_terms/{id}`` are swapped;
- ``modified_after`` says ``format: datetime`` for ``date-time``.
HSDS documents only 200 responses; an API must still refuse bad parameters and unknown ids,
so the 400 and 404 answers this API gives are declared, with their JSON shape. Everything
else (no server errors, documented status codes, content types, response schemas) is checked
as schemathesis does.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.directory.test_hsds_api import seed_service
from tests.directory.test_hsds_conformance import SCHEMA_DIR
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.skipif(
    not SCHEMA_DIR.is_dir(), reason="HSDS 3.0 schemas not found (set COMMONHOME_HSDS_DIR)"
)

UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
EXAMPLES_PER_OPERATION = 12
ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string", "minLength": 1}},
}


def patched_openapi() -> dict[str, Any]:
    text = (SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(text.replace(UPSTREAM, SCHEMA_DIR.as_uri() + "/"))
    paths = spec["paths"]
    sal = paths["/service_at_locations/{id}"]["get"]["responses"]["200"]
    sal["content"]["application/json"]["schema"]["$ref"] = (
        SCHEMA_DIR / "compiled" / "service_at_location.json"
    ).as_uri()
    paths["/taxonomy_terms"]["get"]["operationId"] = "getPaginatedListOfTaxonomyTerms"
    paths["/taxonomy_terms/{id}"]["get"]["operationId"] = "getTaxonomyTermById"
    spec["components"]["parameters"]["modified_after"]["schema"]["format"] = "date-time"
    for path, item in paths.items():
        responses = item["get"]["responses"]
        error = {"content": {"application/json": {"schema": copy.deepcopy(ERROR)}}}
        if path != "/":
            responses["400"] = {"description": "A parameter is wrong; it is named.", **error}
        if path.endswith("{id}"):
            responses["404"] = {"description": "No such record.", **copy.deepcopy(error)}
    return spec


@pytest.fixture
def seeded(transactional_db, place):
    """Records for the generated requests to find (ids are random, so lists matter most)."""
    organization = OrganizationFactory(place=place)
    services = [seed_service(organization, name=f"Service {n}") for n in range(3)]
    return services


def exercise(operation: Any, base_url: str, checks: list[Any], seen: set[int]) -> None:
    """Send generated requests for one operation and check every response."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        seen.add(case.call_and_validate(base_url=base_url, checks=checks).status_code)

    run()


def test_hsds_openapi_holds_against_the_live_api(live_server, seeded, monkeypatch):
    monkeypatch.setenv(
        "DJANGO_ALLOW_ASYNC_UNSAFE", os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    )
    schema = schemathesis.openapi.from_dict(patched_openapi())
    base_url = f"{live_server.url}/api/hsds"
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    statuses: dict[str, set[int]] = {}

    for operation in operations:
        exercise(operation, base_url, checks, statuses.setdefault(operation.label, set()))

    # Every list endpoint answered successfully at least once, not only with refusals.
    lists = [label for label in statuses if not label.endswith("{id}")]
    assert lists and all(200 in statuses[label] for label in lists), statuses
