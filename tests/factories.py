"""Factories for tests: plausible records with as little set-up as a test needs."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from commonhome.core.constants import Role
from commonhome.core.models import Membership, Place, User
from commonhome.directory import models as d

_seq = itertools.count()


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"city-{n}")
    name = factory.Sequence(lambda n: f"City {n}")
    default_language = "en"
    languages = factory.LazyFunction(lambda: ["en", "ar", "fa", "uk"])
    timezone = "Europe/London"
    center_lat = 52.4068
    center_lon = -1.5197


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def member(place: Place, role: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, place=place, role=role)
    return user


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Organization

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Welcome Centre {n}")
    description = "A community hub for newcomers."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Service

    organization = factory.SubFactory(OrganizationFactory)
    place = factory.LazyAttribute(lambda s: s.organization.place)
    name = factory.Sequence(lambda n: f"Advice session {n}")
    description = "Free advice for newcomers."
    last_verified = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Location

    organization = factory.SubFactory(OrganizationFactory)
    place = factory.LazyAttribute(lambda loc: loc.organization.place)
    name = "Main hall"
    address_1 = "1 High Street"
    city = "Coventry"
    postal_code = "CV1 1AA"
    latitude = 52.4068
    longitude = -1.5197


ROLES = ["anonymous", "contributor", "org_editor", "moderator", "admin", "other_place_admin"]


def user_for_role(role: str, place: Place, organization: d.Organization | None = None):
    """A user holding ``role`` in ``place`` (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "org_editor":
        user = UserFactory()
        if organization is not None:
            organization.editors.add(user)
        return user
    if role == "other_place_admin":
        return member(PlaceFactory(), Role.ADMIN)
    return member(place, role)
