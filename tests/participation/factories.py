"""Factories of participation records: plausible, with as little set-up as a test needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from commonhome.participation import models as p
from commonhome.participation.constants import Kind, Phase
from tests.factories import PlaceFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Consultation

    place = factory.SubFactory(PlaceFactory)
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"What would make the city more welcoming? {n}")
    description = "Tell us what you need and what you would change."
    what_happens_next = "Staff answer every contribution by the end of March."
    phase = Phase.OPEN
    domains = factory.LazyFunction(lambda: ["housing", "health", "language"])


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Participant

    place = factory.SubFactory(PlaceFactory)


class VerifiedParticipantFactory(ParticipantFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    email_verified_at = factory.LazyFunction(timezone.now)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Contribution

    consultation = factory.SubFactory(ConsultationFactory)
    place = factory.LazyAttribute(lambda c: c.consultation.place)
    participant = factory.SubFactory(ParticipantFactory, place=factory.SelfAttribute("..place"))
    kind = Kind.NEED
    domain = "language"
    title = factory.Sequence(lambda n: f"English classes in the evening {n}")
    body = "I work during the day and cannot go to the morning classes."
    source_language = "en"


class ResultStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.ResultStatus

    place = factory.SubFactory(PlaceFactory)
    key = factory.Sequence(lambda n: f"status-{n}")
    name = "In progress"
    progress = 50


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Result

    place = factory.SubFactory(PlaceFactory)
    title = factory.Sequence(lambda n: f"Evening English classes at the library {n}")
    description = "Two evenings a week, free, with childcare."
    domain = "language"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Milestone

    result = factory.SubFactory(ResultFactory)
    date = factory.LazyFunction(timezone.localdate)
    title = "First class held"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Body

    place = factory.SubFactory(PlaceFactory)
    slug = factory.Sequence(lambda n: f"newcomers-council-{n}")
    name = factory.Sequence(lambda n: f"Newcomers' Council {n}")
    purpose = "Advises the city on how its services reach newcomers."
    composition = "Twelve members chosen by migrant-led groups."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Meeting

    body = factory.SubFactory(BodyFactory)
    place = factory.LazyAttribute(lambda m: m.body.place if m.body else PlaceFactory())
    title = "Spring meeting"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    address = "Council House, Earl Street"
