"""Searching the directory in a browser: text, filters, the map beside the list, no JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

WIDE = {"width": 1280, "height": 900}


def results(page):
    return page.locator("ol.results > li h3")


def names(*services):
    return sorted(s.name for s in services)


def search(page, button="Search"):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def open_more_filters(page):
    more = page.locator("details.search-more")
    if not more.evaluate("details => details.open"):
        more.locator("summary").click()
    expect(page.get_by_label("Topic")).to_be_visible()


def test_text_query_then_topic_then_language_narrow_the_results(live_server, page, directory):
    d = directory
    page.goto(live_server.url + d.url("search"))
    expect(results(page)).to_have_count(4)

    page.get_by_label("What are you looking for?").fill("advice")
    search(page)
    expect(page.locator("#results-heading")).to_have_text("2 services found")
    assert sorted(results(page).all_inner_texts()) == names(d.legal, d.housing)

    open_more_filters(page)
    page.get_by_label("Topic").select_option(label="Housing")
    search(page, "Apply filters")
    expect(results(page)).to_have_text([d.housing.name])
    # The text query is kept while a filter is added.
    expect(page.get_by_label("What are you looking for?")).to_have_value("advice")

    page.get_by_label("Topic").select_option(value="")
    page.get_by_label("Language spoken").select_option(value="ar")
    search(page, "Apply filters")
    expect(results(page)).to_have_text([d.legal.name])
    assert "language=ar" in page.url

    page.get_by_label("What are you looking for?").fill("")
    search(page)
    expect(page.locator("#results-heading")).to_have_text("2 services found")
    assert sorted(results(page).all_inner_texts()) == names(d.legal, d.doctor)


def test_search_form_works_with_javascript_disabled(live_server, new_page, directory):
    d = directory
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + d.url("search"))
    expect(results(page)).to_have_count(4)
    # Without scripts there is no map and no map button: the list is the whole page.
    expect(page.locator(".map-toggle")).to_have_count(0)

    page.get_by_label("What are you looking for?").fill("advice")
    open_more_filters(page)
    page.get_by_label("Language spoken").select_option(value="uk")
    search(page, "Apply filters")
    expect(results(page)).to_have_text([d.housing.name])

    page.get_by_label("Language spoken").select_option(value="")
    page.get_by_label("Topic").select_option(label="Rights and legal help")
    search(page, "Apply filters")
    expect(results(page)).to_have_text([d.legal.name])

    page.get_by_label("What are you looking for?").fill("")
    page.get_by_label("Topic").select_option(value="")
    page.get_by_label("For", exact=True).select_option(label="Women")
    search(page, "Apply filters")
    expect(results(page)).to_have_text([d.doctor.name])


def test_wide_screen_shows_one_named_marker_per_located_result_beside_the_list(
    live_server, new_page, directory
):
    d = directory
    page = new_page(viewport=WIDE)
    page.goto(live_server.url + d.url("search"))
    markers = page.locator(".map .leaflet-marker-icon")
    expect(markers).to_have_count(len(d.located))
    assert sorted(m.get_attribute("title") for m in markers.all()) == names(*d.located)
    for service in d.located:
        expect(page.get_by_role("button", name=service.name, exact=True)).to_be_visible()
    # The unlocated service is listed, with no marker.
    expect(results(page)).to_have_count(len(d.services))

    list_box = page.locator("ol.results").bounding_box()
    map_box = page.locator(".map").bounding_box()
    assert map_box["x"] >= list_box["x"] + list_box["width"] - 1, (list_box, map_box)
    assert map_box["y"] < list_box["y"] + list_box["height"], (list_box, map_box)

    # Narrowing the results narrows the markers.
    page.get_by_label("What are you looking for?").fill("advice")
    search(page)
    expect(markers).to_have_count(2)
    assert sorted(m.get_attribute("alt") for m in markers.all()) == names(d.legal, d.housing)


def test_phone_shows_the_map_on_request_and_a_marker_opens_its_service(
    live_server, page, directory
):
    d = directory
    page.goto(live_server.url + d.url("search"))
    toggle = page.get_by_role("button", name="Show on a map")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(0)

    toggle.click()
    expect(page.locator(".map .leaflet-marker-icon")).to_have_count(len(d.located))
    hide = page.get_by_role("button", name="Hide the map")
    expect(hide).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("region", name="Map of the services found")).to_be_visible()
    expect(results(page).first).to_be_visible()

    # A marker is a keyboard control: Enter opens its popup and highlights its list entry.
    page.get_by_role("button", name=d.legal.name, exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup")).to_contain_text(d.legal.name)
    expect(page.locator("li.result.is-active h3")).to_have_text(d.legal.name)

    page.get_by_role("button", name=d.doctor.name, exact=True).click()
    popup_link = page.locator(".leaflet-popup a", has_text=d.doctor.name)
    expect(popup_link).to_be_visible()
    # Enter, not a click: the popup may still be panning into view, moving the link.
    popup_link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(d.doctor.name)
