import datetime as dt
import os
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from commonhome.core.constants import TranslationStatus
from commonhome.core.models import Place, SearchEntry, Translation, User
from commonhome.core.permissions import can
from commonhome.core.translation import status_of
from commonhome.demo.load import load_westmidlands
from commonhome.demo.management.commands.demo import FILE_BACKEND
from commonhome.directory.constants import ChangeStatus, ServiceStatus
from commonhome.directory.models import (
    ChangeRequest,
    Closure,
    OpeningSlot,
    Organization,
    Service,
)
from commonhome.directory.search import SearchParams, search_services
from commonhome.matching import dashboard, engine, services
from commonhome.matching.constants import (
    ConsentPurpose,
    ProfileStatus,
    ProgrammeKind,
    ProposalStatus,
    Response,
    Side,
)
from commonhome.matching.models import (
    CheckIn,
    Employer,
    Feedback,
    MatchRun,
    Placement,
    Profile,
    Programme,
    Proposal,
    SkillsAudit,
)
from commonhome.matching.runner import run_matching
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


@pytest.fixture
def demo_mail(monkeypatch, settings, tmp_path):
    """Run the demo command as an operator would, with no e-mail backend chosen; what it
    changes in the environment and the settings is undone afterwards."""
    monkeypatch.setenv("COMMONHOME_EMAIL_BACKEND", "unset")
    monkeypatch.delenv("COMMONHOME_EMAIL_BACKEND")
    settings.EMAIL_BACKEND = settings.EMAIL_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def test_demo_command_prints_a_fresh_password_the_staff_accounts_log_in_with(capsys, demo_mail):
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


# --- Matching ---------------------------------------------------------------------------------


def matching_ids():
    return {
        model.__name__: set(model.objects.values_list("pk", flat=True))
        for model in (Programme, Profile, Proposal, Placement, Employer)
    }


def matching_counts():
    return [
        model.objects.count() for model in (CheckIn, Feedback, SkillsAudit, MatchRun, Translation)
    ]


def test_matching_demo_loaded_twice_leaves_one_copy_with_the_same_ids(demo):
    first, counts = matching_ids(), matching_counts()
    assert all(first.values()), first
    load_westmidlands()
    assert matching_ids() == first
    assert matching_counts() == counts


def test_each_kind_of_programme_has_people_on_both_sides_and_proposals(demo):
    programmes = Programme.objects.filter(place=demo.cities["coventry"])
    assert sorted(programmes.values_list("kind", flat=True)) == sorted(ProgrammeKind.values)
    for programme in programmes:
        active = programme.profiles.filter(status=ProfileStatus.ACTIVE)
        assert 12 <= active.filter(side=Side.SEEKER).count() <= 25, programme.slug
        assert 12 <= active.filter(side=Side.OFFERER).count() <= 25, programme.slug
        assert programme.proposals.exists(), programme.slug
        assert programme.runs.count() == 1, programme.slug
        assert programme.translations.filter(language="ar").exists(), programme.slug


def test_demo_proposals_are_at_every_stage_and_matches_reveal_contacts(demo):
    accepted = Proposal.objects.filter(status=ProposalStatus.ACCEPTED).select_related(
        "seeker", "offerer"
    )
    assert accepted.exists()
    for match in accepted:
        contact = services.contact_for(match.seeker, match)
        assert contact is not None and contact.display_name == match.offerer.display_name
    assert Proposal.objects.filter(status=ProposalStatus.DECLINED).count() == 1
    waiting = Proposal.objects.filter(status=ProposalStatus.PROPOSED)
    assert waiting.filter(seeker_response=Response.PENDING, offerer_response=Response.PENDING)
    assert waiting.exclude(offerer_response=Response.PENDING).exists()
    for match in waiting.select_related("seeker"):
        assert services.contact_for(match.seeker, match) is None
    assert CheckIn.objects.filter(proposal__in=accepted).exists()
    assert Feedback.objects.filter(proposal__in=accepted).exists()


def test_demo_shows_few_options_and_people_who_cannot_be_matched(demo):
    buddies = Programme.objects.get(place=demo.cities["coventry"], kind="buddy")
    stats = buddies.runs.get().stats
    assert stats["few_options"] > 0 and stats["few_options_matched"] > 0
    without_candidate = []
    for programme in Programme.objects.filter(place=demo.cities["coventry"]):
        for group in dashboard.programme_figures(programme).unmatched:
            if group.reason in engine.HARD:
                without_candidate += group.people
    assert len(without_candidate) >= 2
    audits = SkillsAudit.objects.filter(profile__programme__kind="employment")
    assert audits.count() >= 3
    assert any(entry["country"] for audit in audits for entry in audit.experience)


def test_demo_admin_coordinates_matching_in_coventry(demo, client):
    admin = User.objects.get(username="demo-admin")
    assert can(admin, "matching.coordinate", demo.cities["coventry"])
    client.force_login(admin)
    assert client.get("/en/match/staff/coventry/").status_code == 200
    assert client.get("/en/match/staff/coventry/welcome-buddies/").status_code == 200


def test_private_links_open_each_person_page_with_their_proposal(demo, client):
    people = [path for path in demo.links.values() if "/me/" in path]
    assert len(people) >= 2
    for path in people:
        response = client.get(path)
        assert response.status_code == 200, path
        _lang, _match, place, slug, _me, token = path.strip("/").split("/")
        programme = Programme.objects.get(place__slug=place, slug=slug)
        profile = services.profile_for_token(programme, token)
        proposal = services.proposals_for(profile).first()
        assert escape(proposal.partner_of(profile).display_name) in response.content.decode()
    (employer_path,) = [path for path in demo.links.values() if "/employers/" in path]
    response = client.get(employer_path)
    assert response.status_code == 200
    token = employer_path.strip("/").split("/")[-1]
    employer = services.employer_for_token(demo.cities["coventry"], token)
    assert isinstance(employer, Employer)
    assert escape(employer.placements.first().title) in response.content.decode()


def test_reloading_keeps_matching_records_that_are_not_demo_content(demo):
    coventry = demo.cities["coventry"]
    admin = User.objects.get(username="demo-admin")
    real = services.create_programme(
        admin, coventry, slug="neighbours", kind="buddy", name="Good neighbours"
    )
    consents = [ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_AFTER_MATCH]
    where = {"latitude": 52.41, "longitude": -1.51, "availability": ["mon-eve"]}
    seeker, _token = services.sign_up(
        real,
        side="seeker",
        display_name="Ama",
        language="en",
        consents=consents,
        email="ama@example.net",
        languages=["en"],
        **where,
    )
    services.sign_up(
        real,
        side="offerer",
        display_name="Bo",
        language="en",
        consents=consents,
        email="bo@example.net",
        languages=["en"],
        **where,
    )
    run_matching(real)
    proposal = Proposal.objects.get(programme=real)
    # A real programme already using a demo programme's address keeps it; the demo leaves
    # that one out.
    demo_hosting = Programme.objects.get(place=coventry, slug="room-to-spare")
    demo_hosting.delete()
    taken = services.create_programme(
        admin, coventry, slug="room-to-spare", kind="hosting", name="Our own hosting"
    )
    load_westmidlands()
    assert Programme.objects.filter(pk=real.pk).exists()
    assert Proposal.objects.filter(pk=proposal.pk, seeker=seeker).exists()
    assert Programme.objects.get(place=coventry, slug="room-to-spare").pk == taken.pk
    assert Programme.objects.filter(place=coventry, slug="welcome-buddies").exists()


def test_demo_command_prints_private_links_after_the_accounts(capsys, client, demo_mail, settings):
    call_command("demo", "--load-only")
    out = capsys.readouterr().out
    # E-mails to demo people go to files, not the terminal, and the server inherits that.
    assert f"E-mails sent are written to {demo_mail}" in out
    assert settings.EMAIL_BACKEND == os.environ["COMMONHOME_EMAIL_BACKEND"] == FILE_BACKEND
    paths = re.findall(r"^\s+(/en/match/coventry/\S+)$", out, flags=re.MULTILINE)
    assert len(paths) >= 3
    assert out.index("password:") < out.index(paths[0])
    for path in paths:
        assert client.get(path).status_code == 200, path
