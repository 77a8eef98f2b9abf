"""Browser tests: Debian's Chromium, driven by Playwright, against a live server."""

from __future__ import annotations

import importlib
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to
# set up data are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("COMMONHOME_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}}


def axe_violations(page) -> list[str]:
    """The serious and critical axe violations of the page as shown now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


@pytest.fixture
def axe_check():
    """Run axe on the page and fail on serious or critical violations, listing them."""

    def check(page):
        bad = axe_violations(page)
        assert not bad, "\n".join(bad)

    return check


# --- A directory to browse ------------------------------------------------------------------


@pytest.fixture
def domain_terms(transactional_db):
    """The integration domains. A data migration creates them, but a live-server test runs in a
    transactional database that is emptied after each test, so they are put back here."""
    from django.apps import apps

    migration = importlib.import_module("commonhome.directory.migrations.0002_domain_taxonomy")
    migration.create(apps, None)


@pytest.fixture
def directory(place, domain_terms):
    """Coventry with four services in two organisations; three of them have a position."""
    from tests.e2e.data import build_directory

    return build_directory(place)


@pytest.fixture
def new_page(browser, browser_context_args):
    """A page in a fresh browser context: ``new_page(viewport=..., java_script_enabled=False)``."""
    contexts = []

    def open_page(**context_args):
        context = browser.new_context(**{**browser_context_args, **context_args})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(live_server):
    """Give a browser context the session of ``user``, as after signing in."""
    from django.conf import settings
    from django.test import Client

    def add_session(context, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return add_session
