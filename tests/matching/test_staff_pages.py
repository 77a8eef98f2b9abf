"""Matching coordinators' pages: who may see them, running matching, the export, forcing and
forbidding pairs, looking up a contact, ending a match, editing a programme's rules."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.matching import services
from commonhome.matching.constants import PairRuleKind, ProposalStatus
from commonhome.matching.models import PairRule, Programme, Proposal
from tests.factories import ROLES, PlaceFactory, member, user_for_role
from tests.matching.factories import ProgrammeFactory, matched, offerer, proposal, seeker

STAFF_ONLY = {
    "anonymous": 302,
    "contributor": 403,
    "org_editor": 403,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 403,
}
#: Session, user, membership, place and programme; the pool (proposals, pair rules, profiles);
#: names of the unmatched; pool sizes; open proposals; quality; recent runs.
PROGRAMME_PAGE_QUERIES = 13


@pytest.fixture
def people(programme):
    newcomer = seeker(programme, display_name="Newcomer", phone="+44 7700 900123")
    volunteer = offerer(programme, display_name="Volunteer", capacity=2)
    match = matched(newcomer, volunteer)
    return {"seeker": newcomer, "offerer": volunteer, "match": match}


def urls(place, programme, people):
    p = [place.slug, programme.slug]
    return [
        reverse("matching:staff", args=[place.slug]),
        reverse("matching:staff-programme-new", args=[place.slug]),
        reverse("matching:staff-programme-edit", args=p),
        reverse("matching:staff-programme", args=p),
        reverse("matching:staff-export", args=p),
        reverse("matching:staff-profile", args=[*p, people["seeker"].pk]),
        reverse("matching:staff-proposal", args=[*p, people["match"].pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_coordinator_pages_are_for_staff_of_that_place(
    client, place, organization, programme, people, role
):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    for url in urls(place, programme, people):
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
        if role == "anonymous":
            assert reverse("core:login") in response["Location"]


def test_another_places_coordinator_sees_nothing_of_this_place(client, programme, people):
    other = PlaceFactory()
    client.force_login(member(other, Role.ADMIN))
    p = [other.slug, programme.slug]
    for url in [
        reverse("matching:staff-programme", args=p),
        reverse("matching:staff-export", args=p),
        reverse("matching:staff-profile", args=[*p, people["seeker"].pk]),
        reverse("matching:staff-proposal", args=[*p, people["match"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("matching:staff", args=[other.slug]))
    assert programme.name not in page.content.decode()


def test_dashboard_lists_the_places_programmes_with_pool_sizes(client, coordinator, programme):
    seeker(programme)
    offerer(programme)
    client.force_login(coordinator)
    page = client.get(reverse("matching:staff", args=[programme.place.slug]))
    html = page.content.decode()
    assert programme.name in html
    assert reverse("matching:staff-programme", args=[programme.place.slug, programme.slug]) in html


def test_run_matching_now_creates_proposals_and_says_how_many(client, coordinator, programme):
    for _ in range(2):
        seeker(programme)
    offerer(programme, capacity=2)
    client.force_login(coordinator)
    url = reverse("matching:staff-programme", args=[programme.place.slug, programme.slug])

    response = client.post(url, {"action": "run"}, follow=True)

    assert Proposal.objects.filter(programme=programme).count() == 2
    assert "2 new proposals" in response.content.decode()
    assert AuditEntry.objects.filter(action="matching.run.request", actor=coordinator).exists()


def test_programme_page_shows_why_people_are_unmatched_and_escapes_names(
    client, coordinator, programme
):
    offerer(programme, languages=["en"])
    lonely = seeker(programme, languages=["fa"], display_name="<script>alert(1)</script>")
    client.force_login(coordinator)
    html = client.get(
        reverse("matching:staff-programme", args=[programme.place.slug, programme.slug])
    ).content.decode()
    assert "A language in common" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert str(lonely.pk) in html
    assert lonely.email not in html


def test_export_has_pseudonyms_and_no_contact_details(client, coordinator, programme, people):
    services.end_match(people["match"], reason="=HYPERLINK(1)", actor=coordinator)
    client.force_login(coordinator)
    url = reverse("matching:staff-export", args=[programme.place.slug, programme.slug])

    response = client.get(url)

    body = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == ProposalStatus.ENDED and row["score"] == "3"
    assert row["end_reason"] == "'=HYPERLINK(1)"
    assert row["seeker"].startswith("m-") and str(people["seeker"].pk) not in body
    assert "@" not in body and "7700" not in body and "Newcomer" not in body
    assert AuditEntry.objects.filter(action="matching.export", actor=coordinator).exists()


def test_contact_is_shown_only_on_request_and_the_look_is_logged(
    client, coordinator, programme, people
):
    client.force_login(coordinator)
    url = reverse(
        "matching:staff-profile", args=[programme.place.slug, programme.slug, people["seeker"].pk]
    )
    assert people["seeker"].email not in client.get(url).content.decode()
    assert not AuditEntry.objects.filter(action="matching.contact.view").exists()

    html = client.post(url, {"action": "contact"}).content.decode()

    assert people["seeker"].email in html and "+44 7700 900123" in html
    assert AuditEntry.objects.filter(action="matching.contact.view", actor=coordinator).exists()


@pytest.mark.parametrize("action", ["force", "forbid"])
def test_force_or_forbid_a_pair_from_a_profile_is_logged(client, coordinator, programme, action):
    newcomer = seeker(programme)
    volunteer = offerer(programme)
    client.force_login(coordinator)
    url = reverse(
        "matching:staff-profile", args=[programme.place.slug, programme.slug, newcomer.pk]
    )

    response = client.post(url, {"action": action, "other": volunteer.pk, "reason": "Met at desk"})

    assert response.status_code == 302
    rule = PairRule.objects.get(seeker=newcomer, offerer=volunteer)
    assert rule.kind == (PairRuleKind.FORCE if action == "force" else PairRuleKind.FORBID)
    assert rule.by == coordinator
    entry = AuditEntry.objects.get(action=f"matching.pair.{action}")
    assert entry.actor == coordinator and entry.note == "Met at desk"


def test_forcing_needs_a_reason(client, coordinator, programme):
    newcomer = seeker(programme)
    volunteer = offerer(programme)
    client.force_login(coordinator)
    url = reverse(
        "matching:staff-profile", args=[programme.place.slug, programme.slug, newcomer.pk]
    )
    response = client.post(url, {"action": "force", "other": volunteer.pk, "reason": ""})
    assert response.status_code == 200
    assert not PairRule.objects.exists()


def test_the_other_side_offered_is_only_this_programmes_active_people(client, coordinator, place):
    programme = ProgrammeFactory(place=place)
    newcomer = seeker(programme)
    here = offerer(programme)
    elsewhere = offerer(ProgrammeFactory(place=place))
    client.force_login(coordinator)
    html = client.get(
        reverse("matching:staff-profile", args=[place.slug, programme.slug, newcomer.pk])
    ).content.decode()
    assert str(here.pk) in html and str(elsewhere.pk) not in html


def test_coordinator_ends_a_match_with_a_reason(client, coordinator, programme, people):
    client.force_login(coordinator)
    url = reverse(
        "matching:staff-proposal", args=[programme.place.slug, programme.slug, people["match"].pk]
    )
    page = client.get(url).content.decode()
    assert "Languages in common" in page

    client.post(url, {"action": "end", "reason": "Moved to another city"})

    people["match"].refresh_from_db()
    assert people["match"].status == ProposalStatus.ENDED
    assert people["match"].end_reason == "Moved to another city"
    assert AuditEntry.objects.filter(action="matching.match.end", actor=coordinator).exists()


def test_proposal_page_says_why_in_the_words_people_read(client, coordinator, programme):
    from commonhome.matching.texts import reason_sentence

    reasons = ["shared_language:en", "distance:2.3km", "availability:mon-eve", "forced"]
    made = proposal(seeker(programme), offerer(programme), reasons=reasons)
    client.force_login(coordinator)
    page = client.get(
        reverse("matching:staff-proposal", args=[programme.place.slug, programme.slug, made.pk])
    ).content.decode()
    assert "You both speak English." in page
    assert "You live about 2.3 km apart." in page
    assert "You are both free on Monday, evening." in page
    for reason in reasons:
        assert f"<li>{reason}</li>" not in page
        assert f"<li>{reason_sentence(reason)}</li>" in page


def _programme_data(**overrides):
    data = {
        "slug": "hosts",
        "name": "Hosts",
        "description": "Rooms for people who just arrived.",
        "kind": "hosting",
        "max_capacity": "1",
        "proposal_expiry_days": "10",
        "reminder_days": "3",
        "is_open": "on",
        "hard": ["conditions", "distance"],
        "max_km": "25",
        "priority": ["long_waiting"],
        "long_wait_days": "30",
        "few_options_max": "3",
        "weight_language": "3",
        "weight_origin": "0",
        "weight_interests": "1",
        "weight_distance": "2",
        "weight_waiting": "4",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_programme_with_its_rules(client, coordinator, place):
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:staff-programme-new", args=[place.slug]), _programme_data()
    )
    created = Programme.objects.get(place=place, slug="hosts")
    assert response.status_code == 302
    assert created.rules["hard"] == ["conditions", "distance"]
    assert created.rules["weights"]["waiting"] == 4 and created.rules["max_km"] == 25.0
    assert created.rules["priority"] == ["long_waiting"]


def test_distance_without_a_maximum_is_refused_on_the_rules_field(client, coordinator, place):
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:staff-programme-new", args=[place.slug]), _programme_data(max_km="")
    )
    assert response.status_code == 200
    assert "maximum distance" in response.content.decode()
    assert not Programme.objects.filter(slug="hosts").exists()


def test_editing_a_programme_checks_the_version(client, coordinator, programme):
    client.force_login(coordinator)
    url = reverse("matching:staff-programme-edit", args=[programme.place.slug, programme.slug])
    assert 'value="shared_language"' in client.get(url).content.decode()
    data = _programme_data(slug="ignored", name="Buddies renamed", version=str(programme.version))
    data["hard"] = ["shared_language"]

    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Buddies renamed" and programme.slug != "ignored"

    stale = client.post(url, {**data, "name": "Lost edit"})
    assert stale.status_code == 200
    assert "Someone else changed" in stale.content.decode()
    programme.refresh_from_db()
    assert programme.name == "Buddies renamed"


def _programme_page_queries(client, programme, size):
    for n in range(size):
        newcomer = seeker(programme, languages=["en"] if n % 2 else ["fa"])
        volunteer = offerer(programme)
        if n % 3 == 0:
            proposal(newcomer, volunteer)
    url = reverse("matching:staff-programme", args=[programme.place.slug, programme.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_programme_page_queries_do_not_grow_with_the_pool(client, place):
    client.force_login(member(place, Role.ADMIN))
    small = _programme_page_queries(client, ProgrammeFactory(place=place), 3)
    large = _programme_page_queries(client, ProgrammeFactory(place=place), 12)
    assert small == large == PROGRAMME_PAGE_QUERIES
