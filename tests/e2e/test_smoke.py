def test_home_page_renders_in_chromium_and_passes_axe(live_server, page, place, axe_check):
    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1
    axe_check(page)


def test_arabic_home_is_right_to_left(live_server, page, place):
    page.goto(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
