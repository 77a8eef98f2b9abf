"""Accessibility in a browser: axe on every public page, right-to-left Arabic, keyboard only."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations

WIDE = {"width": 1280, "height": 900}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_public_pages_have_no_serious_axe_violations(live_server, page, new_page, directory, lang):
    d = directory
    pages = {
        "home": f"/{lang}/",
        "search": d.url("search", lang) + "?q=advice",
        "service": d.url("service", lang),
        "organisation": d.url("organisation", lang),
        "print": d.url("print", lang),
        "suggest": d.url("suggest", lang),
    }
    found = []
    for name, url in pages.items():
        page.goto(live_server.url + url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        found += [f"{name}: {line}" for line in axe_violations(page)]

    wide = new_page(viewport=WIDE)
    wide.goto(live_server.url + d.url("search", lang))
    expect(wide.locator(".map .leaflet-marker-icon")).to_have_count(len(d.located))
    found += [f"search with map: {line}" for line in axe_violations(wide)]
    assert not found, "\n".join(found)


def test_arabic_pages_are_laid_out_right_to_left(live_server, page, directory):
    d = directory
    for name in ("search", "service", "organisation", "suggest"):
        page.goto(live_server.url + d.url(name, "ar"))
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        direction = page.locator("main").evaluate("main => getComputedStyle(main).direction")
        assert direction == "rtl", name
    # The page heading starts at the right edge: right-to-left layout, not only an attribute.
    heading = page.locator("h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert main["x"] + main["width"] - (heading["x"] + heading["width"]) < 40


def test_language_switcher_goes_to_arabic_and_back_on_the_same_page(live_server, page, directory):
    d = directory
    path = d.url("search").removeprefix("/en")
    page.goto(f"{live_server.url}/en{path}?q=advice")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("ol.results > li")).to_have_count(2)

    page.get_by_label("Language", exact=True).select_option("ar")
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()
    assert page.url == f"{live_server.url}/ar{path}?q=advice"
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("ol.results > li")).to_have_count(2)
    switch_back = page.locator("form.lang button[type=submit]")
    expect(switch_back).not_to_have_text("Change")  # the button speaks Arabic now

    page.locator("#lang-select").select_option("en")
    with page.expect_navigation():
        switch_back.click()
    assert page.url == f"{live_server.url}/en{path}?q=advice"
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_label("What are you looking for?")).to_have_value("advice")


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return e.id || e.name || e.textContent.trim(); }"
    )


def tab_to(page, target: str, limit: int = 40) -> None:
    """Press Tab until the element with this id, name or text has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"{target!r} cannot be reached with the Tab key")


def test_skip_link_then_keyboard_alone_runs_a_filtered_search(live_server, page, directory):
    d = directory
    page.goto(live_server.url + d.url("search"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert focused(page) == "main"

    page.keyboard.press("Tab")
    expect(page.get_by_label("What are you looking for?")).to_be_focused()
    page.keyboard.type("advice")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("ol.results > li h3")).to_have_count(2)

    # From a fresh page: type a query, open "More filters", choose a topic, apply.
    page.goto(live_server.url + d.url("search"))
    tab_to(page, "id_q")
    page.keyboard.type("advice")
    tab_to(page, "More filters")
    page.keyboard.press("Enter")
    tab_to(page, "id_domain")
    page.keyboard.type("Housing")
    expect(page.get_by_label("Topic")).to_have_value("housing")
    tab_to(page, "Apply filters")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("ol.results > li h3")).to_have_text([d.housing.name])
    assert "q=advice" in page.url


def test_suggest_form_can_be_filled_and_sent_with_the_keyboard_alone(live_server, page, directory):
    d = directory
    page.goto(live_server.url + d.url("service"))
    tab_to(page, "Suggest an edit or report outdated information")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(page, "id_message")
    page.keyboard.type("The drop-in is now on Thursdays.")
    tab_to(page, "Send suggestion")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == f"/en/{d.place.slug}/suggest/thanks/"

    from commonhome.directory.models import ChangeRequest

    change = ChangeRequest.objects.get()
    assert change.message == "The drop-in is now on Thursdays."
    assert change.service_id == d.legal.pk
