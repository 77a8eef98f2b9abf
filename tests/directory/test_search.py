"""The one directory search: each filter narrows, open now follows the place's clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonhome.directory.constants import ServiceStatus, TargetGroup
from commonhome.directory.models import (
    Closure,
    Schedule,
    Service,
    ServiceLanguage,
    ServiceTargetGroup,
    TaxonomyTerm,
)
from commonhome.directory.search import SearchParams, search_services
from commonhome.directory.services import index_services, rebuild_opening_slots
from tests.factories import OrganizationFactory, PlaceFactory, ServiceFactory

UTC = dt.UTC
# 6 January 2025 is a Monday; New York is then on EST (UTC-5).
MONDAY_20_UTC = dt.datetime(2025, 1, 6, 20, 0, tzinfo=UTC)
MONDAY_13_UTC = dt.datetime(2025, 1, 6, 13, 0, tzinfo=UTC)


def names(result):
    return [hit.service.name for hit in result.hits]


def weekday_hours(service, byday="MO,TU,WE,TH,FR", opens=dt.time(9), closes=dt.time(17)):
    Schedule.objects.create(service=service, byday=byday, opens_at=opens, closes_at=closes)
    rebuild_opening_slots([service.pk])


def test_text_search_finds_only_matching_services_of_the_place(place, organization):
    ServiceFactory(organization=organization, name="Housing advice")
    ServiceFactory(organization=organization, name="Food bank")
    other = OrganizationFactory(place=PlaceFactory())
    ServiceFactory(organization=other, name="Housing advice elsewhere")
    index_services(Service.objects.values_list("pk", flat=True))

    result = search_services(place, SearchParams(q="housing"))

    assert names(result) == ["Housing advice"]
    assert result.total == 1


def test_domain_filter_uses_the_stable_term_code(place, organization):
    health = TaxonomyTerm.objects.get(code="health")
    housing = TaxonomyTerm.objects.get(code="housing")
    gp = ServiceFactory(organization=organization, name="GP registration")
    gp.domains.add(health)
    shelter = ServiceFactory(organization=organization, name="Night shelter")
    shelter.domains.add(housing)

    assert names(search_services(place, SearchParams(domain="health"))) == ["GP registration"]
    assert names(search_services(place, SearchParams(domain="housing"))) == ["Night shelter"]


def test_language_spoken_filter_keeps_services_offered_in_that_language(place, organization):
    arabic = ServiceFactory(organization=organization, name="Arabic legal clinic")
    ServiceLanguage.objects.create(service=arabic, code="ar")
    ServiceLanguage.objects.create(service=arabic, code="en")
    english = ServiceFactory(organization=organization, name="English only clinic")
    ServiceLanguage.objects.create(service=english, code="en")

    assert names(search_services(place, SearchParams(language="ar"))) == ["Arabic legal clinic"]
    assert len(search_services(place, SearchParams(language="en")).hits) == 2


def test_target_group_and_free_filters_narrow_independently(place, organization):
    women_free = ServiceFactory(organization=organization, name="A women's circle", is_free=True)
    ServiceTargetGroup.objects.create(service=women_free, group=TargetGroup.WOMEN)
    women_paid = ServiceFactory(organization=organization, name="B women's gym", is_free=False)
    ServiceTargetGroup.objects.create(service=women_paid, group=TargetGroup.WOMEN)
    ServiceFactory(organization=organization, name="C youth club", is_free=True)

    women = search_services(place, SearchParams(group=TargetGroup.WOMEN))
    assert names(women) == ["A women's circle", "B women's gym"]
    free = search_services(place, SearchParams(free=True))
    assert names(free) == ["A women's circle", "C youth club"]
    both = search_services(place, SearchParams(group=TargetGroup.WOMEN, free=True))
    assert names(both) == ["A women's circle"]


def test_open_now_uses_the_place_timezone_not_utc(db):
    new_york = PlaceFactory(timezone="America/New_York")
    service = ServiceFactory(organization=OrganizationFactory(place=new_york), name="Drop-in")
    weekday_hours(service)

    # 20:00 UTC is 15:00 in New York: open there, although closed by a UTC clock.
    evening = search_services(new_york, SearchParams(open_now=True, at=MONDAY_20_UTC))
    assert names(evening) == ["Drop-in"]
    assert evening.hits[0].open_now
    # 13:00 UTC is 08:00 in New York: not yet open, although open by a UTC clock.
    morning = search_services(new_york, SearchParams(open_now=True, at=MONDAY_13_UTC))
    assert names(morning) == []
    listed = search_services(new_york, SearchParams(at=MONDAY_13_UTC))
    assert names(listed) == ["Drop-in"] and not listed.hits[0].open_now


def test_open_now_excludes_closures_and_temporarily_closed_services(db):
    london = PlaceFactory(timezone="Europe/London")
    org = OrganizationFactory(place=london)
    at = dt.datetime(2025, 1, 6, 11, 0, tzinfo=UTC)
    regular = ServiceFactory(organization=org, name="Regular")
    on_holiday = ServiceFactory(organization=org, name="On holiday")
    paused = ServiceFactory(
        organization=org, name="Paused", status=ServiceStatus.TEMPORARILY_CLOSED
    )
    for service in (regular, on_holiday, paused):
        weekday_hours(service)
    Closure.objects.create(
        service=on_holiday, starts=dt.date(2025, 1, 1), ends=dt.date(2025, 1, 7), reason="Winter"
    )

    assert names(search_services(london, SearchParams(open_now=True, at=at))) == ["Regular"]
    # Without the filter all three are listed, the temporarily closed one included.
    assert len(search_services(london, SearchParams(at=at)).hits) == 3


def test_open_now_handles_hours_past_midnight(db):
    london = PlaceFactory(timezone="Europe/London")
    night = ServiceFactory(organization=OrganizationFactory(place=london), name="Night shelter")
    weekday_hours(night, byday="MO", opens=dt.time(20), closes=dt.time(8))

    tuesday_2am = dt.datetime(2025, 1, 7, 2, 0, tzinfo=UTC)
    tuesday_9am = dt.datetime(2025, 1, 7, 9, 0, tzinfo=UTC)
    assert names(search_services(london, SearchParams(open_now=True, at=tuesday_2am))) == [
        "Night shelter"
    ]
    assert names(search_services(london, SearchParams(open_now=True, at=tuesday_9am))) == []


def test_distance_orders_nearest_first_and_radius_excludes_far_services(place, organization):
    centre = (52.4068, -1.5197)
    ServiceFactory(organization=organization, name="Far", latitude=52.50, longitude=-1.52)
    ServiceFactory(organization=organization, name="Near", latitude=52.408, longitude=-1.52)
    ServiceFactory(organization=organization, name="Middle", latitude=52.43, longitude=-1.50)
    ServiceFactory(organization=organization, name="Nowhere", latitude=None, longitude=None)
    ServiceFactory(organization=organization, name="Other city", latitude=51.5, longitude=-0.12)

    wide = search_services(place, SearchParams(lat=centre[0], lon=centre[1], radius_km=20))
    assert names(wide) == ["Near", "Middle", "Far"]
    distances = [hit.distance_km for hit in wide.hits]
    assert distances == sorted(distances)
    assert 10 < distances[-1] < 11  # 0.0932 degrees of latitude is about 10.4 km

    close = search_services(place, SearchParams(lat=centre[0], lon=centre[1], radius_km=5))
    assert names(close) == ["Near", "Middle"]


def test_hidden_statuses_are_never_found(place, organization):
    ServiceFactory(organization=organization, name="Active")
    ServiceFactory(organization=organization, name="Gone", status=ServiceStatus.DEFUNCT)
    ServiceFactory(organization=organization, name="Stopped", status=ServiceStatus.INACTIVE)

    assert names(search_services(place, SearchParams())) == ["Active"]


def test_paging_splits_results_and_keeps_the_total(place, organization):
    for letter in "ABCDE":
        ServiceFactory(organization=organization, name=f"{letter} service")

    first = search_services(place, SearchParams(page_size=2))
    last = search_services(place, SearchParams(page_size=2, page=3))
    beyond = search_services(place, SearchParams(page_size=2, page=99))

    assert names(first) == ["A service", "B service"]
    assert (first.total, first.pages, first.has_next, first.has_previous) == (5, 3, True, False)
    assert names(last) == ["E service"] and not last.has_next
    assert beyond.page == 3


def _query_count(place, params):
    with CaptureQueriesContext(connection) as ctx:
        result = search_services(place, params)
    return len(ctx.captured_queries), result


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(),
        SearchParams(
            q="advice", domain="health", language="ar", open_now=True, free=True, at=MONDAY_13_UTC
        ),
        SearchParams(lat=52.4, lon=-1.5, radius_km=50, group="women"),
    ],
    ids=["plain", "every-filter", "distance"],
)
def test_query_count_does_not_grow_with_the_number_of_results(place, organization, params):
    health = TaxonomyTerm.objects.get(code="health")

    def add(n):
        for _ in range(n):
            service = ServiceFactory(
                organization=OrganizationFactory(place=place),
                name="Advice desk",
                latitude=52.41,
                longitude=-1.51,
            )
            service.domains.add(health)
            ServiceLanguage.objects.create(service=service, code="ar")
            ServiceTargetGroup.objects.create(service=service, group="women")
            weekday_hours(
                service, byday="MO,TU,WE,TH,FR,SA,SU", opens=dt.time(0), closes=dt.time(23, 59)
            )
        index_services(Service.objects.values_list("pk", flat=True))

    add(2)
    few, result_few = _query_count(place, params)
    add(6)
    many, result_many = _query_count(place, params)

    assert len(result_many.hits) > len(result_few.hits) > 0
    assert few == many == 7  # count, page, open-now badges, translations ×2, domains, languages


def test_combined_filters_ignore_matching_services_of_other_places(place, organization):
    health = TaxonomyTerm.objects.get(code="health")

    def clinic(org, name):
        service = ServiceFactory(organization=org, name=name, latitude=52.41, longitude=-1.51)
        service.domains.add(health)
        ServiceLanguage.objects.create(service=service, code="ar")
        ServiceTargetGroup.objects.create(service=service, group=TargetGroup.WOMEN)
        weekday_hours(service, byday="MO", opens=dt.time(8), closes=dt.time(18))
        return service

    clinic(organization, "Advice clinic here")
    clinic(OrganizationFactory(place=PlaceFactory()), "Advice clinic elsewhere")
    index_services(Service.objects.values_list("pk", flat=True))

    params = SearchParams(
        q="advice clinic",
        domain="health",
        language="ar",
        group=TargetGroup.WOMEN,
        open_now=True,
        lat=52.41,
        lon=-1.51,
        at=MONDAY_13_UTC,
    )
    result = search_services(place, params)

    assert names(result) == ["Advice clinic here"]
    assert result.total == 1 and result.hits[0].open_now
