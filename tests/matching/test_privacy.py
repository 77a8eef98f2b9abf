"""Who sees what: contact only after both accept; explanations only to the two; coordinators
of another place see nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.matching import services
from commonhome.matching.models import MatchRun, Proposal
from commonhome.matching.runner import run_matching
from tests.factories import PlaceFactory, member
from tests.matching.factories import offerer, proposal, seeker


@pytest.mark.django_db
def test_the_partners_contact_is_hidden_until_both_accept(programme):
    newcomer = seeker(
        programme, display_name="Maryam", email="maryam@example.org", phone="+44 7700 900001"
    )
    volunteer = offerer(programme, display_name="Emma", email="emma@example.org")
    run_matching(programme)
    made = Proposal.objects.get(seeker=newcomer)
    assert services.contact_for(newcomer, made) is None
    assert services.contact_for(volunteer, made) is None
    services.respond(newcomer, made, True)
    assert services.contact_for(newcomer, made) is None
    assert services.contact_for(volunteer, made) is None
    services.respond(volunteer, made, True)
    made.refresh_from_db()
    assert services.contact_for(newcomer, made) == services.Contact(
        display_name="Emma", email="emma@example.org", phone=""
    )
    assert services.contact_for(volunteer, made).phone == "+44 7700 900001"
    assert services.contact_for(seeker(programme), made) is None


@pytest.mark.django_db
def test_a_declined_or_ended_match_shows_no_contact(programme, coordinator):
    declined = proposal(seeker(programme), offerer(programme))
    services.respond(declined.seeker, declined, True)
    services.respond(declined.offerer, declined, False)
    declined.refresh_from_db()
    assert services.contact_for(declined.seeker, declined) is None
    ended = proposal(seeker(programme), offerer(programme))
    services.respond(ended.seeker, ended, True)
    services.respond(ended.offerer, ended, True)
    services.end_match(ended, reason="Moved away", actor=coordinator)
    ended.refresh_from_db()
    assert services.contact_for(ended.seeker, ended) is None


@pytest.mark.django_db
def test_each_of_the_two_sees_why_and_nobody_else_does(programme):
    newcomer = seeker(programme, display_name="Maryam", languages=["fa", "en"])
    offerer(programme, display_name="Reza", languages=["fa", "en"])
    offerer(programme, display_name="Other", languages=["fa"])
    run_matching(programme)
    made = Proposal.objects.get(seeker=newcomer)
    why = services.explanation(newcomer, made)
    assert why.partner_name == "Reza"
    assert why.reasons == ["shared_language:en", "shared_language:fa"]
    assert why.parts["language"] == 1  # the second shared language
    assert "Other" not in repr(why)
    assert why.your_response == why.partner_response == "pending"
    with pytest.raises(PermissionDenied):
        services.explanation(seeker(programme), made)
    assert list(services.proposals_for(newcomer)) == [made]


@pytest.mark.django_db
def test_a_coordinator_of_another_place_is_refused_and_sees_nothing(programme):
    newcomer = seeker(programme)
    volunteer = offerer(programme)
    run_matching(programme)
    made = Proposal.objects.get(seeker=newcomer)
    services.respond(newcomer, made, True)
    services.respond(volunteer, made, True)
    made.refresh_from_db()
    outsider = member(PlaceFactory(), Role.ADMIN)
    refused = [
        lambda: services.profiles_for(outsider, programme),
        lambda: services.programme_proposals(outsider, programme),
        lambda: services.programmes_for(outsider, programme.place),
        lambda: services.coordinator_contact(outsider, newcomer),
        lambda: services.force_pair(outsider, newcomer, volunteer, reason="Because"),
        lambda: services.forbid_pair(outsider, newcomer, volunteer, reason="Because"),
        lambda: services.end_match(made, reason="Because", actor=outsider),
        lambda: services.add_check_in(made, text="How is it going?", actor=outsider),
        lambda: services.request_run(outsider, programme),
        lambda: services.update_profile(newcomer, None, actor=outsider, display_name="X"),
        lambda: services.sign_up(
            programme,
            side="seeker",
            display_name="Desk",
            language="en",
            consents=["matching", "contact_after_match"],
            email="desk@example.org",
            languages=["en"],
            recorded_by=outsider,
        ),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    made.refresh_from_db()
    assert made.status == "accepted"
    assert MatchRun.objects.filter(requested_by=outsider).count() == 0
    assert not AuditEntry.objects.filter(actor=outsider).exists()


@pytest.mark.django_db
def test_anonymous_is_no_coordinator(programme):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.profiles_for(AnonymousUser(), programme)


@pytest.mark.django_db
def test_a_coordinator_of_the_place_sees_contacts_and_each_look_is_logged(programme, coordinator):
    newcomer = seeker(programme, email="maryam@example.org")
    assert services.coordinator_contact(coordinator, newcomer).email == "maryam@example.org"
    entry = AuditEntry.objects.get(action="matching.contact.view")
    assert entry.actor == coordinator and "maryam" not in str(entry.after)
    assert list(services.profiles_for(coordinator, programme)) == [newcomer]


@pytest.mark.django_db
def test_the_audit_log_keeps_no_contact_or_origin(programme):
    newcomer = seeker(
        programme, email="maryam@example.org", phone="+44 7700 900001", origin="Herat"
    )
    services.update_profile(newcomer, None, email="m2@example.org", origin="Kabul")
    logged = " ".join(
        f"{e.before} {e.after} {e.note}" for e in AuditEntry.objects.filter(object_id=newcomer.pk)
    )
    for secret in ("maryam@", "m2@", "7700", "Herat", "Kabul"):
        assert secret not in logged
