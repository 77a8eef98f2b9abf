"""The HSDS 3.0 API: paging, filters, languages, privacy of places, errors, query counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.cache import cache as django_cache
from django.utils import timezone

from commonhome.core.models import Place
from commonhome.core.places import bump_content_generation
from commonhome.core.translation import save_translation
from commonhome.directory import models as d
from commonhome.directory.constants import DOMAIN_TAXONOMY_ID, TargetGroup
from commonhome.directory.hsds import perf
from commonhome.directory.hsds import serialize as hsds
from commonhome.directory.services import index_services, update_record
from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    PlaceFactory,
    ServiceFactory,
    member,
)

BASE = "/api/hsds"


def domain(code: str) -> d.TaxonomyTerm:
    return d.TaxonomyTerm.objects.get(taxonomy_id=DOMAIN_TAXONOMY_ID, code=code)


def seed_service(
    organization: d.Organization,
    *,
    name: str = "",
    lat: float = 52.4068,
    lon: float = -1.5197,
    postal_code: str = "CV1 1AA",
) -> d.Service:
    """A service with every relation the HSDS serialisation nests, filled once."""
    service = ServiceFactory(
        organization=organization,
        latitude=lat,
        longitude=lon,
        url="https://example.org/help",
        email="help@example.org",
        fees_description="",
        minimum_age=16,
        **({"name": name} if name else {}),
    )
    service.domains.add(domain("housing"), domain("rights"))
    d.ServiceTargetGroup.objects.create(service=service, group=TargetGroup.REFUGEES)
    d.ServiceLanguage.objects.create(service=service, code="ar", name="Arabic")
    d.ServiceLanguage.objects.create(service=service, code="uk", note="With an interpreter")
    d.Phone.objects.create(service=service, number="024 7600 0000", extension="12")
    contact = d.Contact.objects.create(service=service, name="Amina", email="amina@example.org")
    d.Phone.objects.create(contact=contact, number="07700 900000")
    d.Schedule.objects.create(
        service=service, byday="MO,WE", opens_at=dt.time(9), closes_at=dt.time(13)
    )
    location = LocationFactory(
        organization=organization,
        latitude=lat,
        longitude=lon,
        postal_code=postal_code,
        step_free_access=True,
    )
    d.Phone.objects.create(location=location, number="024 7600 1111")
    d.Schedule.objects.create(
        location=location, byday="TU", opens_at=dt.time(10), closes_at=dt.time(16)
    )
    sal = d.ServiceAtLocation.objects.create(service=service, location=location)
    d.Schedule.objects.create(
        service_at_location=sal, byday="FR", opens_at=dt.time(14), closes_at=dt.time(17)
    )
    return service


@pytest.fixture
def hidden_service(db):
    """A service of a place that is not public: the API must never show it."""
    hidden = PlaceFactory(slug="hidden-town", is_public=False)
    return seed_service(OrganizationFactory(place=hidden), name="Secret shelter")


def get(client, path, **params):
    headers = params.pop("headers", {})
    return client.get(f"{BASE}{path}", params, headers=headers)


def ids_of(response) -> list[str]:
    return [item["id"] for item in response.json()["contents"]]


# --- root, paging, errors -------------------------------------------------------------------


@pytest.mark.django_db
def test_root_says_which_hsds_version_it_speaks(client):
    body = get(client, "/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("openapi.json")


def test_pages_report_totals_and_position(client, organization):
    for n in range(5):
        ServiceFactory(organization=organization, name=f"Service {n}")
    first = get(client, "/services", per_page=2).json()
    last = get(client, "/services", per_page=2, page=3).json()
    beyond = get(client, "/services", per_page=2, page=4).json()
    assert [first[k] for k in ("total_items", "total_pages", "page_number", "size")] == [5, 3, 1, 2]
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    assert [c["name"] for c in last["contents"]] == ["Service 4"]
    assert last["last_page"] and not last["first_page"]
    assert beyond["empty"] and beyond["contents"] == []


def test_pages_do_not_repeat_or_skip_services(client, organization):
    for _ in range(7):
        ServiceFactory(organization=organization, name="Same name")
    seen = [
        i for page in (1, 2, 3) for i in ids_of(get(client, "/services", per_page=3, page=page))
    ]
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page", "0"),
        ("page", "two"),
        ("per_page", "1000"),
        ("full", "maybe"),
        ("modified_after", "last tuesday"),
        ("taxonomy_term_id", "housing"),
        ("organization_id", "42"),
        ("proximity", "near"),
        ("lang", "xx"),
        ("place", "atlantis"),
        ("format", "xml"),
    ],
)
def test_bad_parameter_is_refused_with_a_message_naming_it(client, service, parameter, value):
    response = get(client, "/services", **{parameter: value})
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert body["detail"].startswith(f"{parameter}:")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0422-07-20T16:10:48+21:55", 200), ("0001-01-01T00:10:00+01:00", 400)],
)
def test_modified_after_with_any_offset_is_answered_without_error(client, service, value, expected):
    assert get(client, "/services", modified_after=value).status_code == expected


def test_proximity_in_metres_without_postcode_asks_for_the_postcode(client, service):
    response = get(client, "/service_at_locations", proximity="500")
    assert response.status_code == 400
    assert response.json()["parameter"] == "postcode"


@pytest.mark.parametrize(
    "path",
    ["/services/", "/organizations/", "/service_at_locations/", "/taxonomies/", "/taxonomy_terms/"],
)
@pytest.mark.parametrize("ident", [str(uuid.UUID(int=7)), "not-a-uuid"])
def test_unknown_id_is_a_json_404(client, db, path, ident):
    response = get(client, path + ident)
    assert response.status_code == 404
    assert ident in response.json()["detail"]


# --- public places only ---------------------------------------------------------------------


def test_content_of_a_place_that_is_not_public_is_never_served(client, service, hidden_service):
    sal = hidden_service.service_at_locations.get()
    assert ids_of(get(client, "/services")) == [str(service.pk)]
    assert str(hidden_service.organization_id) not in ids_of(get(client, "/organizations"))
    assert str(sal.pk) not in ids_of(get(client, "/service_at_locations"))
    assert get(client, f"/services/{hidden_service.pk}").status_code == 404
    assert get(client, f"/organizations/{hidden_service.organization_id}").status_code == 404
    assert get(client, f"/service_at_locations/{sal.pk}").status_code == 404
    assert get(client, "/services", place="hidden-town").status_code == 400


def test_place_filter_keeps_one_place(client, service):
    other = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory(slug="leeds")))
    assert ids_of(get(client, "/services", place="leeds")) == [str(other.pk)]
    assert ids_of(get(client, "/services", place="coventry")) == [str(service.pk)]


# --- nesting --------------------------------------------------------------------------------


def test_service_detail_nests_everything_we_know(client, organization):
    service = seed_service(organization)
    body = get(client, f"/services/{service.pk}").json()
    assert body["organization"]["id"] == str(organization.pk)
    assert {lang["code"] for lang in body["languages"]} == {"ar", "uk"}
    assert body["phones"][0]["extension"] == 12
    assert body["contacts"][0]["phones"][0]["number"] == "07700 900000"
    assert body["schedules"][0]["byday"] == "MO,WE"
    assert body["schedules"][0]["opens_at"] == "09:00:00"
    assert body["cost_options"][0]["option"] == "free"
    assert body["assured_date"] == service.last_verified.isoformat()
    codes = {a["taxonomy_term"]["code"]: a for a in body["attributes"]}
    assert set(codes) == {"housing", "rights", "refugees"}
    assert codes["housing"]["link_entity"] == "service"
    assert codes["housing"]["link_id"] == str(service.pk)
    assert codes["housing"]["taxonomy_term"]["taxonomy_id"] == DOMAIN_TAXONOMY_ID
    assert codes["refugees"]["taxonomy_term_id"] == hsds.target_group_term_id("refugees")
    (sal,) = body["service_at_locations"]
    assert sal["schedules"][0]["byday"] == "FR"
    location = sal["location"]
    assert location["schedules"][0]["byday"] == "TU"
    assert location["phones"][0]["number"] == "024 7600 1111"
    (address,) = location["addresses"]
    assert address["postal_code"] == "CV1 1AA"
    assert address["address_type"] == "physical"
    assert address["id"] == hsds.derived_id("address", location["id"])
    assert location["accessibility"][0]["details"] == "step-free access"


def test_list_items_hold_one_to_one_fields_unless_full_is_asked(client, organization):
    seed_service(organization)
    plain = get(client, "/services").json()["contents"][0]
    full = get(client, "/services", full="true").json()["contents"][0]
    assert "service_at_locations" not in plain and "organization" in plain
    assert full["service_at_locations"][0]["location"]["addresses"]


def test_minimal_lists_only_ids_and_modification_times(client, service):
    (item,) = get(client, "/services", minimal="true").json()["contents"]
    assert set(item) == {"id", "name", "status", "last_modified"}
    assert item["last_modified"] == service.updated_at.isoformat()


def test_unmodelled_hsds_properties_round_trip(client, organization):
    service = seed_service(organization)
    funding = [{"id": str(uuid.uuid4()), "source": "City council"}]
    extra_attribute = {"id": str(uuid.uuid4()), "link_type": "note", "value": "x"}
    service.hsds_extra = {"funding": funding, "attributes": [extra_attribute], "fees": "none"}
    service.save()
    body = get(client, f"/services/{service.pk}").json()
    assert body["funding"] == funding
    assert body["fees"] == "none"
    assert extra_attribute in body["attributes"]
    assert len(body["attributes"]) == 4


def test_imported_address_id_is_kept(client, organization):
    service = seed_service(organization)
    location = d.Location.objects.get(service_at_locations__service=service)
    imported = str(uuid.uuid4())
    location.hsds_extra = {"addresses": [{"id": imported, "attention": "Reception"}]}
    location.save()
    body = get(client, f"/service_at_locations/{location.service_at_locations.get().pk}").json()
    (address,) = body["location"]["addresses"]
    assert address["id"] == imported and address["attention"] == "Reception"
    assert address["address_1"] == location.address_1


def test_organization_lists_its_services_basic_or_full(client, organization):
    service = seed_service(organization)
    basic = get(client, f"/organizations/{organization.pk}").json()
    full = get(client, f"/organizations/{organization.pk}", full_service="true").json()
    assert [s["id"] for s in basic["services"]] == [str(service.pk)]
    assert "attributes" not in basic["services"][0]
    assert full["services"][0]["attributes"]
    assert basic["locations"][0]["addresses"][0]["city"] == "Coventry"


def test_organization_list_is_basic_unless_full(client, organization):
    seed_service(organization)
    plain = get(client, "/organizations").json()["contents"][0]
    full = get(client, "/organizations", full="true").json()["contents"][0]
    assert "services" not in plain
    assert full["services"][0]["id"]


def test_service_at_location_detail_nests_service_and_location(client, organization):
    service = seed_service(organization)
    sal = service.service_at_locations.get()
    body = get(client, f"/service_at_locations/{sal.pk}").json()
    assert body["service"]["id"] == str(service.pk)
    assert body["service"]["languages"]
    assert body["location"]["addresses"]
    listed = get(client, "/service_at_locations").json()["contents"][0]
    assert listed["service"]["name"] == service.name and listed["location"]["id"]


# --- filters --------------------------------------------------------------------------------


def test_search_finds_services_by_their_words(client, organization):
    wanted = ServiceFactory(organization=organization, name="Tenancy advice clinic")
    other = ServiceFactory(organization=organization, name="Football club")
    index_services([wanted.pk, other.pk])
    assert ids_of(get(client, "/services", search="tenan")) == [str(wanted.pk)]
    assert ids_of(get(client, "/service_at_locations", search="football")) == []
    assert ids_of(get(client, "/organizations", search="tenancy")) == [str(organization.pk)]


def test_taxonomy_term_and_taxonomy_filters(client, organization):
    housing = seed_service(organization)
    plain = ServiceFactory(organization=organization)
    plain.domains.add(domain("health"))
    by_term = get(client, "/services", taxonomy_term_id=str(domain("housing").pk))
    by_group = get(client, "/services", taxonomy_term_id=hsds.target_group_term_id("refugees"))
    by_taxonomy = get(client, "/services", taxonomy_id=DOMAIN_TAXONOMY_ID)
    by_group_taxonomy = get(client, "/services", taxonomy_id=str(hsds.TARGET_GROUP_TAXONOMY_ID))
    assert ids_of(by_term) == [str(housing.pk)]
    assert ids_of(by_group) == [str(housing.pk)]
    assert sorted(ids_of(by_taxonomy)) == sorted([str(housing.pk), str(plain.pk)])
    assert ids_of(by_group_taxonomy) == [str(housing.pk)]


def test_organization_and_modified_after_filters(client, organization):
    mine = ServiceFactory(organization=organization)
    theirs = ServiceFactory(organization=OrganizationFactory(place=organization.place))
    d.Service.objects.filter(pk=theirs.pk).update(updated_at=timezone.now() - dt.timedelta(days=10))
    assert ids_of(get(client, "/services", organization_id=str(organization.pk))) == [str(mine.pk)]
    since = (timezone.now() - dt.timedelta(days=2)).date().isoformat()
    assert ids_of(get(client, "/services", modified_after=since)) == [str(mine.pk)]
    sal_ids = get(client, "/service_at_locations", organization_id=str(uuid.uuid4()))
    assert sal_ids.json()["total_items"] == 0


def test_proximity_keeps_services_within_the_distance_nearest_first(client, organization):
    near = seed_service(organization, name="Near", lat=52.4070, lon=-1.5200)
    nearer = seed_service(organization, name="Nearer", lat=52.4068, lon=-1.5197)
    far = seed_service(organization, name="Far", lat=52.4900, lon=-1.8900)  # Birmingham
    found = ids_of(get(client, "/services", proximity="52.4068,-1.5197,2000"))
    assert found == [str(nearer.pk), str(near.pk)]
    everywhere = ids_of(get(client, "/services", proximity="52.4068,-1.5197,50000"))
    assert everywhere[-1] == str(far.pk)


def test_proximity_from_a_postcode_centre(client, organization):
    centre = seed_service(organization, name="Centre", postal_code="CV1 5FB")
    far = seed_service(organization, name="Far", lat=52.49, lon=-1.89, postal_code="B1 1AA")
    sals = get(client, "/service_at_locations", postcode="cv15fb", proximity="1000")
    assert [s["service"]["id"] for s in sals.json()["contents"]] == [str(centre.pk)]
    by_postcode = get(client, "/service_at_locations", postcode="B1 1AA")
    assert [s["service"]["id"] for s in by_postcode.json()["contents"]] == [str(far.pk)]


# --- taxonomies -----------------------------------------------------------------------------


def test_taxonomies_list_domains_and_target_groups(client, db):
    body = get(client, "/taxonomies").json()
    assert {t["id"] for t in body["contents"]} == {
        DOMAIN_TAXONOMY_ID,
        str(hsds.TARGET_GROUP_TAXONOMY_ID),
    }
    detail = get(client, f"/taxonomies/{hsds.TARGET_GROUP_TAXONOMY_ID}").json()
    assert detail["name"] == "Common Home target groups"


def test_taxonomy_terms_page_through_stored_and_target_group_terms(client, db):
    stored = d.TaxonomyTerm.objects.count()
    everything = get(client, "/taxonomy_terms", per_page=100).json()
    assert everything["total_items"] == stored + len(TargetGroup)
    pages = [
        i
        for page in range(1, 6)
        for i in ids_of(get(client, "/taxonomy_terms", per_page=5, page=page))
    ]
    assert pages == ids_of(get(client, "/taxonomy_terms", per_page=100))
    groups = get(client, "/taxonomy_terms", taxonomy_id=str(hsds.TARGET_GROUP_TAXONOMY_ID))
    assert groups.json()["total_items"] == len(TargetGroup)
    term = get(client, f"/taxonomy_terms/{hsds.target_group_term_id('women')}").json()
    assert term["code"] == "women"
    assert get(client, "/taxonomy_terms", search="housing").json()["total_items"] == 1


# --- languages ------------------------------------------------------------------------------


def test_requested_language_is_served_and_each_text_says_its_language(client, organization):
    service = seed_service(organization, name="Housing advice")
    save_translation(service, "ar", {"name": "نصائح السكن"})
    response = get(client, f"/services/{service.pk}", lang="ar")
    body = response.json()
    assert body["name"] == "نصائح السكن"
    assert body["languages_of_text"]["name"] == "ar"
    assert body["languages_of_text"]["description"] == "en"
    assert response["Content-Language"] == "ar, en" or response["Content-Language"] == "en, ar"
    page = get(client, "/services", headers={"accept-language": "ar;q=0.9, en;q=0.5"})
    assert page.json()["language"] == "ar"
    assert page.json()["contents"][0]["name"] == "نصائح السكن"


def test_without_a_language_the_source_is_served(client, service):
    response = get(client, "/services")
    assert response.json()["language"] == "en"
    assert response["Content-Language"] == "en"
    assert response.json()["contents"][0]["languages_of_text"]["name"] == "en"


def test_unsupported_accept_language_falls_back_quietly(client, service):
    response = get(client, "/services", headers={"accept-language": "tlh, ar;q=0.5"})
    assert response.status_code == 200
    assert response.json()["language"] == "ar"


def test_place_languages_limit_the_lang_parameter(client, service):
    assert get(client, "/services", place="coventry", lang="fr").status_code == 400
    assert get(client, "/services", place="coventry", lang="fa").status_code == 200


# --- query counts ---------------------------------------------------------------------------

# Rendering a page: a count, the page's ids with their place generations, the services with
# their organizations, one query per nested table, translations.
FULL_SERVICE_PAGE_QUERIES = 11
# Serving it again from the document cache: the count and the page's ids with generations.
CACHED_SERVICE_PAGE_QUERIES = 2


def counted(client, django_assert_num_queries, queries, path, cold=True, **params):
    """The response to ``path`` after one warm-up call (content types are cached per process).

    ``cold`` empties the document cache first, so the count is that of rendering.
    """
    get(client, path, **params)
    if cold:
        django_cache.clear()
    with django_assert_num_queries(queries):
        return get(client, path, **params)


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize("cold", [True, False])
def test_full_page_costs_the_same_queries_whatever_its_size(
    client, organization, django_assert_num_queries, size, cold
):
    for n in range(size):
        service = seed_service(organization, name=f"Service {n:03}")
        save_translation(service, "ar", {"name": f"خدمة {n}"})
    response = counted(
        client,
        django_assert_num_queries,
        FULL_SERVICE_PAGE_QUERIES if cold else CACHED_SERVICE_PAGE_QUERIES,
        "/services",
        cold=cold,
        full="true",
        per_page=size,
        lang="ar",
    )
    assert response.json()["size"] == size
    assert response.json()["contents"][0]["name"] == "خدمة 0"


def test_cached_documents_never_outlive_a_change(client, place, organization):
    """Every way content changes reaches the next page: services, saved records, translations,
    and bulk writes that announce themselves."""
    service = seed_service(organization, name="Housing advice")
    admin = member(place, "admin")

    def served(lang="en"):
        return get(client, "/services", full="true", lang=lang).json()["contents"][0]

    assert served()["name"] == "Housing advice"
    update_record(admin, service, {"name": "Housing and tenancy advice"}, base_version=1)
    assert served()["name"] == "Housing and tenancy advice"

    phone = d.Phone.objects.get(service=service)
    phone.number = "024 7600 9999"
    phone.save()
    assert "024 7600 9999" in {p["number"] for p in served()["phones"]}

    save_translation(service, "ar", {"name": "استشارات السكن"})
    assert served("ar")["name"] == "استشارات السكن"

    assert {s["opens_at"] for s in served()["schedules"]} != {"07:15:00"}  # cached now
    d.Schedule.objects.filter(service=service).update(opens_at=dt.time(7, 15))
    assert {s["opens_at"] for s in served()["schedules"]} != {"07:15:00"}  # not announced yet
    bump_content_generation(Place.objects.filter(pk=place.pk))
    assert {s["opens_at"] for s in served()["schedules"]} == {"07:15:00"}

    organization.name = "Renamed centre"
    organization.save()
    assert served()["organization"]["name"] == "Renamed centre"


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("/services", {}, 4),
        ("/organizations", {"full": "true"}, 11),
        ("/service_at_locations", {"full": "true"}, 17),
        ("/taxonomy_terms", {}, 3),
    ],
)
def test_list_query_counts_are_pinned(
    client, organization, django_assert_num_queries, path, params, queries
):
    for n in range(3):
        seed_service(organization, name=f"Service {n}")
    response = counted(client, django_assert_num_queries, queries, path, lang="ar", **params)
    assert response.status_code == 200 and response.json()["size"] >= 1


@pytest.mark.parametrize(
    ("kind", "queries"), [("services", 10), ("organizations", 10), ("service_at_locations", 16)]
)
def test_detail_query_counts_are_pinned(
    client, organization, django_assert_num_queries, kind, queries
):
    service = seed_service(organization)
    ident = {
        "services": service.pk,
        "organizations": organization.pk,
        "service_at_locations": service.service_at_locations.get().pk,
    }[kind]
    response = counted(client, django_assert_num_queries, queries, f"/{kind}/{ident}", lang="ar")
    assert response.status_code == 200


# --- the plain-row read path ----------------------------------------------------------------


def translated_services(organization: d.Organization) -> list[d.Service]:
    """Services whose texts, organization, location and domain are translated in every state."""
    first = seed_service(organization, name="Advice")
    second = seed_service(organization, name="Books")
    second.hsds_extra = {"funding": [{"id": str(uuid.uuid4()), "source": "city"}], "fees": "£2"}
    second.save()
    save_translation(first, "ar", {"name": "نصيحة", "description": ""})
    save_translation(second, "ar", {"name": "كتب"}, origin="machine", provider="fake")
    save_translation(organization, "ar", {"name": "منظمة"})
    save_translation(first.service_at_locations.get().location, "ar", {"name": "مكان"})
    save_translation(domain("housing"), "fa", {"name": "مسکن"})
    # An outdated translation: the text changed after it was made.
    d.Service.objects.filter(pk=second.pk).update(content_version=2)
    return [first, second]


@pytest.mark.parametrize("lang", [None, "en", "ar", "fa"])
@pytest.mark.parametrize("full", [True, False])
def test_plain_rows_serialise_exactly_like_model_instances(organization, lang, full):
    translated_services(organization)
    records = d.Service.objects.order_by("name", "id")
    render = hsds.service_full if full else hsds.service_basic
    from_models = [render(s, lang) for s in hsds.services_queryset(records, lang, full=full)]
    from_rows = [render(r, lang) for r in perf.load_services(records[0:10], lang, full=full)]
    assert from_rows == from_models
    assert len(from_rows) == 2


def test_an_edit_through_the_services_shows_on_the_next_page(client, organization):
    [service, _other] = translated_services(organization)
    before = get(client, "/services", full="true", lang="ar").json()["contents"][0]
    assert before["name"] == "نصيحة"
    service.refresh_from_db()
    update_record(
        None,
        service,
        {"name": "Advice on rights"},
        base_version=service.version,
        minor=True,
        check_permission=False,
    )
    save_translation(service, "ar", {"name": "استشارة قانونية"})
    d.Phone.objects.filter(service=service).update(number="024 7611 2222")
    after = get(client, "/services", full="true", lang="ar").json()["contents"][0]
    assert after["name"] == "استشارة قانونية"
    assert after["phones"][0]["number"] == "024 7611 2222"
    assert after["last_modified"] != before["last_modified"]
