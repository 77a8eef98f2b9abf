"""Participation in a browser: from a need sent in Arabic to what the city did about it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from commonhome.core.constants import Role
from commonhome.participation.constants import Kind
from commonhome.participation.models import Contribution, Participant
from tests.factories import member
from tests.participation.factories import ConsultationFactory, MeetingFactory

NEED_TITLE = "أحتاج إلى مساعدة في إيجاد سكن"
NEED_BODY = "وصلت مع عائلتي قبل شهر ونعيش في غرفة واحدة. أين أجد نصيحة بشأن السكن؟"
EVENING_CLASSES = "English classes in the evening"


@pytest.fixture
def consultation(directory):
    return ConsultationFactory(
        place=directory.place,
        slug="settling-in",
        title="Settling in: what would help?",
        domains=["housing", "language", "health"],
    )


def click_and_wait(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def latest_code() -> str:
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_need_in_arabic_is_answered_already_offered_and_another_becomes_a_result(
    live_server, new_page, sign_in, directory, consultation, axe_check
):
    d = directory
    base = f"{live_server.url}/{{lang}}/participate/{d.place.slug}/"

    # An anonymous newcomer sends a need in Arabic, leaving an address to hear back.
    newcomer = new_page()
    newcomer.goto(base.format(lang="ar") + "consultations/settling-in/new/")
    expect(newcomer.locator("html")).to_have_attribute("dir", "rtl")
    axe_check(newcomer)
    newcomer.locator("#id_domain").select_option("housing")
    newcomer.locator("#id_title").fill(NEED_TITLE)
    newcomer.locator("#id_body").fill(NEED_BODY)
    expect(newcomer.locator("#id_language")).to_have_value("ar")
    newcomer.locator("#id_email").fill("newcomer@example.org")
    newcomer.locator("#id_consent").check()
    with newcomer.expect_navigation():
        newcomer.locator("form.p-form button[type=submit]").click()
    expect(newcomer.locator("h1")).to_have_text(NEED_TITLE)
    need = Contribution.objects.get(title=NEED_TITLE)
    assert need.source_language == "ar" and need.participant.email_verified_at is None

    # The e-mail code confirms the address: no password, no account page.
    newcomer.goto(base.format(lang="ar") + "sign-in/code/")
    newcomer.locator("#id_email").fill("newcomer@example.org")
    newcomer.locator("#id_code").fill(latest_code())
    with newcomer.expect_navigation():
        newcomer.locator("form.p-form button[type=submit]").click()
    assert Participant.objects.get(email="newcomer@example.org").email_verified_at is not None

    # Someone else asked for evening classes.
    classes = Contribution.objects.create(
        place=d.place,
        consultation=consultation,
        kind=Kind.NEED,
        domain="language",
        title=EVENING_CLASSES,
        body="I work during the day and cannot go to the morning classes.",
        source_language="en",
    )

    # Staff answer the first need "already offered", linking the housing service, and publish.
    admin = member(d.place, Role.ADMIN, username="amira")
    staff = new_page()
    sign_in(staff.context, admin)
    staff_base = f"{live_server.url}/en/participate/staff/{d.place.slug}/"
    staff.goto(staff_base + f"contributions/{need.pk}/")
    staff.locator("#id_state").select_option("already_offered")
    staff.locator("#id_text").fill("The housing advice drop-in helps with this.")
    staff.get_by_label(d.housing.name).check()
    click_and_wait(staff, "button", "Save and publish")
    need.refresh_from_db()
    assert need.public_state == "already_offered"

    # The second need is accepted, published, and turned into a result with a milestone.
    staff.goto(staff_base + f"contributions/{classes.pk}/")
    staff.locator("#id_state").select_option("accepted")
    staff.locator("#id_text").fill("We will open evening classes at the library.")
    click_and_wait(staff, "button", "Save and publish")
    click_and_wait(staff, "button", "Turn into a result")
    milestone_form = staff.locator("form:has(input[name=action][value=add_milestone])")
    milestone_form.get_by_label("Date").fill("2026-12-01")
    milestone_form.get_by_label("Title").fill("First evening class held")
    with staff.expect_navigation():
        milestone_form.get_by_role("button", name="Add milestone").click()
    expect(staff.locator("ol.milestones")).to_contain_text("First evening class held")

    # The trail shows both, in Arabic and in English.
    for lang in ("ar", "en"):
        page = new_page()
        page.goto(base.format(lang=lang) + "trail/")
        trail = page.locator("main")
        expect(trail).to_contain_text(NEED_TITLE)
        expect(trail).to_contain_text(EVENING_CLASSES)
        expect(trail.get_by_role("link", name=d.housing.name)).to_be_visible()
        expect(trail).to_contain_text("First evening class held")
        axe_check(page)
        with page.expect_navigation():
            trail.get_by_role("link", name=EVENING_CLASSES).first.click()
        expect(page.locator("main")).to_contain_text("First evening class held")
        axe_check(page)

    # The author, signed in with the e-mail code, sees that an answer was published.
    newcomer.goto(base.format(lang="en") + "me/")
    notes = newcomer.locator("main")
    expect(notes).to_contain_text(NEED_TITLE)
    expect(notes).to_contain_text("answer")
    axe_check(newcomer)


def tab_until(page, condition: str, limit: int = 80) -> None:
    """Press Tab until ``condition`` (a JavaScript expression on ``e``, the focused element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({condition}); }}"):
            return
    raise AssertionError(f"nothing matching {condition!r} can be reached with the Tab key")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_need_is_sent_with_the_keyboard_alone(
    live_server, new_page, directory, consultation, javascript
):
    page = new_page(java_script_enabled=javascript)
    page.goto(f"{live_server.url}/ar/participate/{directory.place.slug}/consultations/settling-in/")
    tab_until(page, "e.href && e.href.endsWith('/consultations/settling-in/new/')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_until(page, "e.id === 'id_domain'")
    page.keyboard.type("H")  # the first topic starting with H
    tab_until(page, "e.id === 'id_title'")
    page.keyboard.type(NEED_TITLE)
    tab_until(page, "e.id === 'id_body'")
    page.keyboard.type(NEED_BODY)
    tab_until(page, "e.type === 'submit' && e.closest('form.p-form')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(NEED_TITLE)
    assert Contribution.objects.filter(title=NEED_TITLE, source_language="ar").count() == 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_public_participation_pages_pass_axe(
    live_server, new_page, directory, consultation, axe_check, lang
):
    d = directory
    need = Contribution.objects.create(
        place=d.place,
        consultation=consultation,
        title=EVENING_CLASSES,
        body="I work during the day and cannot go to the morning classes.",
        domain="language",
    )
    meeting = MeetingFactory(body__place=d.place, place=d.place)
    base = f"{live_server.url}/{lang}/participate/{d.place.slug}/"
    pages = [
        "",
        "consultations/settling-in/",
        "consultations/settling-in/new/",
        f"contributions/{need.pk}/",
        f"contributions/{need.pk}/report/",
        "trail/",
        "bodies/",
        f"bodies/{meeting.body.slug}/",
        f"meetings/{meeting.pk}/",
        "sign-in/",
        "me/",
    ]
    page = new_page()
    for path in pages:
        response = page.goto(base + path)
        assert response.status == 200, path
        axe_check(page)
