"""Stable keys of matching: programme kinds, sides, statuses, consent purposes, default rules.

Labels are translations of keys, never the other way round. The default rules of each kind
are plain data (what a programme stores in ``Programme.rules``), so a coordinator changes a
programme's behaviour by editing data, not code; their names are the engine's constraint and
score-part names (``engine.HARD`` and ``engine.SOFT``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    BUDDY = "buddy", _("Buddies")
    LANGUAGE_EXCHANGE = "language_exchange", _("Language exchange")
    EMPLOYMENT = "employment", _("Employment and placements")
    HOSTING = "hosting", _("Hosting")


class Side(models.TextChoices):
    """Seekers are the newcomers; offerers give time, a language, a placement or a room."""

    SEEKER = "seeker", _("Looking for a match")
    OFFERER = "offerer", _("Offering")


class ProfileStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left the programme")


class ProposalStatus(models.TextChoices):
    """Proposed → accepted by both | declined | expired; an accepted match later ends."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by both")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    ENDED = "ended", _("Ended")


#: Proposals that hold a person: a seeker in one of these is not in the pool, and each one
#: uses a unit of its offerer's capacity.
LIVE_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)


class Response(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class PairRuleKind(models.TextChoices):
    FORCE = "force", _("Propose this pair")
    FORBID = "forbid", _("Never propose this pair")


class ConsentPurpose(models.TextChoices):
    """Why each piece of data is asked; consent is recorded per purpose with a timestamp."""

    MATCHING = "matching", _("Use my answers to find a match for me")
    CONTACT_AFTER_MATCH = (
        "contact_after_match",
        _("Show my contact details to my match, once we have both accepted"),
    )
    SHARE_ORIGIN = "share_origin", _("Use where I come from to find someone with a shared history")
    EMAIL_UPDATES = (
        "email_updates",
        _("E-mail me when there is news: a proposal, a reminder, a match"),
    )


#: Without these no match can happen; the others are optional and can be withdrawn any time.
REQUIRED_CONSENTS = frozenset({ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_AFTER_MATCH})


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Another gender")


class Condition(models.TextChoices):
    """Host conditions: a seeker *needs* one, a host *offers* (accepts, has) it."""

    PETS = "pets", _("Pets")
    SMOKING = "smoking", _("Smoking")
    CHILDREN = "children", _("Children")
    STEP_FREE = "step_free", _("Step-free access")


class LanguageLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("First language")


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY = ("morn", "aft", "eve")
#: Availability slots, e.g. ``"mon-eve"``: coarse on purpose, people are not calendars.
SLOTS = frozenset(f"{day}-{part}" for day in DAYS for part in PARTS_OF_DAY)

#: Keys people and programmes use for languages, groups, skills, interests: stable slugs.
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_:.-]{0,59}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")

#: Offerer capacity (buddies, rooms, places) a programme may allow: 1 to 3.
MAX_CAPACITY = 3
#: Coordinates are kept to two decimals (about a kilometre): enough to measure distance,
#: not enough to find a door.
COORDINATE_DECIMALS = 2

#: The rules each kind starts with; ``Programme.rules`` stores a copy the coordinator edits.
#: ``hard`` are the engine's constraints, ``weights`` its soft score parts.
DEFAULT_RULES: dict[str, dict[str, Any]] = {
    ProgrammeKind.BUDDY: {
        "hard": ["shared_language", "gender", "age_band", "target_group", "distance"],
        "weights": {"language": 3, "origin": 2, "interests": 2, "distance": 2, "waiting": 1},
        "max_km": 15.0,
        "priority": ["long_waiting", "few_options"],
        "long_wait_days": 60,
        "few_options_max": 3,
    },
    ProgrammeKind.LANGUAGE_EXCHANGE: {
        "hard": ["language_exchange", "availability", "distance"],
        "weights": {"interests": 2, "distance": 2, "waiting": 1},
        "max_km": 10.0,
        "priority": ["few_options"],
        "long_wait_days": 60,
        "few_options_max": 3,
    },
    ProgrammeKind.EMPLOYMENT: {
        "hard": ["skills", "shared_language", "distance", "availability"],
        "weights": {"language": 2, "distance": 2, "waiting": 2},
        "max_km": 30.0,
        "priority": ["long_waiting", "few_options"],
        "long_wait_days": 90,
        "few_options_max": 3,
    },
    ProgrammeKind.HOSTING: {
        "hard": ["conditions", "gender", "target_group", "distance"],
        "weights": {"language": 3, "interests": 1, "distance": 1, "waiting": 3},
        "max_km": 40.0,
        "priority": ["long_waiting", "few_options"],
        "long_wait_days": 30,
        "few_options_max": 3,
    },
}

#: The engine's priority policies.
PRIORITY_POLICIES = frozenset({"long_waiting", "few_options"})

#: Why unmatched, when the seeker had candidates but the solution gave them to others.
UNMATCHED_OUTCOMPETED = "outcompeted"
