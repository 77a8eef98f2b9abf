"""Staff sign in with the login page; brute force is locked out; passwords hashed with Argon2."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from tests.factories import member


@pytest.fixture
def login_url():
    return reverse("core:login")


def test_production_password_hashers_start_with_argon2():
    settings_module = importlib.import_module("commonhome.settings")
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_staff_sign_in_leads_to_the_staff_home(client, place, login_url):
    member(place, "moderator", username="mira")
    response = client.post(
        login_url, {"username": "mira", "password": "correct horse battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("directory:staff-home")
    assert response.context["user"].username == "mira"
    assert place.name in response.content.decode()


def test_wrong_password_is_refused(client, place, login_url):
    member(place, "moderator", username="mira")
    response = client.post(login_url, {"username": "mira", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_after_the_failure_limit_even_the_right_password_is_refused(
    client, place, login_url, settings
):
    member(place, "moderator", username="mira")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_url, {"username": "mira", "password": "wrong"})
    response = client.post(login_url, {"username": "mira", "password": "correct horse battery"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429


def test_anonymous_visitors_of_staff_pages_are_sent_to_sign_in(client, place, login_url):
    response = client.get(reverse("directory:staff-review", args=[place.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(login_url)
    assert "next=" in response["Location"]


def test_one_failure_short_of_the_limit_the_right_password_still_works(
    client, place, login_url, settings
):
    member(place, "moderator", username="mira")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login_url, {"username": "mira", "password": "wrong"})
    client.post(login_url, {"username": "mira", "password": "correct horse battery"})
    assert "_auth_user_id" in client.session
