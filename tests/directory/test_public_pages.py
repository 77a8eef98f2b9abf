"""Public directory pages: readable by everyone, in every language, light enough for a phone."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from commonhome.core.constants import Role, TranslationOrigin
from commonhome.core.translation import save_translation
from commonhome.directory.constants import OfferKind, OrganizationKind, ServiceStatus
from commonhome.directory.models import (
    Closure,
    Contact,
    Offer,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTargetGroup,
    TaxonomyTerm,
)
from commonhome.directory.services import index_services, rebuild_opening_slots
from tests.factories import (
    ROLES,
    LocationFactory,
    OrganizationFactory,
    PlaceFactory,
    ServiceFactory,
    member,
    user_for_role,
)


def page_urls(place, service, organization, lang="en"):
    base = f"/{lang}/{place.slug}/"
    return {
        "search": base,
        "service": f"{base}services/{service.pk}/",
        "print": f"{base}services/{service.pk}/print/",
        "organisation": f"{base}organisations/{organization.pk}/",
    }


def login(client, user):
    if user is not None:
        client.force_login(user)


def open_all_week(service):
    # Opening at midnight and closing at midnight means open the whole day.
    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR,SA,SU", opens_at=dt.time(0), closes_at=dt.time(0)
    )
    rebuild_opening_slots([service.pk])


def full_service(organization, **kwargs):
    """A service with everything a service page can show."""
    service = ServiceFactory(
        organization=organization,
        name="Legal advice drop-in",
        description="Free, confidential advice on asylum and immigration.\nBring your papers.",
        eligibility_description="Anyone living in the city.",
        fees_description="No charge.",
        accessibility_description="Lift to all floors.",
        application_process="Come to the desk and ask for an adviser.",
        latitude=52.4068,
        longitude=-1.5197,
        **kwargs,
    )
    service.domains.add(TaxonomyTerm.objects.get(code="rights"))
    for code in ("en", "ar", "fa", "ti"):
        ServiceLanguage.objects.create(service=service, code=code)
    ServiceTargetGroup.objects.create(service=service, group="asylum_seekers")
    for n in range(3):
        location = LocationFactory(
            organization=organization, name=f"Hall {n}", postal_code=f"CV{n + 1} 1AA"
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    Schedule.objects.create(
        service=service, byday="MO,WE,FR", opens_at=dt.time(9, 30), closes_at=dt.time(16)
    )
    rebuild_opening_slots([service.pk])
    Phone.objects.create(service=service, number="024 7600 0001")
    contact = Contact.objects.create(service=service, name="Amina", email="amina@example.org")
    Phone.objects.create(contact=contact, number="024 7600 0002")
    return service


# --- Who may see what ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_public_place_pages_are_readable_by_every_role(client, place, organization, role):
    service = full_service(organization)
    login(client, user_for_role(role, place, organization))

    for name, url in page_urls(place, service, organization).items():
        response = client.get(url)
        assert response.status_code == 200, (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_a_non_public_place_is_hidden_except_from_its_staff(client, organization, role):
    place = organization.place
    place.is_public = False
    place.save()
    service = ServiceFactory(organization=organization)
    login(client, user_for_role(role, place, organization))
    expected = 200 if role in (Role.ADMIN, Role.MODERATOR) else 404

    for name, url in page_urls(place, service, organization).items():
        assert client.get(url).status_code == expected, (name, role)
    home = client.get("/en/").content.decode()
    assert place.name not in home


def test_home_lists_public_places_with_links_to_their_search(client, place):
    hidden = PlaceFactory(name="Hidden town", is_public=False)

    html = client.get("/en/").content.decode()

    assert f'href="/en/{place.slug}/"' in html
    assert hidden.name not in html


def test_defunct_services_are_not_shown_to_the_public(client, place, organization):
    gone = ServiceFactory(organization=organization, status=ServiceStatus.DEFUNCT)
    url = f"/en/{place.slug}/services/{gone.pk}/"

    assert client.get(url).status_code == 404
    client.force_login(member(place, Role.MODERATOR))
    assert client.get(url).status_code == 200


def test_a_service_of_another_place_is_not_found_under_this_place(client, place, organization):
    elsewhere = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory()))

    assert client.get(f"/en/{place.slug}/services/{elsewhere.pk}/").status_code == 404


# --- Languages and direction -----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("en", "ltr"), ("uk", "ltr")]
)
def test_pages_declare_language_and_direction(
    client, place, organization, service, lang, direction
):
    for url in [f"/{lang}/", *page_urls(place, service, organization, lang).values()]:
        html = client.get(url).content.decode()
        assert f'<html lang="{lang}" dir="{direction}">' in html, url


def test_missing_translation_falls_back_with_a_note_and_english_marked_as_english(
    client, place, service
):
    html = client.get(f"/ar/{place.slug}/services/{service.pk}/").content.decode()

    assert "لم يُترجم بعد إلى اللغة" in html  # "Not yet translated into …"
    assert f'<h1 lang="en" dir="ltr">{service.name}</h1>' in html


def test_machine_translation_is_labelled_and_links_to_the_original(client, place, service):
    save_translation(
        service, "ar", {"name": "جلسة استشارية"}, origin=TranslationOrigin.MACHINE, provider="fake"
    )
    url = f"/ar/{place.slug}/services/{service.pk}/"

    html = client.get(url).content.decode()

    assert "<h1>جلسة استشارية</h1>" in html
    assert "ترجمة آلية" in html  # "Machine translation"
    assert f'href="{url}?original=1"' in html
    # The description was not translated: it is shown in English and marked so.
    assert '<div class="description" lang="en" dir="ltr">' in html


def test_original_link_shows_the_source_text_and_offers_the_translation_back(
    client, place, service
):
    save_translation(service, "ar", {"name": "جلسة استشارية", "description": "نصائح مجانية"})
    url = f"/ar/{place.slug}/services/{service.pk}/"

    html = client.get(url + "?original=1").content.decode()

    assert f'<h1 lang="en" dir="ltr">{service.name}</h1>' in html
    assert "جلسة استشارية" not in html
    # "You are reading the original text, in …"
    assert "هذا هو النص الأصلي" in html and f'href="{url}"' in html


def test_outdated_translation_is_shown_with_a_note(client, place, service):
    save_translation(service, "fa", {"name": "جلسه مشاوره"})
    Service.objects.filter(pk=service.pk).update(content_version=2)

    html = client.get(f"/fa/{place.slug}/services/{service.pk}/").content.decode()

    assert "<h1>جلسه مشاوره</h1>" in html
    # "… may be out of date."
    assert "ممکن است به\u200cروز نباشد" in html and "?original=1" in html


def test_search_results_are_localised_and_fallbacks_marked(client, place, organization):
    translated = ServiceFactory(organization=organization, name="A Housing help")
    save_translation(translated, "uk", {"name": "Допомога з житлом"})
    ServiceFactory(organization=organization, name="B Food bank")

    html = client.get(f"/uk/{place.slug}/").content.decode()

    assert ">Допомога з житлом</a>" in html
    assert 'lang="en" dir="ltr">B Food bank</a>' in html


# --- The service page ------------------------------------------------------------------


def test_service_page_shows_what_a_newcomer_needs(client, place, organization):
    service = full_service(organization)

    html = client.get(f"/en/{place.slug}/services/{service.pk}/").content.decode()

    for expected in (
        "Legal advice drop-in",
        f'href="/en/{place.slug}/organisations/{organization.pk}/"',
        "Rights and legal help",
        "Asylum seekers",
        "Anyone living in the city.",
        "No charge.",
        "Lift to all floors.",
        "09:30–16:00",
        "1 High Street, Coventry, CV2 1AA",
        'href="tel:02476000001"',
        "amina@example.org",
        'href="tel:02476000002"',
        'lang="ar" dir="rtl">العربيّة</span>',
        'lang="ti" dir="ltr">',
        f'href="/en/{place.slug}/services/{service.pk}/suggest/"',
        f'href="/en/{place.slug}/services/{service.pk}/print/"',
        "Last checked on",
    ):
        assert expected in html, expected
    assert "may be out of date" not in html


def test_open_now_badge_follows_hours_and_closures(client, place, service):
    open_all_week(service)
    url = f"/en/{place.slug}/services/{service.pk}/"
    assert "Open now</span>" in client.get(url).content.decode()

    today = timezone.localdate()
    Closure.objects.create(
        service=service,
        starts=today - dt.timedelta(days=1),
        ends=today + dt.timedelta(days=1),
        reason="Staff training",
    )
    html = client.get(url).content.decode()
    assert "Open now</span>" not in html and "Closed now" in html
    assert "Holidays and closures" in html and "Staff training" in html


def test_temporarily_closed_and_by_appointment_are_said_plainly(client, place, organization):
    service = ServiceFactory(
        organization=organization,
        status=ServiceStatus.TEMPORARILY_CLOSED,
        by_appointment=True,
    )
    open_all_week(service)

    html = client.get(f"/en/{place.slug}/services/{service.pk}/").content.decode()

    assert "temporarily closed" in html
    assert "By appointment only." in html
    assert "Open now</span>" not in html


def test_service_not_verified_for_longer_than_the_place_allows_is_flagged(
    client, place, organization
):
    place.verify_after_months = 6
    place.save()
    old = ServiceFactory(
        organization=organization, last_verified=timezone.localdate() - dt.timedelta(days=200)
    )
    fresh = ServiceFactory(
        organization=organization, last_verified=timezone.localdate() - dt.timedelta(days=100)
    )
    never = ServiceFactory(organization=organization, last_verified=None)

    def page(s):
        return client.get(f"/en/{place.slug}/services/{s.pk}/").content.decode()

    assert "may be out of date" in page(old)
    assert "may be out of date" not in page(fresh)
    assert "may be out of date" in page(never)


def test_json_ld_describes_the_service_and_cannot_break_out_of_its_script(
    client, place, organization
):
    service = full_service(organization)
    Service.objects.filter(pk=service.pk).update(name="Help </script><b>now</b> & more")

    html = client.get(f"/en/{place.slug}/services/{service.pk}/").content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Service"
    assert data["name"] == "Help </script><b>now</b> & more"
    assert sorted(data["availableLanguage"]) == ["ar", "en", "fa", "ti"]
    assert {spec["dayOfWeek"] for spec in data["hoursAvailable"]} == {
        "https://schema.org/Monday",
        "https://schema.org/Wednesday",
        "https://schema.org/Friday",
    }
    assert "<b>now</b>" not in html


def test_service_page_html_is_under_30_kb(client, place, organization):
    service = full_service(organization)
    save_translation(service, "ar", {"name": "استشارة قانونية", "description": "نص " * 300})

    for lang in ("en", "ar"):
        response = client.get(f"/{lang}/{place.slug}/services/{service.pk}/")
        assert len(response.content) < 30 * 1024, lang


def test_a_page_without_the_map_weighs_under_100_kb_in_all(client, place, organization):
    for n in range(20):
        ServiceFactory(organization=organization, name=f"Service {n}", description="Help " * 40)
    html = client.get(f"/en/{place.slug}/").content.decode()

    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
    assert "directory/map.js" in assets and not any(a.startswith("leaflet/") for a in assets)
    total = len(html.encode()) + sum(Path(finders.find(a)).stat().st_size for a in assets)
    assert total < 100 * 1024


def test_print_view_has_the_texts_a_qr_code_and_no_map(client, place, organization):
    service = full_service(organization)

    html = client.get(f"/en/{place.slug}/services/{service.pk}/print/").content.decode()

    assert "Legal advice drop-in" in html and "09:30–16:00" in html
    assert "<svg" in html and "directory/print.css" in html
    assert "data-map-slot" not in html and "map.js" not in html
    assert f"http://testserver/en/{place.slug}/services/{service.pk}/" in html


# --- The organisation page -------------------------------------------------------------


def test_organisation_page_shows_its_offers_kind_and_services(client, place):
    org = OrganizationFactory(
        place=place,
        name="Syrian Community Association",
        kind=OrganizationKind.DIASPORA,
        migrant_led=True,
    )
    Offer.objects.create(organization=org, kind=OfferKind.LANGUAGE, description="Arabic, Kurdish")
    Offer.objects.create(organization=org, kind=OfferKind.SPACE, description="A hall for 80")
    ServiceFactory(organization=org, name="Homework club")
    ServiceFactory(organization=org, name="Closed for good", status=ServiceStatus.DEFUNCT)

    html = client.get(f"/en/{place.slug}/organisations/{org.pk}/").content.decode()

    assert "Syrian Community Association" in html
    assert "Led by migrants" in html and "Diaspora association" in html
    assert "What they offer the community" in html
    assert "Arabic, Kurdish" in html and "A hall for 80" in html
    assert "Homework club" in html and "Closed for good" not in html


# --- The search page -------------------------------------------------------------------


def test_search_page_filters_narrow_the_list(client, place, organization):
    gp = ServiceFactory(organization=organization, name="GP registration", is_free=True)
    gp.domains.add(TaxonomyTerm.objects.get(code="health"))
    ServiceLanguage.objects.create(service=gp, code="fa")
    ServiceFactory(organization=organization, name="Paid English course", is_free=False)
    index_services(Service.objects.values_list("pk", flat=True))
    url = f"/en/{place.slug}/"

    def listed(query):
        html = client.get(url + query).content.decode()
        return set(re.findall(r'<h3><a href="[^"]+"[^>]*>([^<]+)</a>', html))

    assert listed("") == {"GP registration", "Paid English course"}
    assert listed("?domain=health") == {"GP registration"}
    assert listed("?language=fa") == {"GP registration"}
    assert listed("?free=on") == {"GP registration"}
    assert listed("?q=english") == {"Paid English course"}


def test_search_by_postcode_lists_nearest_first_with_distances(client, place, organization):
    LocationFactory(
        organization=organization, postal_code="CV1 1AA", latitude=52.40, longitude=-1.50
    )
    ServiceFactory(organization=organization, name="Far", latitude=52.44, longitude=-1.50)
    ServiceFactory(organization=organization, name="Near", latitude=52.401, longitude=-1.50)

    html = client.get(f"/en/{place.slug}/?near=cv1+1aa&radius=10").content.decode()

    assert html.index(">Near</a>") < html.index(">Far</a>")
    assert "0.1 km away" in html and "4.4 km away" in html


def test_wrong_filter_values_are_named_and_the_page_still_works(client, place, service):
    html = client.get(f"/en/{place.slug}/?domain=astrology&near=Atlantis").content.decode()

    assert "Select a valid choice" in html
    assert "We could not find" in html and "Atlantis" in html
    assert service.name in html


def test_search_page_without_javascript_has_a_plain_list_with_positions(
    client, place, organization
):
    ServiceFactory(organization=organization, name="Mapped", latitude=52.41, longitude=-1.51)

    html = client.get(f"/en/{place.slug}/").content.decode()

    assert '<ol class="results" data-map-list>' in html
    assert 'data-lat="52.410000" data-lon="-1.510000" data-name="Mapped"' in html
    assert '<script src="/static/directory/map.js" defer></script>' in html
    assert "<script>" not in html and "style=" not in html


def test_language_switcher_keeps_the_current_path(client, place, service):
    url = f"/en/{place.slug}/services/{service.pk}/?original=1"
    html = client.get(url).content.decode()
    assert (
        f'name="next" type="hidden" value="/en/{place.slug}/services/{service.pk}/?original=1"'
        in html
    )

    response = client.post("/i18n/setlang/", {"language": "ar", "next": url})
    assert response.status_code == 302
    assert response["Location"] == f"/ar/{place.slug}/services/{service.pk}/?original=1"


# --- Query counts ----------------------------------------------------------------------


def _add_results(place, n):
    for i in range(n):
        org = OrganizationFactory(place=place)
        service = ServiceFactory(
            organization=org, name=f"Result {i}", latitude=52.4, longitude=-1.5
        )
        service.domains.add(TaxonomyTerm.objects.get(code="work"))
        ServiceLanguage.objects.create(service=service, code="ar")
        save_translation(service, "ar", {"name": f"نتيجة {i}"})
        save_translation(org, "ar", {"name": f"منظمة {i}"})
        open_all_week(service)


@pytest.mark.parametrize("query", ["", "?near=CV1&language=ar&open_now=on&free=on&domain=work"])
def test_search_page_query_count_is_pinned_and_constant(
    client, place, django_assert_num_queries, query
):
    LocationFactory(organization=OrganizationFactory(place=place), postal_code="CV1 1AA")
    url = f"/ar/{place.slug}/{query}"
    # place, count, page, open-now badges, 4 prefetches (+ full and outward postcode lookups)
    expected = 10 if query else 8
    _add_results(place, 2)
    client.get(url)  # warms the content type cache
    with django_assert_num_queries(expected):
        few = client.get(url).content.decode()
    _add_results(place, 7)
    with django_assert_num_queries(expected):
        many = client.get(url).content.decode()
    assert few.count('class="result"') == 2 and many.count('class="result"') == 9


def test_service_page_query_count_is_pinned_and_constant(
    client, place, organization, django_assert_num_queries
):
    small = ServiceFactory(organization=organization)
    ServiceAtLocation.objects.create(
        service=small, location=LocationFactory(organization=organization)
    )
    Contact.objects.create(service=small, name="Desk")
    big = full_service(organization)
    client.get(f"/en/{place.slug}/services/{small.pk}/")  # warms the content type cache
    # place, service, 13 prefetches (translations ×3, domains, languages, groups, schedules,
    # slots, closures, phones, contacts, contact phones, locations)
    for service in (small, big):
        with django_assert_num_queries(15):
            client.get(f"/en/{place.slug}/services/{service.pk}/")


def test_organisation_page_query_count_is_pinned_and_constant(
    client, place, organization, django_assert_num_queries
):
    url = f"/fa/{place.slug}/organisations/{organization.pk}/"
    ServiceFactory(organization=organization)
    client.get(url)  # warms the content type cache
    with django_assert_num_queries(7):  # place, organisation, 5 prefetches
        client.get(url)
    for n in range(5):
        service = ServiceFactory(organization=organization)
        save_translation(service, "fa", {"name": f"خدمت {n}"})
        Offer.objects.create(organization=organization, kind=OfferKind.SKILL, description=f"S{n}")
    with django_assert_num_queries(7):
        client.get(url)


def test_pager_links_keep_the_filters(client, place, organization):
    for n in range(25):
        ServiceFactory(organization=organization, name=f"Class {n:02d}", is_free=True)

    html = client.get(f"/en/{place.slug}/?free=on").content.decode()

    assert "Page 1 of 2" in html
    assert 'href="?free=on&amp;page=2"' in html
    second = client.get(f"/en/{place.slug}/?free=on&page=2").content.decode()
    assert second.count('class="result"') == 5 and 'rel="prev"' in second


def test_more_filters_stay_closed_after_a_plain_text_search(client, place, service):
    page = client.get(f"/en/{place.slug}/", {"q": "advice", "radius": "5"}).content.decode()
    assert '<details class="search-more" open' not in page
    page = client.get(f"/en/{place.slug}/", {"q": "advice", "domain": "health"}).content.decode()
    assert '<details class="search-more" open' in page
