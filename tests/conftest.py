from __future__ import annotations

import pytest

from tests.factories import OrganizationFactory, PlaceFactory, ServiceFactory


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAP_TILE_URL = ""


@pytest.fixture
def place(db):
    return PlaceFactory(slug="coventry", name="Coventry")


@pytest.fixture
def organization(place):
    return OrganizationFactory(place=place)


@pytest.fixture
def service(organization):
    return ServiceFactory(organization=organization)
