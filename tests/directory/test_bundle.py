import datetime as dt
import gzip
import json

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonhome.core.constants import TranslationOrigin
from commonhome.core.translation import save_translation
from commonhome.directory.bundle import build_bundle
from commonhome.directory.constants import ServiceStatus, TargetGroup
from commonhome.directory.models import (
    Schedule,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTargetGroup,
    TaxonomyTerm,
)
from commonhome.directory.services import update_record
from tests.factories import LocationFactory, PlaceFactory, ServiceFactory, member

pytestmark = pytest.mark.django_db


def url(place, lang="ar"):
    return f"/api/v1/directory/places/{place.slug}/bundle?lang={lang}"


def furnished_service(organization, n):
    service = ServiceFactory(organization=organization, name=f"Legal advice {n}")
    location = LocationFactory(organization=organization, place=organization.place)
    ServiceAtLocation.objects.create(service=service, location=location)
    ServiceLanguage.objects.create(service=service, code="ar")
    ServiceLanguage.objects.create(service=service, code="fa")
    ServiceTargetGroup.objects.create(service=service, group=TargetGroup.REFUGEES)
    Schedule.objects.create(service=service, byday="MO,WE", opens_at="10:00", closes_at="13:00")
    service.domains.add(TaxonomyTerm.objects.get(code="rights"))
    return service


def test_bundle_shows_the_translation_and_says_which_language_each_text_is_in(client, organization):
    service = furnished_service(organization, 1)
    save_translation(service, "ar", {"name": "استشارة قانونية"})
    response = client.get(url(organization.place))
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    data = json.loads(response.content)
    assert data["language"] == "ar"
    (row,) = data["services"]
    assert row["texts"]["name"] == "استشارة قانونية"
    assert row["text_languages"]["name"] == "ar"
    # No Arabic description was written: the English one is shown and labelled English.
    assert row["texts"]["description"] == service.description
    assert row["text_languages"]["description"] == "en"
    assert row["translation"] == "human"
    assert [lang["code"] for lang in row["languages"]] == ["ar", "fa"]
    assert row["domains"] == ["rights"]
    assert row["target_groups"] == ["refugees"]
    assert row["schedules"][0]["byday"] == "MO,WE"
    assert row["locations"] == [str(service.service_at_locations.get().location_id)]
    assert {loc["id"] for loc in data["locations"]} == set(row["locations"])
    assert data["organizations"][0]["id"] == str(organization.pk)
    assert len(data["domains"]) == TaxonomyTerm.objects.filter(taxonomy__isnull=False).count()


def test_bundle_in_a_language_without_translations_falls_back_to_the_original(client, organization):
    service = furnished_service(organization, 1)
    save_translation(service, "ar", {"name": "استشارة قانونية"})
    data = json.loads(client.get(url(organization.place, "uk")).content)
    row = data["services"][0]
    assert row["texts"]["name"] == service.name
    assert row["text_languages"]["name"] == "en"
    assert row["translation"] == "missing"


def test_bundle_leaves_out_defunct_services_and_other_places(client, organization):
    furnished_service(organization, 1)
    ServiceFactory(organization=organization, status=ServiceStatus.DEFUNCT)
    ServiceFactory(place=PlaceFactory())
    data = json.loads(client.get(url(organization.place)).content)
    assert [row["texts"]["name"] for row in data["services"]] == ["Legal advice 1"]


def test_unchanged_bundle_is_answered_304_without_being_built(client, organization):
    furnished_service(organization, 1)
    first = client.get(url(organization.place))
    etag = first["ETag"]
    django_cache.clear()  # built bundles are kept under their ETag; build this one anew
    with CaptureQueriesContext(connection) as full:
        client.get(url(organization.place))
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url(organization.place), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert len(cached) < len(full)


def test_etag_changes_after_an_edit_and_after_a_new_translation(client, organization, place):
    service = furnished_service(organization, 1)
    before = client.get(url(place))["ETag"]
    admin = member(place, "admin")
    update_record(admin, service, {"name": "Legal advice drop-in"}, base_version=1)
    after_edit = client.get(url(place), headers={"if-none-match": before})
    assert after_edit.status_code == 200
    assert after_edit["ETag"] != before
    save_translation(service, "ar", {"name": "استشارة"}, origin=TranslationOrigin.MACHINE)
    after_translation = client.get(url(place))["ETag"]
    assert after_translation != after_edit["ETag"]
    # Other languages have their own bundles and their own ETags.
    assert client.get(url(place, "fa"))["ETag"] != after_translation


def test_bundle_is_gzipped_only_when_the_client_accepts_gzip(client, organization):
    furnished_service(organization, 1)
    zipped = client.get(url(organization.place), headers={"accept-encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content))["language"] == "ar"
    plain = client.get(url(organization.place), headers={"accept-encoding": "gzip;q=0"})
    assert not plain.has_header("Content-Encoding")
    assert json.loads(plain.content)["language"] == "ar"


def test_building_the_bundle_costs_the_same_queries_for_two_or_eight_services(organization):
    for n in range(2):
        furnished_service(organization, n)
    with CaptureQueriesContext(connection) as small:
        build_bundle(organization.place, "ar")
    for n in range(2, 8):
        service = furnished_service(organization, n)
        save_translation(service, "ar", {"name": f"خدمة {n}"})
    with CaptureQueriesContext(connection) as large:
        data = build_bundle(organization.place, "ar")
    assert len(data["services"]) == 8
    assert len(large) == len(small)


def test_unknown_language_is_refused_naming_the_parameter(client, organization):
    response = client.get(url(organization.place, "xx"))
    assert response.status_code == 422
    assert "lang" in response.json()["detail"]


def test_bundle_of_a_non_public_place_is_not_found(client):
    hidden = PlaceFactory(is_public=False)
    assert client.get(url(hidden)).status_code == 404


def test_bundle_is_described_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/directory/places/{slug}/bundle"]["get"]
    assert "200" in operation["responses"] and "304" in operation["responses"]


# --- Search endpoint ----------------------------------------------------------------------


def search_url(place, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/directory/places/{place.slug}/services?{query}"


def test_search_finds_by_text_and_language_spoken_and_answers_in_the_reader_language(
    client, organization
):
    from commonhome.directory.services import index_services

    wanted = furnished_service(organization, 1)
    other = ServiceFactory(organization=organization, name="Bike repair")
    save_translation(wanted, "ar", {"name": "استشارة قانونية"})
    index_services([wanted.pk, other.pk])
    data = client.get(search_url(organization.place, q="legal", language="fa", lang="ar")).json()
    assert data["total"] == 1
    (hit,) = data["results"]
    assert hit["id"] == str(wanted.pk)
    assert hit["texts"]["name"] == "استشارة قانونية"
    assert hit["text_languages"]["name"] == "ar"
    assert hit["languages"] == ["ar", "fa"]
    assert hit["domains"] == ["rights"]
    # Arabic script finds the same service through its translation.
    arabic = client.get(search_url(organization.place, q="استشارة")).json()
    assert [h["id"] for h in arabic["results"]] == [str(wanted.pk)]


def test_search_refuses_half_a_position_naming_both_parameters(client, organization):
    response = client.get(search_url(organization.place, lat="52.4"))
    assert response.status_code == 422
    assert "lat, lon" in response.json()["detail"]


def test_kept_bundle_is_served_to_another_client_without_building_it(client, organization):
    furnished_service(organization, 2)
    first = client.get(url(organization.place))
    with CaptureQueriesContext(connection) as kept:
        second = client.get(url(organization.place))
    assert second.content == first.content
    assert len(kept) == 2  # the place, and its content generation for the ETag


def test_opening_hours_edited_in_the_admin_change_the_etag(client, organization, place):
    service = furnished_service(organization, 1)
    before = client.get(url(place))["ETag"]
    schedule = service.schedules.first()
    schedule.opens_at = dt.time(6, 30)
    schedule.save()
    assert client.get(url(place))["ETag"] != before
