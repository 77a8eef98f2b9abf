"""Matching in a browser: two people sign up, a coordinator runs matching, both accept."""

from __future__ import annotations

from playwright.sync_api import expect

from commonhome.core.constants import Role
from commonhome.matching.models import Profile
from tests.factories import PlaceFactory, member
from tests.matching.factories import ProgrammeFactory

NEWCOMER_EMAIL = "maryam@example.org"
VOLUNTEER_EMAIL = "tom@example.org"


def sign_up(page, url, *, name, email, languages):
    page.goto(url)
    page.locator("#id_display_name").fill(name)
    page.locator("#id_email").fill(email)
    for code in languages:
        page.locator(f"input[name=languages][value={code}]").check()
    page.locator("#id_consent_matching").check()
    page.locator("#id_consent_contact").check()
    with page.expect_navigation():
        page.locator("form.m-form button[type=submit]").click()
    assert "/me/" in page.url, page.url
    return page.url


def test_buddies_sign_up_are_matched_and_see_contacts_only_after_both_accept(
    live_server, new_page, sign_in, axe_check
):
    place = PlaceFactory(slug="coventry", name="Coventry", languages=["en", "fa", "ar"])
    programme = ProgrammeFactory(place=place, slug="buddies", name="Buddies")
    base = f"{live_server.url}/{{lang}}/match/{place.slug}/buddies/"

    # A newcomer signs up in Farsi for a buddy.
    newcomer = new_page()
    newcomer.goto(base.format(lang="fa"))
    expect(newcomer.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(newcomer)
    newcomer.goto(base.format(lang="fa") + "join/seeker/")
    axe_check(newcomer)
    newcomer_url = sign_up(
        newcomer,
        base.format(lang="fa") + "join/seeker/",
        name="Maryam",
        email=NEWCOMER_EMAIL,
        languages=["fa"],
    )
    axe_check(newcomer)

    # A volunteer who speaks English and Farsi signs up in English.
    volunteer = new_page()
    volunteer_url = sign_up(
        volunteer,
        base.format(lang="en") + "join/offerer/",
        name="Tom",
        email=VOLUNTEER_EMAIL,
        languages=["en", "fa"],
    )
    assert Profile.objects.filter(programme=programme).count() == 2

    # The coordinator runs matching.
    coordinator = new_page()
    sign_in(coordinator.context, member(place, Role.MODERATOR, username="coordinator"))
    coordinator.goto(f"{live_server.url}/en/match/staff/{place.slug}/buddies/")
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Run matching now").click()

    # Both see the proposal with why, and nobody's contact yet.
    for page, url, partner_email in (
        (newcomer, newcomer_url, VOLUNTEER_EMAIL),
        (volunteer, volunteer_url, NEWCOMER_EMAIL),
    ):
        page.goto(url)
        expect(page.locator("button[value=accept]")).to_be_visible()
        assert partner_email not in page.content()
    expect(volunteer.locator("main")).to_contain_text("You both speak Persian")
    axe_check(newcomer)

    # The newcomer accepts: still no contact on either side until the volunteer does too.
    with newcomer.expect_navigation():
        newcomer.locator("button[value=accept]").click()
    assert VOLUNTEER_EMAIL not in newcomer.content()
    volunteer.goto(volunteer_url)
    assert NEWCOMER_EMAIL not in volunteer.content()
    with volunteer.expect_navigation():
        volunteer.locator("button[value=accept]").click()

    # Now each sees the other's contact.
    expect(volunteer.locator(".m-contact")).to_contain_text(NEWCOMER_EMAIL)
    newcomer.goto(newcomer_url)
    expect(newcomer.locator(".m-contact")).to_contain_text(VOLUNTEER_EMAIL)
    axe_check(newcomer)
    axe_check(volunteer)
