import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from commonhome.core.constants import TranslationStatus
from commonhome.core.models import Place, SearchEntry, User
from commonhome.core.translation import status_of
from commonhome.demo.load import load_westmidlands
from commonhome.directory.constants import ChangeStatus, ServiceStatus
from commonhome.directory.models import (
    ChangeRequest,
    Closure,
    OpeningSlot,
    Organization,
    Service,
)
from commonhome.directory.search import SearchParams, search_services
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

CITIES = {"coventry": "CV", "birmingham": "B", "wolverhampton": "WV"}


@pytest.fixture
def demo():
    return load_westmidlands()


def demo_services():
    return Service.objects.filter(is_demo=True)


def test_region_holds_three_cities_with_sixty_or_more_services(demo):
    region = Place.objects.get(slug="west-midlands")
    assert set(region.children.values_list("slug", flat=True)) == set(CITIES)
    services = demo_services().select_related("place")
    assert services.count() >= 60
    for slug in CITIES:
        assert services.filter(place__slug=slug).count() >= 15


def test_every_service_is_complete_and_located_in_its_own_city(demo):
    services = demo_services().prefetch_related(
        "domains", "languages", "target_groups", "schedules", "service_at_locations__location"
    )
    for service in services.select_related("organization", "place"):
        (at,) = service.service_at_locations.all()
        location = at.location
        prefix = CITIES[service.place.slug]
        assert re.match(rf"^{prefix}\d", location.postal_code), location.postal_code
        assert abs(location.latitude - service.place.center_lat) < 0.08
        assert abs(location.longitude - service.place.center_lon) < 0.12
        assert service.latitude == location.latitude
        assert service.domains.exists() and service.languages.exists()
        assert service.target_groups.exists() and service.schedules.exists()
        assert service.last_verified is not None
        assert service.organization.place_id == service.place_id


def test_demo_records_are_marked_and_say_so_in_their_description(demo):
    assert not demo_services().exclude(description__contains="Demo").exists()
    orgs = Organization.objects.filter(place__slug__in=CITIES)
    assert orgs.exists()
    assert not orgs.exclude(is_demo=True).exists()
    assert not orgs.exclude(description__contains="Demo").exists()


def test_loading_twice_leaves_one_copy_with_the_same_ids(demo):
    ids = set(demo_services().values_list("pk", flat=True))
    counts = (Organization.objects.count(), ChangeRequest.objects.count())
    entries = SearchEntry.objects.count()
    load_westmidlands()
    assert set(demo_services().values_list("pk", flat=True)) == ids
    assert (Organization.objects.count(), ChangeRequest.objects.count()) == counts
    assert SearchEntry.objects.count() == entries
    assert Place.objects.filter(slug__in=CITIES).count() == 3


def test_reloading_keeps_records_that_are_not_demo_content(demo):
    real = ServiceFactory(place=demo.cities["coventry"], name="A real service")
    load_westmidlands()
    assert Service.objects.filter(pk=real.pk).exists()


def test_every_translation_status_appears_in_arabic_farsi_and_ukrainian(demo):
    records = list(demo_services().prefetch_related("translations"))
    records += list(Organization.objects.filter(is_demo=True).prefetch_related("translations"))
    for language in ("ar", "fa", "uk"):
        seen = {status_of(record, language) for record in records}
        assert {
            TranslationStatus.MISSING,
            TranslationStatus.OUTDATED,
            TranslationStatus.MACHINE,
            TranslationStatus.HUMAN,
            TranslationStatus.REVIEWED,
        } <= seen, language


def test_freshness_and_opening_states_are_all_represented(demo):
    today = timezone.localdate()
    services = demo_services()
    assert services.filter(last_verified__lt=today - dt.timedelta(days=365)).exists()
    assert services.filter(last_verified__gte=today - dt.timedelta(days=60)).exists()
    assert services.filter(status=ServiceStatus.TEMPORARILY_CLOSED).count() == 1
    assert services.filter(by_appointment=True).exists()
    assert services.filter(is_free=False).exclude(fees_description="").exists()
    assert Closure.objects.filter(starts__lte=today, ends__gte=today).exists()
    assert Closure.objects.filter(starts__gt=today).exists()
    assert Organization.objects.filter(is_demo=True, migrant_led=True).count() >= 3
    assert Organization.objects.filter(is_demo=True, offers__isnull=False).distinct().count() > 20


def test_demo_is_indexed_for_search_and_has_opening_slots(demo):
    coventry = demo.cities["coventry"]
    found = search_services(coventry, SearchParams(q="ESOL"))
    assert found.total >= 1
    arabic = search_services(coventry, SearchParams(q="دروس"))
    assert arabic.total >= 1
    assert OpeningSlot.objects.filter(service__is_demo=True).count() >= 60


def test_pending_change_requests_wait_for_review(demo):
    pending = ChangeRequest.objects.filter(status=ChangeStatus.PENDING)
    assert pending.count() >= 3
    assert all(change.base_version == change.service.version for change in pending)


def test_demo_command_prints_a_fresh_password_the_staff_accounts_log_in_with(capsys):
    call_command("demo", "--load-only")
    first = capsys.readouterr().out
    password = re.search(r"password: (\S+)", first).group(1)
    for username in ("demo-admin", "demo-moderator", "demo-editor"):
        assert username in first
        assert User.objects.get(username=username).check_password(password)
    call_command("demo", "--load-only")
    second = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert second != password
    assert Service.objects.filter(is_demo=True).count() >= 60
