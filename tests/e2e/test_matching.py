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


def test_a_person_changes_their_answers_and_gets_a_lost_link_again(
    live_server, new_page, axe_check
):
    import re

    from django.core import mail

    from tests.matching.factories import seeker

    place = PlaceFactory(slug="coventry", name="Coventry", languages=["en", "fa", "ar"])
    programme = ProgrammeFactory(place=place, slug="buddies", name="Buddies")
    me = seeker(programme, display_name="Maryam", email=NEWCOMER_EMAIL, language="fa")
    base = f"{live_server.url}/fa/match/{place.slug}/buddies/"

    # Changing one's answers, in Farsi, right to left, on a small screen.
    page = new_page()
    page.goto(base + f"me/{me.token}/")
    axe_check(page)
    with page.expect_navigation():
        page.locator(f"a[href$='/me/{me.token}/edit/']").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#id_display_name")).to_have_value("Maryam")
    axe_check(page)
    page.locator("#id_display_name").fill("")
    with page.expect_navigation():
        page.locator("form.m-form button[type=submit]").click()
    expect(page.locator("#id_display_name")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    page.locator("#id_display_name").fill("Maryam K.")
    with page.expect_navigation():
        page.locator("form.m-form button[type=submit]").click()
    assert page.url.endswith(f"/me/{me.token}/"), page.url
    expect(page.locator("h1")).to_contain_text("Maryam K.")

    # Asking for e-mails from the person page.
    with page.expect_navigation():
        page.locator("input[name=purpose][value=email_updates] ~ button").click()
    me.refresh_from_db()
    assert me.has_consent("email_updates")

    # Lost the link: a new one comes by e-mail, from the programme page, in English.
    lost = new_page()
    lost.goto(f"{live_server.url}/en/match/{place.slug}/buddies/")
    with lost.expect_navigation():
        lost.get_by_role("link", name=re.compile("lost your link")).click()
    axe_check(lost)
    lost.locator("#id_email").fill(NEWCOMER_EMAIL)
    with lost.expect_navigation():
        lost.locator("form.m-form button[type=submit]").click()
    expect(lost.locator("main")).to_contain_text("we have sent a new link")
    axe_check(lost)
    link = re.search(r"https?://\S+/me/\S+/|/fa/match/\S+/me/\S+/", mail.outbox[-1].body)
    assert link is not None, mail.outbox[-1].body
    url = link.group(0)
    lost.goto(url if url.startswith("http") else live_server.url + url)
    expect(lost.locator("h1")).to_contain_text("Maryam K.")

    # A wrong link says how to get a new one.
    lost.goto(base + "me/not-a-token/")
    expect(lost.locator(f"a[href$='/{place.slug}/buddies/link/']")).to_be_visible()
    axe_check(lost)
