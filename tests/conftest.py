from __future__ import annotations

import importlib

import pytest

from tests.factories import OrganizationFactory, PlaceFactory, ServiceFactory


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in the default language: a request made in another language by an
    earlier test would otherwise leave it active, and ``reverse`` would build its URLs."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _migration_data(request):
    """Rows that data migrations create (the integration domains) are there in every test.

    Live-server tests run in a transactional database that is emptied after each of them,
    which would take these rows away from every test that runs later.
    """
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from commonhome.directory.constants import DOMAIN_TAXONOMY_ID
    from commonhome.directory.models import TaxonomyTerm

    if not TaxonomyTerm.objects.filter(taxonomy_id=DOMAIN_TAXONOMY_ID).exists():
        migration = importlib.import_module("commonhome.directory.migrations.0002_domain_taxonomy")
        migration.create(apps, None)


@pytest.fixture
def place(db):
    return PlaceFactory(slug="coventry", name="Coventry")


@pytest.fixture
def organization(place):
    return OrganizationFactory(place=place)


@pytest.fixture
def service(organization):
    return ServiceFactory(organization=organization)
