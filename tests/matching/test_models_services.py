"""Sign-up, profiles, the proposal lifecycle and coordinators' decisions, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.core.records import StaleVersion
from commonhome.matching import services
from commonhome.matching.constants import (
    ConsentPurpose,
    PairRuleKind,
    ProfileStatus,
    ProgrammeKind,
    ProposalStatus,
    Response,
    Side,
)
from commonhome.matching.models import MatchRun, PairRule, Profile, hash_token
from tests.factories import PlaceFactory, member
from tests.matching.factories import ProgrammeFactory, matched, offerer, proposal, seeker

NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


# --- Sign-up and consent -------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_requires_consent_to_matching_and_to_showing_the_contact(programme):
    with pytest.raises(ValidationError) as error:
        seeker(programme, consents=[ConsentPurpose.MATCHING])
    assert "consents" in error.value.message_dict
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_each_consent_is_recorded_with_its_time_and_origin_needs_its_own(programme):
    without = seeker(
        programme,
        consents=[ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_AFTER_MATCH],
        origin="Herat",
        now=NOW,
    )
    assert without.consents == {
        "contact_after_match": NOW.isoformat(),
        "matching": NOW.isoformat(),
    }
    assert without.origin == ""  # least data: not kept without its purpose
    with_origin = seeker(programme, origin="Herat")
    assert with_origin.origin == "Herat"
    assert with_origin.to_side(1).origin == "Herat"
    services.set_consent(with_origin, ConsentPurpose.SHARE_ORIGIN, False)
    with_origin.refresh_from_db()
    assert with_origin.origin == "" and "share_origin" not in with_origin.consents


@pytest.mark.django_db
def test_withdrawing_consent_to_matching_is_leaving(programme):
    person = seeker(programme)
    services.set_consent(person, ConsentPurpose.MATCHING, False)
    person.refresh_from_db()
    assert person.status == ProfileStatus.LEFT


@pytest.mark.django_db
def test_only_the_token_hash_is_stored_and_the_token_opens_only_that_profile(programme):
    person = seeker(programme)
    other = seeker(programme)
    assert person.token_hash == hash_token(person.token) != person.token
    assert services.profile_for_token(programme, person.token) == person
    assert services.profile_for_token(programme, "guess") is None
    other_programme = ProgrammeFactory(place=programme.place)
    assert services.profile_for_token(other_programme, person.token) is None
    assert services.profile_for_token(programme, other.token) == other


@pytest.mark.django_db
def test_sign_up_errors_name_the_field(programme):
    with pytest.raises(ValidationError) as error:
        seeker(programme, languages=[], email="", phone="", display_name="", language="xx")
    fields = error.value.message_dict
    assert {"languages", "email", "display_name", "language"} <= set(fields)
    with pytest.raises(ValidationError) as error:
        seeker(programme, availability=["someday"], latitude=52.4)
    assert {"availability", "latitude"} <= set(error.value.message_dict)


@pytest.mark.django_db
def test_one_address_signs_up_once_per_side_until_it_leaves(programme):
    first = seeker(programme, email="maryam@example.org")
    with pytest.raises(ValidationError) as error:
        seeker(programme, email="Maryam@example.org")
    assert "email" in error.value.message_dict
    assert offerer(programme, email="maryam@example.org").side == Side.OFFERER
    services.leave(first)
    assert seeker(programme, email="maryam@example.org").status == ProfileStatus.ACTIVE


@pytest.mark.django_db
def test_capacity_is_one_for_seekers_and_within_the_programme_for_offerers(programme):
    with pytest.raises(ValidationError) as error:
        seeker(programme, capacity=2)
    assert "capacity" in error.value.message_dict
    programme.max_capacity = 2
    programme.save()
    with pytest.raises(ValidationError):
        offerer(programme, capacity=3)
    assert offerer(programme, capacity=2).capacity == 2


@pytest.mark.django_db
def test_coordinates_are_kept_to_about_a_kilometre(programme):
    person = seeker(programme, latitude=52.406822, longitude=-1.519693)
    assert (person.latitude, person.longitude) == (52.41, -1.52)


@pytest.mark.django_db
def test_a_closed_programme_takes_no_sign_ups(programme):
    programme.is_open = False
    programme.save()
    with pytest.raises(ValidationError) as error:
        seeker(programme)
    assert "programme" in error.value.message_dict


# --- Programmes ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_programme_starts_from_its_kinds_rules_and_refuses_unknown_names(place, coordinator):
    hosting = services.create_programme(
        coordinator, place, slug="hosts", kind=ProgrammeKind.HOSTING, name="Hosts"
    )
    assert "conditions" in hosting.rules["hard"]
    assert hosting.engine_rules().max_km == 40.0
    with pytest.raises(ValidationError) as error:
        services.update_programme(
            coordinator, hosting, hosting.version, rules={"hard": ["telepathy"], "weights": {}}
        )
    assert "telepathy" in " ".join(error.value.message_dict["rules"])
    with pytest.raises(ValidationError) as error:
        services.update_programme(coordinator, hosting, hosting.version, max_capacity=4)
    assert "max_capacity" in error.value.message_dict
    updated = services.update_programme(
        coordinator, hosting, hosting.version, rules={"hard": ["gender"], "weights": {"waiting": 2}}
    )
    assert updated.rules["hard"] == ["gender"] and updated.version == hosting.version + 1
    with pytest.raises(StaleVersion):
        services.update_programme(coordinator, hosting, hosting.version, name="Hosts!")


@pytest.mark.django_db
def test_only_coordinators_of_the_place_create_programmes(place):
    outsider = member(PlaceFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.create_programme(outsider, place, slug="x", kind="buddy", name="X")


# --- Profiles ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_update_refuses_a_stale_version_and_logs_no_private_value(programme):
    person = seeker(programme)
    changed = services.update_profile(
        person, person.version, email="new@example.org", interests=["chess"]
    )
    assert changed.email == "new@example.org" and changed.interests == ["chess"]
    with pytest.raises(StaleVersion):
        services.update_profile(person, person.version, display_name="Someone")
    entry = AuditEntry.objects.filter(action="matching.profile.update").get()
    assert "new@example.org" not in str(entry.before) + str(entry.after) + entry.note
    assert "email" in entry.note


@pytest.mark.django_db
def test_pause_withdraws_open_proposals_and_resume_does_not_count_paused_time(programme):
    person = seeker(programme, now=NOW)
    partner = offerer(programme)
    open_one = proposal(person, partner, now=NOW)
    services.pause(person, now=NOW + dt.timedelta(days=10))
    person.refresh_from_db()
    open_one.refresh_from_db()
    assert person.status == ProfileStatus.PAUSED
    assert open_one.status == ProposalStatus.EXPIRED and "paused" in open_one.end_reason
    services.resume(person, now=NOW + dt.timedelta(days=40))
    person.refresh_from_db()
    assert person.status == ProfileStatus.ACTIVE
    assert person.to_side(1, now=NOW + dt.timedelta(days=40)).waiting_days == 10


@pytest.mark.django_db
def test_leaving_declines_open_proposals_ends_matches_and_erases_contact(programme):
    volunteer = offerer(programme, capacity=2)
    match = matched(seeker(programme), volunteer)
    pending = proposal(seeker(programme), volunteer)
    services.leave(volunteer)
    volunteer.refresh_from_db()
    match.refresh_from_db()
    pending.refresh_from_db()
    assert volunteer.status == ProfileStatus.LEFT and volunteer.left_at is not None
    assert (volunteer.email, volunteer.phone, volunteer.token_hash) == ("", "", "")
    assert match.status == ProposalStatus.ENDED
    assert pending.status == ProposalStatus.DECLINED
    assert pending.offerer_response == Response.DECLINED
    assert services.profile_for_token(programme, volunteer.token) is None


# --- Proposals -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_both_accepting_makes_a_match_and_one_declining_closes_the_proposal(programme):
    first = proposal(seeker(programme), offerer(programme))
    after_one = services.respond(first.seeker, first, True)
    assert after_one.status == ProposalStatus.PROPOSED
    assert after_one.seeker_response == Response.ACCEPTED
    both = services.respond(first.offerer, first, True)
    assert both.status == ProposalStatus.ACCEPTED and both.decided_at is not None

    second = proposal(seeker(programme), offerer(programme))
    services.respond(second.seeker, second, True)
    declined = services.respond(second.offerer, second, False)
    assert declined.status == ProposalStatus.DECLINED
    with pytest.raises(ValidationError):
        services.respond(second.seeker, second, True)


@pytest.mark.django_db
def test_only_the_two_people_of_a_proposal_may_answer_it(programme):
    made = proposal(seeker(programme), offerer(programme))
    with pytest.raises(PermissionDenied):
        services.respond(seeker(programme), made, True)


@pytest.mark.django_db
def test_an_answer_cannot_be_changed_and_a_late_answer_is_refused(programme):
    made = proposal(seeker(programme), offerer(programme), now=NOW)
    services.respond(made.seeker, made, True, now=NOW)
    assert services.respond(made.seeker, made, True, now=NOW).seeker_response == "accepted"
    with pytest.raises(ValidationError):
        services.respond(made.seeker, made, False, now=NOW)
    with pytest.raises(ValidationError):
        services.respond(made.offerer, made, True, now=NOW + dt.timedelta(days=15))


@pytest.mark.django_db
def test_the_database_holds_one_live_proposal_per_seeker_and_each_pair_once(programme):
    person = seeker(programme)
    first, second = offerer(programme), offerer(programme)
    proposal(person, first)
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal(person, second)
    other = seeker(programme)
    declined = proposal(other, first)
    services.respond(other, declined, False)
    with pytest.raises(IntegrityError), transaction.atomic():
        proposal(other, first)


@pytest.mark.django_db
def test_reminder_after_reminder_days_then_expiry_pauses_whoever_did_not_answer(programme):
    made = proposal(seeker(programme), offerer(programme), now=NOW)
    services.respond(made.offerer, made, True, now=NOW)
    early = services.expire_and_remind(NOW + dt.timedelta(days=4))
    assert early == {"expired": 0, "paused": 0, "reminded": 0}
    due = services.expire_and_remind(NOW + dt.timedelta(days=5))
    assert due["reminded"] == 1
    made.refresh_from_db()
    assert made.reminded_at == NOW + dt.timedelta(days=5)
    assert services.expire_and_remind(NOW + dt.timedelta(days=6))["reminded"] == 0
    lapsed = services.expire_and_remind(NOW + dt.timedelta(days=14))
    assert lapsed == {"expired": 1, "paused": 1, "reminded": 0}
    made.refresh_from_db()
    made.seeker.refresh_from_db()
    made.offerer.refresh_from_db()
    assert made.status == ProposalStatus.EXPIRED and "seeker" in made.end_reason
    assert made.seeker.status == ProfileStatus.PAUSED
    assert made.offerer.status == ProfileStatus.ACTIVE


@pytest.mark.django_db
def test_force_and_forbid_are_logged_with_their_reason(programme, coordinator):
    person, volunteer = seeker(programme), offerer(programme)
    rule = services.force_pair(coordinator, person, volunteer, reason="Met at the desk")
    assert rule.kind == PairRuleKind.FORCE and rule.by == coordinator
    services.forbid_pair(coordinator, person, volunteer, reason="Safeguarding concern")
    rule.refresh_from_db()
    assert rule.kind == PairRuleKind.FORBID
    actions = list(
        AuditEntry.objects.filter(action__startswith="matching.pair.").values_list(
            "action", "note", "actor"
        )
    )
    assert ("matching.pair.force", "Met at the desk", coordinator.pk) in actions
    assert ("matching.pair.forbid", "Safeguarding concern", coordinator.pk) in actions
    with pytest.raises(ValidationError) as error:
        services.forbid_pair(coordinator, person, volunteer, reason="")
    assert "reason" in error.value.message_dict


@pytest.mark.django_db
def test_forbidding_withdraws_an_open_proposal_and_refuses_a_match(programme, coordinator):
    open_one = proposal(seeker(programme), offerer(programme))
    services.forbid_pair(coordinator, open_one.seeker, open_one.offerer, reason="Not suitable")
    open_one.refresh_from_db()
    assert open_one.status == ProposalStatus.EXPIRED
    match = matched(seeker(programme), offerer(programme))
    with pytest.raises(ValidationError):
        services.forbid_pair(coordinator, match.seeker, match.offerer, reason="Not suitable")
    assert not PairRule.objects.filter(seeker=match.seeker).exists()


@pytest.mark.django_db
def test_a_pair_already_proposed_cannot_be_forced(programme, coordinator):
    declined = proposal(seeker(programme), offerer(programme))
    services.respond(declined.seeker, declined, False)
    with pytest.raises(ValidationError):
        services.force_pair(coordinator, declined.seeker, declined.offerer, reason="Try again")


@pytest.mark.django_db
def test_ending_a_match_needs_a_reason_and_puts_the_seeker_back_waiting(programme, coordinator):
    match = matched(seeker(programme), offerer(programme))
    with pytest.raises(ValidationError):
        services.end_match(match, reason="", actor=coordinator)
    ended = services.end_match(match, reason="Moved to another city", actor=coordinator, now=NOW)
    assert ended.status == ProposalStatus.ENDED and ended.ended_at == NOW
    match.seeker.refresh_from_db()
    assert match.seeker.waiting_since == NOW
    assert AuditEntry.objects.filter(action="matching.match.end", note="Moved to another city")
    with pytest.raises(ValidationError):
        services.end_match(match, reason="Again", profile=match.seeker)


@pytest.mark.django_db
def test_a_partner_may_end_their_match_but_nobody_else(programme):
    match = matched(seeker(programme), offerer(programme))
    with pytest.raises(PermissionDenied):
        services.end_match(match, reason="Not mine", profile=seeker(programme))
    ended = services.end_match(match, reason="We stopped meeting", profile=match.offerer)
    assert ended.status == ProposalStatus.ENDED


@pytest.mark.django_db
def test_check_ins_and_feedback_on_a_match(programme, coordinator):
    match = matched(seeker(programme), offerer(programme))
    noted = services.add_check_in(match, text="First visit went well", actor=coordinator)
    told = services.add_check_in(match, rating=4, profile=match.seeker)
    assert (noted.side, told.side, told.rating) == ("", Side.SEEKER, 4)
    with pytest.raises(ValidationError):
        services.add_check_in(match, rating=6, profile=match.offerer)
    feedback = services.add_feedback(match.offerer, match, rating=5, text="Lovely")
    assert feedback.side == Side.OFFERER
    with pytest.raises(ValidationError):
        services.add_feedback(match.offerer, match, rating=4)
    open_one = proposal(seeker(programme), offerer(programme))
    with pytest.raises(ValidationError):
        services.add_feedback(open_one.seeker, open_one, rating=3)


# --- Employment ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_skills_audit_feeds_the_job_seekers_skills_and_languages(place):
    jobs = ProgrammeFactory(
        place=place,
        kind=ProgrammeKind.EMPLOYMENT,
        rules={"hard": ["skills"], "weights": {"waiting": 1}},
    )
    person = seeker(jobs)
    saved = services.save_skills_audit(
        person,
        skills=["welding"],
        qualifications=[{"title": "Nursing diploma", "country": "SY", "skill": "nursing"}],
        experience=[{"title": "Electrician", "country": "UA", "years": 6, "skill": "electrics"}],
        languages={"ar": "native", "en": "B1"},
        sectors=["health"],
    )
    person.refresh_from_db()
    assert person.skills == ["electrics", "nursing", "sector:health", "welding"]
    assert person.languages == ["ar", "en"]
    with pytest.raises(ValidationError) as error:
        services.save_skills_audit(person, experience=[{"title": "", "years": 3}])
    assert "Row 1" in error.value.message_dict["experience"][0]
    assert saved.version == 1


@pytest.mark.django_db
def test_an_employer_signs_the_pledge_and_a_placement_enters_the_pool(place):
    jobs = ProgrammeFactory(
        place=place, kind=ProgrammeKind.EMPLOYMENT, rules={"hard": ["skills"], "weights": {}}
    )
    with pytest.raises(ValidationError) as error:
        services.sign_up_employer(
            place, name="Bakery", contact_name="Ana", pledge=False, email="a@b.org"
        )
    assert "pledge" in error.value.message_dict
    employer, token = services.sign_up_employer(
        place, name="Bakery", contact_name="Ana", pledge=True, email="jobs@bakery.example"
    )
    assert services.employer_for_token(place, token) == employer
    services.post_placement(employer, jobs, title="Shop assistant", languages=["en"])
    placement = services.post_placement(
        employer,
        jobs,
        title="Baker's assistant",
        required_skills=["baking"],
        places=2,
        languages=["en"],
    )
    profile = placement.profile
    assert (profile.side, profile.capacity, profile.skills) == (Side.OFFERER, 2, ["baking"])
    assert profile.email == "jobs@bakery.example" and profile.token_hash == ""
    services.close_placement(employer, placement)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PAUSED and not placement.is_open


# --- On demand ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_runs_matching_on_demand_as_a_task(programme, coordinator):
    seeker(programme)
    offerer(programme)
    services.request_run(coordinator, programme)
    run = MatchRun.objects.get(programme=programme)
    assert run.requested_by == coordinator and run.stats["matched"] == 1
    assert AuditEntry.objects.filter(action="matching.run.request", actor=coordinator).exists()
