"""Factories of matching records: a programme, people on both sides, proposals between them.

People sign up through the service, as they would, so every profile in a test is one the
service accepts; ``seeker`` and ``offerer`` return the profile and keep its token on it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory
from django.utils import timezone

from commonhome.matching import services
from commonhome.matching.constants import ConsentPurpose, ProgrammeKind, Side
from commonhome.matching.models import Profile, Programme, Proposal
from tests.factories import PlaceFactory

_names = itertools.count()

#: The simplest rules worth testing: a shared language, scored by languages in common.
SIMPLE_RULES: dict[str, Any] = {
    "hard": ["shared_language"],
    "weights": {"language": 1, "waiting": 1},
    "max_km": None,
    "priority": ["few_options"],
    "long_wait_days": 60,
    "few_options_max": 3,
}
ALL_CONSENTS = (
    ConsentPurpose.MATCHING,
    ConsentPurpose.CONTACT_AFTER_MATCH,
    ConsentPurpose.SHARE_ORIGIN,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    place = factory.SubFactory(PlaceFactory)
    slug = factory.Sequence(lambda n: f"buddies-{n}")
    kind = ProgrammeKind.BUDDY
    name = factory.Sequence(lambda n: f"Buddies {n}")
    description = "Long-term residents walk alongside people who just arrived."
    rules = factory.LazyFunction(lambda: dict(SIMPLE_RULES))


def _person(programme: Programme, side: str, **kwargs: Any) -> Profile:
    n = next(_names)
    kwargs.setdefault("display_name", f"{side.title()} {n}")
    kwargs.setdefault("email", f"{side}{n}@example.org")
    kwargs.setdefault("language", "en")
    kwargs.setdefault("consents", ALL_CONSENTS)
    kwargs.setdefault("languages", ["en"])
    profile, token = services.sign_up(programme, side=side, **kwargs)
    profile.token = token  # type: ignore[attr-defined]
    return profile


def seeker(programme: Programme, **kwargs: Any) -> Profile:
    return _person(programme, Side.SEEKER, **kwargs)


def offerer(programme: Programme, **kwargs: Any) -> Profile:
    return _person(programme, Side.OFFERER, **kwargs)


def proposal(
    seeker_profile: Profile,
    offerer_profile: Profile,
    *,
    now: dt.datetime | None = None,
    **kwargs: Any,
) -> Proposal:
    """An open proposal as a run would store it."""
    now = now or timezone.now()
    programme = seeker_profile.programme
    kwargs.setdefault("score", 3)
    kwargs.setdefault("parts", {"language": 1, "waiting": 2})
    kwargs.setdefault("reasons", ["shared_language:en"])
    return Proposal.objects.create(
        place=programme.place,
        programme=programme,
        seeker=seeker_profile,
        offerer=offerer_profile,
        proposed_at=now,
        expires_at=now + dt.timedelta(days=programme.proposal_expiry_days),
        **kwargs,
    )


def matched(seeker_profile: Profile, offerer_profile: Profile, **kwargs: Any) -> Proposal:
    """A proposal both accepted."""
    made = proposal(seeker_profile, offerer_profile, **kwargs)
    services.respond(seeker_profile, made, True)
    return services.respond(offerer_profile, made, True)
