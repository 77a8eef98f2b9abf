"""Edits in a browser: a visitor's suggestion through review, and two staff saving at once."""

from __future__ import annotations

from playwright.sync_api import expect

from commonhome.core.constants import Role
from tests.factories import member

PASSWORD = "correct horse battery"  # the factories' password


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_anonymous_suggestion_is_reviewed_accepted_and_published(
    live_server, new_page, directory, axe_check
):
    d = directory
    moderator = member(d.place, Role.MODERATOR, username="mona")
    new_description = "Confidential advice on asylum, immigration and family reunion."

    visitor = new_page()
    visitor.goto(live_server.url + d.url("service"))
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Suggest an edit").click()
    expect(visitor.locator("h1")).to_contain_text(d.legal.name)
    visitor.get_by_label("Description:", exact=True).fill(new_description)
    visitor.get_by_label("What is wrong or out of date?").fill("They now help with family reunion.")
    submit(visitor, "Send suggestion")
    assert visitor.url.endswith(f"/en/{d.place.slug}/suggest/thanks/")
    # Nothing is published before review.
    visitor.goto(live_server.url + d.url("service"))
    expect(visitor.locator(".description")).to_have_text(d.legal.description)

    staff = new_page()
    staff.goto(live_server.url + f"/en/staff/{d.place.slug}/review/")
    expect(staff.locator("h1")).to_have_text("Staff sign-in")
    staff.get_by_label("Username").fill(moderator.username)
    staff.get_by_label("Password").fill(PASSWORD)
    submit(staff, "Sign in")
    expect(staff.locator("h1")).to_have_text(f"Suggestions for {d.place.name}")

    with staff.expect_navigation():
        staff.get_by_role("link", name=d.legal.name).click()
    expect(staff.locator("blockquote")).to_have_text("They now help with family reunion.")
    diff = staff.locator("table.diff tbody tr")
    expect(diff).to_have_count(1)
    expect(diff.locator("th")).to_have_text("Description")
    expect(diff.locator("td").nth(0)).to_have_text(d.legal.description)
    expect(diff.locator("td").nth(1)).to_have_text(new_description)
    axe_check(staff)
    submit(staff, "Accept and apply")
    expect(staff.get_by_role("status")).to_have_text("Suggestion accepted and applied.")
    expect(staff.get_by_text("Nothing is waiting for review.")).to_be_visible()

    visitor.reload()
    expect(visitor.locator(".description")).to_have_text(new_description)


def test_stale_concurrent_edit_is_refused_and_keeps_the_second_persons_input(
    live_server, new_page, sign_in, directory, axe_check
):
    d = directory
    edit_url = live_server.url + f"/en/staff/{d.place.slug}/services/{d.housing.pk}/edit/"
    first, second = new_page(), new_page()
    sign_in(first.context, member(d.place, Role.ADMIN))
    sign_in(second.context, member(d.place, Role.MODERATOR))
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label("Description:", exact=True).fill("First edit: open on Saturdays too.")
    submit(first, "Save")
    expect(first.get_by_role("status")).to_have_text("Saved.")

    second_text = "Second edit: we moved to Far Gosford Street."
    second.get_by_label("Description:", exact=True).fill(second_text)
    submit(second, "Save")
    refusal = second.get_by_role("alert")
    expect(refusal).to_contain_text(
        "Nothing was saved: someone else changed this record since you opened it."
    )
    expect(refusal).to_contain_text("description")
    expect(second.get_by_label("Description:", exact=True)).to_have_value(second_text)
    expect(second.locator(".changed-since .current")).to_contain_text(
        "First edit: open on Saturdays too."
    )
    axe_check(second)

    public = new_page()
    public.goto(live_server.url + d.url("service", record=d.housing))
    expect(public.locator(".description")).to_have_text("First edit: open on Saturdays too.")
    expect(public.get_by_text(second_text)).to_have_count(0)
