"""Every HSDS API response validates against the Open Referral HSDS 3.0 JSON schemas.

The schemas are read from ``COMMONHOME_HSDS_DIR`` (default: ``../shared/hsds`` next to the
repository); the tests are skipped when they are absent.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from commonhome.core.translation import save_translation
from commonhome.directory.hsds import serialize as hsds
from tests.directory.test_hsds_api import BASE, seed_service
from tests.factories import OrganizationFactory

HSDS_DIR = Path(
    os.environ.get("COMMONHOME_HSDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "hsds")
)
SCHEMA_DIR = HSDS_DIR / "v3.0" / "schema"

pytestmark = pytest.mark.skipif(
    not SCHEMA_DIR.is_dir(), reason="HSDS 3.0 schemas not found (set COMMONHOME_HSDS_DIR)"
)


def load(name: str) -> Any:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


class Schemas:
    """Validators built once: the compiled schemas are megabytes each."""

    def __init__(self) -> None:
        checker = FormatChecker()
        resources = [
            (path.name, Resource.from_contents(load(path.name), default_specification=DRAFT202012))
            for path in SCHEMA_DIR.glob("*.json")
            if path.name != "openapi.json"
        ]
        registry: Registry = Registry().with_resources(resources)

        def compiled(name: str) -> Draft202012Validator:
            return Draft202012Validator(load(f"compiled/{name}.json"), format_checker=checker)

        def plain(name: str) -> Draft202012Validator:
            return Draft202012Validator(
                {"$ref": f"{name}.json"}, registry=registry, format_checker=checker
            )

        page = load("openapi.json")["components"]["schemas"]["Page"]
        self.by_name = {
            "service": compiled("service"),
            "service_list": compiled("service_list"),
            "organization": compiled("organization"),
            "organization_list": compiled("organization_list"),
            "service_at_location": compiled("service_at_location"),
            "service_at_location_list": compiled("service_at_location_list"),
            "taxonomy": plain("taxonomy"),
            "taxonomy_term": plain("taxonomy_term"),
            "page": Draft202012Validator(
                {**page, "required": list(page["properties"]) + ["contents"]},
                format_checker=checker,
            ),
        }

    def errors(self, name: str, body: Any) -> list[str]:
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in self.by_name[name].iter_errors(body)
        ]


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas()


@pytest.fixture
def directory(organization):
    """Two fully equipped services, one translated, one with imported HSDS extras."""
    first = seed_service(organization, name="Housing advice")
    save_translation(first, "ar", {"name": "نصائح السكن", "description": "مساعدة"})
    other = OrganizationFactory(place=organization.place, website="https://example.org")
    second = seed_service(other, name="Legal clinic")
    second.hsds_extra = {
        "funding": [{"id": str(uuid.uuid4()), "source": "Lottery"}],
        "service_areas": [{"id": str(uuid.uuid4()), "name": "Coventry"}],
    }
    second.save()
    return first, second


def assert_valid(schemas: Schemas, name: str, body: Any) -> None:
    errors = schemas.errors(name, body)
    assert not errors, "\n".join(errors[:10])


def fetch(client, path: str, **params) -> Any:
    response = client.get(f"{BASE}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def assert_valid_page(schemas: Schemas, item_schema: str, body: Any) -> None:
    assert_valid(schemas, "page", body)
    assert body["contents"], "an empty page proves nothing"
    for item in body["contents"]:
        assert_valid(schemas, item_schema, item)


# The validators must be able to fail, or passing proves nothing.


def test_the_validators_accept_hsds_examples_and_reject_a_broken_service(schemas):
    example = json.loads((HSDS_DIR / "v3.0/examples/service_full.json").read_text("utf-8"))
    assert_valid(schemas, "service", example)
    broken = {**example, "status": "open", "phones": [{"id": "not-a-uuid"}]}
    assert len(schemas.errors("service", broken)) >= 2


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_service_endpoints_conform(client, directory, schemas, lang):
    first, second = directory
    for service in (first, second):
        assert_valid(schemas, "service", fetch(client, f"/services/{service.pk}", lang=lang))
    assert_valid_page(schemas, "service_list", fetch(client, "/services", lang=lang))
    assert_valid_page(schemas, "service", fetch(client, "/services", full="true", lang=lang))
    assert_valid_page(schemas, "service_list", fetch(client, "/services", minimal="true"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_organization_endpoints_conform(client, directory, schemas, lang):
    first, _second = directory
    org = first.organization_id
    assert_valid(schemas, "organization", fetch(client, f"/organizations/{org}", lang=lang))
    assert_valid(
        schemas,
        "organization",
        fetch(client, f"/organizations/{org}", full_service="true", lang=lang),
    )
    assert_valid_page(schemas, "organization_list", fetch(client, "/organizations", lang=lang))
    assert_valid_page(
        schemas, "organization", fetch(client, "/organizations", full="true", lang=lang)
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_service_at_location_endpoints_conform(client, directory, schemas, lang):
    first, _second = directory
    sal = first.service_at_locations.get()
    body = fetch(client, f"/service_at_locations/{sal.pk}", lang=lang)
    assert_valid(schemas, "service_at_location", body)
    assert_valid_page(
        schemas, "service_at_location_list", fetch(client, "/service_at_locations", lang=lang)
    )
    assert_valid_page(
        schemas,
        "service_at_location",
        fetch(client, "/service_at_locations", full="true", lang=lang),
    )


def test_taxonomy_endpoints_conform(client, directory, schemas):
    taxonomies = fetch(client, "/taxonomies")
    assert_valid_page(schemas, "taxonomy", taxonomies)
    for item in taxonomies["contents"]:
        assert_valid(schemas, "taxonomy", fetch(client, f"/taxonomies/{item['id']}"))
    terms = fetch(client, "/taxonomy_terms", per_page=100, lang="ar")
    assert_valid_page(schemas, "taxonomy_term", terms)
    for ident in (terms["contents"][0]["id"], hsds.target_group_term_id("women")):
        assert_valid(schemas, "taxonomy_term", fetch(client, f"/taxonomy_terms/{ident}"))


def test_serialised_objects_for_export_conform_without_a_language(directory, schemas):
    from commonhome.directory.models import Organization, Service

    services = hsds.services_queryset(Service.objects.all(), None)
    for service in services:
        body = hsds.service_full(service, None)
        assert "languages_of_text" not in body
        assert_valid(schemas, "service", body)
    for org in hsds.organizations_queryset(Organization.objects.all(), None):
        assert_valid(schemas, "organization", hsds.organization_full(org, None))
