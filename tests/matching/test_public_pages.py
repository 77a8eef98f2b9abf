"""The public matching pages: programmes, sign-up on both sides, a person's private page,
the skills self-audit and Migration Friendly Employers."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonhome.core.constants import Role
from commonhome.matching import services
from commonhome.matching.constants import ProfileStatus, ProgrammeKind, ProposalStatus
from commonhome.matching.models import Employer, Profile, Proposal
from tests.factories import PlaceFactory, member
from tests.matching.factories import ProgrammeFactory, matched, offerer, proposal, seeker

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
ROLES = ("anonymous", Role.CONTRIBUTOR, Role.MODERATOR, Role.ADMIN, "other_coordinator")


def _login(client, place, role):
    if role == "anonymous":
        return
    if role == "other_coordinator":
        client.force_login(member(PlaceFactory(), Role.MODERATOR))
        return
    client.force_login(member(place, role))


def _person_url(profile):
    return reverse(
        "matching:person", args=[profile.place.slug, profile.programme.slug, profile.token]
    )


def _sign_up_data(**extra):
    data = {
        "display_name": "Dariush",
        "email": "dariush@example.org",
        "phone": "",
        "language": "en",
        "languages": ["fa", "en"],
        "consent_matching": "on",
        "consent_contact": "on",
    }
    data.update(extra)
    return data


# --- Programmes ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_home_lists_open_programmes_of_a_public_place_for_every_role(client, place, role):
    ProgrammeFactory(place=place, name="Buddies for newcomers")
    ProgrammeFactory(place=place, name="Closed one", is_open=False)
    ProgrammeFactory(name="Elsewhere")
    _login(client, place, role)
    response = client.get(reverse("matching:home", args=[place.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Buddies for newcomers" in text
    assert "Closed one" not in text
    assert "Elsewhere" not in text
    assert len(response.content) < 30_000


@pytest.mark.parametrize("role", ROLES)
def test_home_of_a_non_public_place_is_404_except_for_its_staff(client, role):
    hidden = PlaceFactory(is_public=False)
    _login(client, hidden, role)
    response = client.get(reverse("matching:home", args=[hidden.slug]))
    expected = 200 if role in (Role.MODERATOR, Role.ADMIN) else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_programme_page_says_what_is_asked_and_links_to_both_sides(client, programme, role):
    _login(client, programme.place, role)
    response = client.get(
        reverse("matching:programme", args=[programme.place.slug, programme.slug])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The languages you speak" in text
    assert "Your gender" not in text  # the programme does not use the gender constraint
    assert (
        reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"]) in text
    )
    assert (
        reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "offerer"]) in text
    )


def test_programme_page_query_count_is_pinned(client, django_assert_num_queries, programme):
    for _ in range(3):
        seeker(programme)
    url = reverse("matching:programme", args=[programme.place.slug, programme.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    assert len(first) <= 4
    for _ in range(5):
        offerer(programme)
    with django_assert_num_queries(len(first)):
        client.get(url)


def test_programme_of_another_place_is_404(client, place):
    elsewhere = ProgrammeFactory()
    response = client.get(reverse("matching:programme", args=[place.slug, elsewhere.slug]))
    assert response.status_code == 404


# --- Sign-up -------------------------------------------------------------------------------


def test_unknown_side_is_404(client, programme):
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "boss"])
    assert client.get(url).status_code == 404


def test_sign_up_form_asks_only_what_the_rules_use(client, place):
    simple = ProgrammeFactory(place=place)
    url = reverse("matching:sign-up", args=[place.slug, simple.slug, "seeker"])
    text = client.get(url).content.decode()
    for absent in ('name="gender"', 'name="birth_year"', 'name="latitude"', 'name="availability"'):
        assert absent not in text
    buddy = ProgrammeFactory(place=place, kind=ProgrammeKind.BUDDY, rules={})
    buddy.rules = services.validate_rules(
        {
            "hard": ["shared_language", "gender", "age_band", "distance", "availability"],
            "weights": {"interests": 1, "origin": 1},
            "max_km": 10,
        }
    )
    buddy.save()
    url = reverse("matching:sign-up", args=[place.slug, buddy.slug, "offerer"])
    text = client.get(url).content.decode()
    for present in (
        'name="gender"',
        'name="gender_preference"',
        'name="birth_year"',
        'name="latitude"',
        'name="availability"',
        'name="interests"',
        'name="consent_origin"',
        'name="capacity"',
    ):
        assert present in text


@pytest.mark.parametrize("role", ROLES)
def test_sign_up_leads_to_the_private_page_with_the_link_to_keep(client, programme, role):
    _login(client, programme.place, role)
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"])
    response = client.post(url, _sign_up_data())
    assert response.status_code == 302
    profile = Profile.objects.get(email="dariush@example.org")
    assert profile.languages == ["en", "fa"]
    assert profile.recorded_by is None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Keep the link" in text
    assert response["Location"] in text


def test_sign_up_errors_name_the_field(client, programme):
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"])
    response = client.post(url, _sign_up_data(display_name="", email="not-an-address"))
    assert response.status_code == 400
    form = response.context["form"]
    assert "display_name" in form.errors
    assert "email" in form.errors
    response = client.post(url, _sign_up_data(languages=[]))
    assert "languages" in response.context["form"].errors
    response = client.post(url, _sign_up_data(email="", phone=""))
    assert "email" in response.context["form"].errors
    assert not Profile.objects.exists()


@pytest.mark.parametrize("missing", ["consent_matching", "consent_contact"])
def test_required_consents_must_be_given(client, programme, missing):
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"])
    data = _sign_up_data()
    del data[missing]
    response = client.post(url, data)
    assert response.status_code == 400
    assert missing in response.context["form"].errors
    assert not Profile.objects.exists()


def test_service_errors_come_back_on_the_field(client, programme):
    seeker(programme, email="dariush@example.org")
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"])
    response = client.post(url, _sign_up_data())
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_origin_is_kept_only_with_its_consent(client, place):
    prog = ProgrammeFactory(
        place=place,
        rules={"hard": ["shared_language"], "weights": {"origin": 2}, "max_km": None},
    )
    url = reverse("matching:sign-up", args=[place.slug, prog.slug, "seeker"])
    client.post(url, _sign_up_data(origin="Herat"))
    assert Profile.objects.get().origin == ""
    client.post(url, _sign_up_data(email="b@example.org", origin="Herat", consent_origin="on"))
    assert Profile.objects.get(email="b@example.org").origin == "Herat"


def test_sign_up_in_farsi_succeeds(client, programme):
    url = f"/fa/match/{programme.place.slug}/{programme.slug}/join/seeker/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    response = client.post(url, _sign_up_data(display_name="داریوش", language="fa"))
    assert response.status_code == 302
    assert response["Location"].startswith("/fa/")
    profile = Profile.objects.get()
    assert profile.display_name == "داریوش"
    assert profile.language == "fa"
    assert client.get(response["Location"]).status_code == 200


# --- A person's page -----------------------------------------------------------------------


def test_unknown_or_another_programmes_token_is_404(client, programme):
    me = seeker(programme)
    url = reverse("matching:person", args=[programme.place.slug, programme.slug, "nope"])
    assert client.get(url).status_code == 404
    other = ProgrammeFactory(place=programme.place)
    url = reverse("matching:person", args=[programme.place.slug, other.slug, me.token])
    assert client.get(url).status_code == 404


def test_contact_is_hidden_until_both_accept_then_shown_to_each(client, programme):
    newcomer = seeker(programme, email="newcomer@example.org", phone="+44 7700 900123")
    volunteer = offerer(programme, email="volunteer@example.org")
    made = proposal(newcomer, volunteer, reasons=["shared_language:en"], parts={"language": 1})
    page = client.get(_person_url(newcomer)).content.decode()
    assert "You both speak English." in page
    assert "volunteer@example.org" not in page
    assert volunteer.token not in page
    response = client.post(_person_url(newcomer), {"action": "accept", "proposal": made.pk})
    assert response.status_code == 302
    page = client.get(_person_url(newcomer)).content.decode()
    assert "volunteer@example.org" not in page
    page = client.get(_person_url(volunteer)).content.decode()
    assert "newcomer@example.org" not in page
    client.post(_person_url(volunteer), {"action": "accept", "proposal": made.pk})
    made.refresh_from_db()
    assert made.status == ProposalStatus.ACCEPTED
    page = client.get(_person_url(newcomer)).content.decode()
    assert "volunteer@example.org" in page
    assert volunteer.token not in page
    page = client.get(_person_url(volunteer)).content.decode()
    assert "newcomer@example.org" in page
    assert "+44 7700 900123" in page
    assert newcomer.token not in page


def test_declining_is_final_and_shows_no_contact(client, programme):
    newcomer, volunteer = seeker(programme), offerer(programme)
    made = proposal(newcomer, volunteer)
    client.post(_person_url(newcomer), {"action": "decline", "proposal": made.pk})
    made.refresh_from_db()
    assert made.status == ProposalStatus.DECLINED
    assert volunteer.email not in client.get(_person_url(newcomer)).content.decode()


def test_a_proposal_of_others_cannot_be_answered(client, programme):
    me = seeker(programme)
    others = proposal(seeker(programme), offerer(programme))
    response = client.post(_person_url(me), {"action": "accept", "proposal": others.pk})
    assert response.status_code == 404
    others.refresh_from_db()
    assert others.seeker_response == "pending"


def test_pause_resume_and_leave_with_confirmation(client, programme):
    me = seeker(programme)
    url = _person_url(me)
    client.post(url, {"action": "pause"})
    me.refresh_from_db()
    assert me.status == ProfileStatus.PAUSED
    client.post(url, {"action": "resume"})
    me.refresh_from_db()
    assert me.status == ProfileStatus.ACTIVE
    client.post(url, {"action": "leave"})
    me.refresh_from_db()
    assert me.status == ProfileStatus.ACTIVE
    response = client.post(url, {"action": "leave", "confirm": "on"})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.status == ProfileStatus.LEFT
    assert me.email == ""
    assert client.get(url).status_code == 404


def test_check_in_and_feedback_after_a_match(client, programme):
    newcomer, volunteer = seeker(programme), offerer(programme)
    made = matched(newcomer, volunteer)
    page = client.get(_person_url(newcomer)).content.decode()
    assert "Give feedback on this match" in page
    client.post(
        _person_url(newcomer),
        {"action": "check_in", "proposal": made.pk, "rating": "4", "text": "Good"},
    )
    client.post(_person_url(newcomer), {"action": "feedback", "proposal": made.pk, "rating": "5"})
    assert made.check_ins.get().rating == 4
    assert made.feedback.get().rating == 5
    page = client.get(_person_url(newcomer)).content.decode()
    assert "Give feedback on this match" not in page


def test_user_text_is_inert(client, programme):
    newcomer = seeker(programme, display_name=XSS)
    volunteer = offerer(programme, display_name=XSS)
    proposal(newcomer, volunteer)
    for profile in (newcomer, volunteer):
        text = client.get(_person_url(profile)).content.decode()
        assert XSS not in text
        assert "&lt;script&gt;" in text


def test_person_page_query_count_is_pinned(client, programme, django_assert_num_queries):
    me = offerer(programme, capacity=3)
    matched(seeker(programme), me)
    url = _person_url(me)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    matched(seeker(programme), me)
    proposal(seeker(programme), me)
    with django_assert_num_queries(len(first)):
        response = client.get(url)
    assert response.content.decode().count("How to reach your match") == 2


@pytest.mark.parametrize("role", ROLES)
def test_a_person_page_shows_the_same_to_every_role(client, programme, role):
    me = seeker(programme, email="me@example.org")
    _login(client, programme.place, role)
    response = client.get(_person_url(me))
    assert response.status_code == 200
    assert "me@example.org" not in response.content.decode()


# --- Skills audit --------------------------------------------------------------------------


def test_skills_audit_for_employment_seekers(client, place):
    jobs = ProgrammeFactory(place=place, kind=ProgrammeKind.EMPLOYMENT)
    me = seeker(jobs)
    url = reverse("matching:skills", args=[place.slug, jobs.slug, me.token])
    assert url in client.get(_person_url(me)).content.decode()
    response = client.post(
        url,
        {
            "skills": "cooking, driving",
            "sectors": "care",
            "languages": "fa native\nen B1",
            "qualifications": "Nurse diploma; Iran; 3; nursing",
            "experience": "",
        },
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.skills == ["cooking", "driving", "nursing", "sector:care"]
    assert me.languages == ["en", "fa"]
    assert client.get(url).status_code == 200
    response = client.post(url, {"languages": "fa fluent"})
    assert response.status_code == 400
    assert "languages" in response.context["form"].errors


def test_skills_audit_is_404_outside_employment(client, programme):
    me = seeker(programme)
    url = reverse("matching:skills", args=[programme.place.slug, programme.slug, me.token])
    assert client.get(url).status_code == 404


# --- Employers -----------------------------------------------------------------------------


def test_employer_signs_up_posts_and_answers_a_proposal(client, place):
    jobs = ProgrammeFactory(
        place=place,
        kind=ProgrammeKind.EMPLOYMENT,
        rules={"hard": ["shared_language"], "weights": {"language": 1}, "max_km": None},
    )
    url = reverse("matching:employer-sign-up", args=[place.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Bakery", "contact_name": "Ann", "email": "a@b.org"})
    assert "pledge" in response.context["form"].errors
    response = client.post(
        url, {"name": "Bakery", "contact_name": "Ann", "email": "ann@bakery.org", "pledge": "on"}
    )
    assert response.status_code == 302
    page_url = response["Location"]
    page = client.get(page_url)
    assert page["Referrer-Policy"] == "same-origin"
    response = client.post(
        page_url,
        {
            "action": "post",
            "programme": jobs.slug,
            "title": "Baker's assistant",
            "languages": ["en"],
            "places": "1",
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get()
    placement = employer.placements.get()
    newcomer = seeker(jobs, email="job@example.org")
    made = proposal(newcomer, placement.profile)
    page = client.get(page_url).content.decode()
    assert "Baker&#x27;s assistant" in page
    assert "job@example.org" not in page
    client.post(page_url, {"action": "accept", "placement": placement.pk, "proposal": made.pk})
    client.post(_person_url(newcomer), {"action": "accept", "proposal": made.pk})
    assert "job@example.org" in client.get(page_url).content.decode()
    assert "ann@bakery.org" in client.get(_person_url(newcomer)).content.decode()
    client.post(page_url, {"action": "close", "placement": placement.pk})
    placement.refresh_from_db()
    assert not placement.is_open


def test_employer_token_of_another_place_is_404(client, place):
    _employer, token = services.sign_up_employer(
        PlaceFactory(), name="X", contact_name="Y", email="y@x.org", pledge=True
    )
    assert client.get(reverse("matching:employer", args=[place.slug, token])).status_code == 404
    assert client.get(reverse("matching:employer", args=[place.slug, "nope"])).status_code == 404


def test_proposal_model_is_untouched_by_reading(client, programme):
    made = proposal(seeker(programme), offerer(programme))
    client.get(_person_url(made.seeker))
    assert Proposal.objects.get(pk=made.pk).version == made.version


def test_sign_up_in_farsi_for_a_programme_asking_everything(client, place):
    from commonhome.matching.models import default_rules

    buddies = ProgrammeFactory(place=place, rules=default_rules(ProgrammeKind.BUDDY))
    url = f"/fa/match/{place.slug}/{buddies.slug}/join/offerer/"
    page = client.get(url)
    assert len(page.content) < 30_000
    data = _sign_up_data(
        display_name="مریم",
        language="fa",
        gender="woman",
        gender_preference="woman",
        birth_year="1990",
        groups=["women"],
        latitude="52.41",
        longitude="-1.52",
        interests=["cooking"],
        origin="Herat",
        consent_origin="on",
        capacity="2",
    )
    del data["latitude"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "latitude" in response.context["form"].errors
    data["latitude"] = "52.41"
    response = client.post(url, data)
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert (profile.gender, profile.capacity, profile.origin) == ("woman", 2, "Herat")
    assert profile.groups == ["women"]


# --- Changing one's answers ----------------------------------------------------------------


def _edit_url(profile):
    return reverse(
        "matching:edit", args=[profile.place.slug, profile.programme.slug, profile.token]
    )


def _everything(place):
    """A programme whose rules read every answer the sign-up form can ask."""
    return ProgrammeFactory(
        place=place,
        rules=services.validate_rules(
            {
                "hard": [
                    "shared_language",
                    "gender",
                    "age_band",
                    "target_group",
                    "availability",
                    "distance",
                    "conditions",
                ],
                "weights": {"interests": 1, "origin": 1},
                "max_km": 10,
            }
        ),
    )


def _fields_of(html):
    return set(re.findall(r'name="([a-z_]+)"', html)) - {"csrfmiddlewaretoken", "language"}


@pytest.mark.parametrize("side", ["seeker", "offerer"])
def test_edit_page_asks_what_sign_up_asks_without_the_consents(client, place, side):
    prog = _everything(place)
    me = (seeker if side == "seeker" else offerer)(
        prog,
        latitude=52.4,
        longitude=-1.5,
        availability=["mon-eve"],
        origin="Herat",
    )
    sign_up_page = client.get(reverse("matching:sign-up", args=[place.slug, prog.slug, side]))
    asked = _fields_of(sign_up_page.content.decode())
    page = client.get(_edit_url(me))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert len(page.content) < 30_000
    edit_fields = _fields_of(page.content.decode())
    consents = {name for name in asked if name.startswith("consent_")}
    assert consents >= {"consent_matching", "consent_contact", "consent_email", "consent_origin"}
    assert edit_fields == (asked - consents) | {"version"}


def test_edit_page_is_filled_in_from_the_profile_and_saves_changes(client, place):
    prog = _everything(place)
    me = offerer(
        prog,
        display_name="Tom",
        phone="+44 7700 900456",
        gender="man",
        birth_year=1980,
        groups=["families"],
        availability=["mon-eve", "sat-morn"],
        latitude=52.41,
        longitude=-1.52,
        offers=["pets"],
        interests=["music"],
        origin="Leeds",
        capacity=2,
    )
    url = _edit_url(me)
    assert url in client.get(_person_url(me)).content.decode()
    form = client.get(url).context["form"]
    assert form["display_name"].value() == "Tom"
    assert form["email"].value() == me.email
    assert form["gender"].value() == "man"
    assert form["birth_year"].value() == 1980
    assert form["availability"].value() == ["mon-eve", "sat-morn"]
    assert form["conditions"].value() == ["pets"]
    assert form["capacity"].value() == 2
    assert form["origin"].value() == "Leeds"
    assert form["version"].value() == me.version
    data = {
        "version": str(me.version),
        "display_name": "Thomas",
        "email": me.email,
        "phone": "",
        "language": "fr",
        "languages": ["en", "fr"],
        "gender": "man",
        "gender_preference": "",
        "birth_year": "1980",
        "age_min": "",
        "age_max": "",
        "groups": ["families", "women"],
        "availability": ["tue-aft"],
        "latitude": "52.45",
        "longitude": "-1.50",
        "conditions": ["pets", "children"],
        "interests": [],
        "capacity": "1",
        "origin": "York",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == _person_url(me)
    assert response["Referrer-Policy"] == "same-origin"
    saved = Profile.objects.get(pk=me.pk)
    assert (saved.display_name, saved.phone, saved.language) == ("Thomas", "", "fr")
    assert saved.languages == ["en", "fr"]
    assert saved.groups == ["families", "women"]
    assert saved.availability == ["tue-aft"]
    assert saved.offers == ["children", "pets"]
    assert saved.interests == []
    assert (saved.capacity, saved.origin, saved.latitude) == (1, "York", 52.45)
    assert saved.version == me.version + 1
    assert "Your answers are saved." in client.get(_person_url(me)).content.decode()
    # The same answers again change nothing, and say so.
    data["version"] = str(saved.version)
    client.post(url, data)
    assert Profile.objects.get(pk=me.pk).version == saved.version
    assert "Nothing was changed." in client.get(_person_url(me)).content.decode()


def test_a_stale_edit_overwrites_nothing_and_asks_to_reload(client, programme):
    me = seeker(programme, display_name="Maryam")
    url = _edit_url(me)
    opened = client.get(url).context["form"]["version"].value()
    services.update_profile(me, me.version, display_name="Maryam K.")  # another window
    response = client.post(
        url,
        {
            "version": str(opened),
            "display_name": "Mariam",
            "email": me.email,
            "language": "en",
            "languages": ["en"],
        },
    )
    assert response.status_code == 409
    assert response["Referrer-Policy"] == "same-origin"
    text = response.content.decode()
    assert "Nothing was saved: reload the page" in text
    assert f'href="{url}"' in text
    assert Profile.objects.get(pk=me.pk).display_name == "Maryam K."


def test_an_edit_without_its_version_is_refused(client, programme):
    me = seeker(programme, display_name="Maryam")
    data = {"display_name": "Mariam", "email": me.email, "language": "en", "languages": ["en"]}
    response = client.post(_edit_url(me), data)
    assert response.status_code == 400
    assert "Nothing was saved: reload the page" in response.content.decode()
    assert Profile.objects.get(pk=me.pk).display_name == "Maryam"


def test_edit_errors_name_the_field(client, place):
    prog = _everything(place)
    me = seeker(prog, latitude=52.4, longitude=-1.5, availability=["mon-eve"])
    url = _edit_url(me)
    base = {
        "version": str(me.version),
        "display_name": "Maryam",
        "email": me.email,
        "language": "en",
        "languages": ["en"],
        "availability": ["mon-eve"],
        "latitude": "52.4",
        "longitude": "-1.5",
    }
    response = client.post(url, {**base, "display_name": "", "email": "", "phone": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "display_name" in errors
    assert "email" in errors
    # The form lets each age through; the service finds the band upside down.
    response = client.post(url, {**base, "age_min": "60", "age_max": "30"})
    assert response.status_code == 400
    assert "age_min" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert Profile.objects.get(pk=me.pk).version == me.version


def test_origin_can_be_changed_only_while_its_consent_is_given(client, place):
    prog = ProgrammeFactory(
        place=place,
        rules={"hard": ["shared_language"], "weights": {"origin": 2}, "max_km": None},
    )
    without = seeker(prog, consents=["matching", "contact_after_match"])
    assert 'name="origin"' not in client.get(_edit_url(without)).content.decode()
    with_consent = seeker(prog, origin="Herat")
    assert 'name="origin"' in client.get(_edit_url(with_consent)).content.decode()


def test_edit_in_farsi_is_right_to_left(client, programme):
    me = seeker(programme)
    url = f"/fa/match/{programme.place.slug}/{programme.slug}/me/{me.token}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()


def test_a_wrong_link_is_404_and_says_how_to_get_a_new_one(client, programme):
    me = seeker(programme)
    link_page = reverse("matching:link", args=[programme.place.slug, programme.slug])
    for name in ("person", "edit"):
        url = reverse(f"matching:{name}", args=[programme.place.slug, programme.slug, "nope"])
        response = client.get(url)
        assert response.status_code == 404
        assert response["Referrer-Policy"] == "same-origin"
        assert link_page in response.content.decode()
    services.leave(me)
    assert client.get(_edit_url(me)).status_code == 404
    assert client.post(_edit_url(me), {"display_name": "X"}).status_code == 404


# --- Consents on a person's page -----------------------------------------------------------


def test_person_page_lists_each_consent_with_since_when(client, programme):
    from commonhome.matching.constants import ConsentPurpose

    me = seeker(programme, consents=["matching", "contact_after_match"])
    text = client.get(_person_url(me)).content.decode()
    assert "What you agreed to" in text
    for purpose in (ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_AFTER_MATCH):
        assert str(purpose.label) in text
    assert "E-mail me when there is news" in text
    assert text.count("Not given") == 1
    assert text.count("Withdraw and leave</button>") == 2
    # This programme does not use origin: nothing is asked about it.
    assert str(ConsentPurpose.SHARE_ORIGIN.label) not in text


def test_an_optional_consent_is_given_and_withdrawn(client, programme):
    me = seeker(programme, consents=["matching", "contact_after_match"])
    url = _person_url(me)
    response = client.post(url, {"action": "consent", "purpose": "email_updates", "given": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url
    me.refresh_from_db()
    assert me.has_consent("email_updates")
    text = client.get(url).content.decode()
    assert "Not given" not in text
    client.post(url, {"action": "consent", "purpose": "email_updates", "given": "no"})
    me.refresh_from_db()
    assert not me.has_consent("email_updates")
    assert me.status == ProfileStatus.ACTIVE


def test_withdrawing_origin_erases_it(client, place):
    prog = ProgrammeFactory(
        place=place,
        rules={"hard": ["shared_language"], "weights": {"origin": 2}, "max_km": None},
    )
    me = seeker(prog, origin="Herat")
    text = client.get(_person_url(me)).content.decode()
    assert "Withdrawing it also erases where you come from." in text
    client.post(_person_url(me), {"action": "consent", "purpose": "share_origin", "given": "no"})
    me.refresh_from_db()
    assert (me.has_consent("share_origin"), me.origin) == (False, "")


def test_e_mails_cannot_be_asked_for_without_an_address(client, programme):
    me = seeker(programme, email="", phone="+44 7700 900123")
    url = _person_url(me)
    text = client.get(url).content.decode()
    assert "This needs an e-mail address." in text
    assert 'name="given" value="yes"' not in text
    client.post(url, {"action": "consent", "purpose": "email_updates", "given": "yes"})
    me.refresh_from_db()
    assert not me.has_consent("email_updates")
    assert "E-mails need an e-mail address" in client.get(url).content.decode()


@pytest.mark.parametrize("purpose", ["matching", "contact_after_match"])
def test_withdrawing_a_required_consent_is_leaving_and_needs_confirmation(
    client, programme, purpose
):
    me = seeker(programme)
    url = _person_url(me)
    response = client.post(url, {"action": "consent", "purpose": purpose, "given": "no"})
    assert response["Location"] == url
    me.refresh_from_db()
    assert me.status == ProfileStatus.ACTIVE
    assert me.has_consent(purpose)
    assert "Tick the box to confirm" in client.get(url).content.decode()
    # The other purpose's box does not confirm this one.
    other = "contact_after_match" if purpose == "matching" else "matching"
    client.post(
        url, {"action": "consent", "purpose": purpose, "given": "no", f"{other}-confirm": "on"}
    )
    me.refresh_from_db()
    assert me.status == ProfileStatus.ACTIVE
    response = client.post(
        url, {"action": "consent", "purpose": purpose, "given": "no", f"{purpose}-confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "matching:programme", args=[programme.place.slug, programme.slug]
    )
    me.refresh_from_db()
    assert me.status == ProfileStatus.LEFT
    assert me.email == ""
    assert client.get(url).status_code == 404


def test_an_unknown_purpose_changes_nothing(client, programme):
    me = seeker(programme)
    url = _person_url(me)
    client.post(url, {"action": "consent", "purpose": "marketing", "given": "yes"})
    me.refresh_from_db()
    assert "marketing" not in me.consents
    assert "Unknown action." in client.get(url).content.decode()


def test_sign_up_offers_e_mails_unticked_and_records_the_consent(client, programme):
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"])
    text = client.get(url).content.decode()
    assert 'name="consent_email"' in text
    assert "only if you give an e-mail address" in text
    assert re.search(r'<input[^>]*name="consent_email"[^>]*>', text)
    assert not re.search(r'<input[^>]*name="consent_email"[^>]*checked', text)
    client.post(url, _sign_up_data())
    assert not Profile.objects.get(email="dariush@example.org").has_consent("email_updates")
    client.post(url, _sign_up_data(email="b@example.org", consent_email="on"))
    assert Profile.objects.get(email="b@example.org").has_consent("email_updates")


def test_e_mails_asked_for_without_an_address_name_the_field(client, programme):
    url = reverse("matching:sign-up", args=[programme.place.slug, programme.slug, "seeker"])
    response = client.post(
        url, _sign_up_data(email="", phone="+44 7700 900123", consent_email="on")
    )
    assert response.status_code == 400
    assert "consent_email" in response.context["form"].errors
    assert not Profile.objects.exists()


# --- A lost link ---------------------------------------------------------------------------


@pytest.fixture
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


SENT = "If this address is signed up, we have sent a new link to it. Check your e-mail."


def _link_url(programme):
    return reverse("matching:link", args=[programme.place.slug, programme.slug])


def test_programme_page_links_to_the_lost_link_page(client, programme):
    page = client.get(reverse("matching:programme", args=[programme.place.slug, programme.slug]))
    assert _link_url(programme) in page.content.decode()
    response = client.get(_link_url(programme))
    assert response.status_code == 200
    assert len(response.content) < 30_000
    assert 'name="email"' in response.content.decode()


def test_a_lost_link_is_e_mailed_and_opens_the_page(
    client, programme, empty_cache, django_capture_on_commit_callbacks
):
    from django.core import mail

    me = seeker(programme, email="maryam@example.org")
    seeker(ProgrammeFactory(place=programme.place), email="maryam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_link_url(programme), {"email": " Maryam@Example.org "})
    assert response.status_code == 302
    assert response["Location"] == _link_url(programme)
    assert SENT in client.get(response["Location"]).content.decode()
    assert [m.to for m in mail.outbox] == [["maryam@example.org"]]
    path = re.search(r"/en/match/\S+/me/\S+/", mail.outbox[0].body).group(0)
    assert path.startswith(f"/en/match/{programme.place.slug}/{programme.slug}/me/")
    page = client.get(path)
    assert page.status_code == 200
    assert me.display_name in page.content.decode()


@pytest.mark.parametrize("case", ["unknown", "left", "other_programme", "trap"])
def test_a_lost_link_answer_says_the_same_and_sends_nothing(
    client, programme, empty_cache, django_capture_on_commit_callbacks, case
):
    from django.core import mail

    data = {"email": "maryam@example.org"}
    if case == "left":
        services.leave(seeker(programme, email="maryam@example.org"))
    elif case == "other_programme":
        seeker(ProgrammeFactory(place=programme.place), email="maryam@example.org")
    elif case == "trap":
        seeker(programme, email="maryam@example.org")
        data["homepage"] = "http://spam.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_link_url(programme), data, follow=True)
    assert response.status_code == 200
    assert SENT in response.content.decode()
    assert mail.outbox == []


def test_a_lost_link_form_names_the_field(client, programme, empty_cache):
    response = client.post(_link_url(programme), {"email": "not an address"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert SENT not in response.content.decode()


def test_lost_link_requests_are_limited_per_client_and_per_address(
    client, programme, empty_cache, django_capture_on_commit_callbacks
):
    from django.core import mail

    from commonhome.matching import views

    seeker(programme, email="maryam@example.org")
    for _ in range(views.LINK_REQUESTS_PER_CLIENT_PER_HOUR):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_link_url(programme), {"email": "maryam@example.org"})
        assert response.status_code == 302
    # One address gets a few links an hour, however often it is asked for.
    assert len(mail.outbox) == views.LINKS_PER_ADDRESS_PER_HOUR
    response = client.post(_link_url(programme), {"email": "someone@example.org"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()
    other_client = Client(REMOTE_ADDR="198.51.100.7")
    response = other_client.post(_link_url(programme), {"email": "someone@example.org"})
    assert response.status_code == 302


# --- Employers: the page's cost -------------------------------------------------------------


def test_employer_page_query_count_does_not_grow_with_placements(client, place):
    jobs = ProgrammeFactory(
        place=place,
        kind=ProgrammeKind.EMPLOYMENT,
        rules={"hard": ["shared_language"], "weights": {"language": 1}, "max_km": None},
    )
    employer, token = services.sign_up_employer(
        place, name="Bakery", contact_name="Ann", email="ann@bakery.org", pledge=True
    )

    def placement_with_proposals():
        placement = services.post_placement(
            employer, jobs, title="Baker", languages=["en"], places=2
        )
        matched(seeker(jobs), placement.profile)
        proposal(seeker(jobs), placement.profile)
        return placement

    placement_with_proposals()
    url = reverse("matching:employer", args=[place.slug, token])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(3):
        placement_with_proposals()
    with CaptureQueriesContext(connection) as later:
        response = client.get(url)
    assert len(later) == len(first)
    assert len(later) <= 10
    assert response.content.decode().count("How to reach your match") == 4


@pytest.mark.django_db
def test_programme_name_and_description_are_shown_in_the_readers_language(client, programme):
    from commonhome.core.translation import save_translation

    save_translation(programme, "fa", {"name": "همراهان", "description": "آشنایی با شهر"})
    home = reverse("matching:home", args=[programme.place.slug])
    page = reverse("matching:programme", args=[programme.place.slug, programme.slug])
    assert home.startswith("/en/") and page.startswith("/en/")
    for path in (home, page):
        assert "همراهان" in client.get(path.replace("/en/", "/fa/", 1)).content.decode()
    assert "آشنایی با شهر" in client.get(page.replace("/en/", "/fa/", 1)).content.decode()
    english = client.get(page).content.decode()
    assert programme.name in english and "همراهان" not in english
