"""People matching people: programmes, profiles on both sides, proposals and what follows.

A :class:`Programme` (buddies, language exchange, employment, hosting) declares its rules as
data. People sign up as a :class:`Profile` on one side, without an account: their own link
carries a token whose hash is stored here. The engine (``engine.py``, no Django) turns the
pool into :class:`Proposal` s; a proposal holds its score parts and the constraints that
applied, which is what each person is shown as the explanation — never who else was
considered. Contact details stay private until both sides accept.

An employer's :class:`Placement` enters the pool through an offerer profile of its own (a
one-to-one link): the runner loads one kind of record, and the placement keeps what only
employers have (title, employer, description).

A pair is proposed at most once, ever (a database constraint): a declined, expired or ended
pair is never proposed again. A seeker holds at most one live (proposed or accepted) proposal
per programme, another constraint; offerers' capacity is checked by the services and the
runner, which lock the programme.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import PlaceOwned, TranslatableModel

from . import engine
from .constants import (
    DEFAULT_RULES,
    LIVE_STATUSES,
    MAX_CAPACITY,
    PRIORITY_POLICIES,
    ConsentPurpose,
    PairRuleKind,
    ProfileStatus,
    ProgrammeKind,
    ProposalStatus,
    Response,
    Side,
)


def hash_token(token: str) -> str:
    """Access tokens are long random strings: a fast hash is enough, and lookups stay indexed."""
    return hashlib.sha256(token.encode()).hexdigest()


def validate_rules(rules: Any) -> dict[str, Any]:
    """The normalised rules, or a ValidationError on ``rules`` saying which key is wrong."""
    if not isinstance(rules, dict):
        raise ValidationError({"rules": _("Rules must be an object with hard and weights.")})
    errors: list[str] = []
    hard = rules.get("hard", [])
    unknown = sorted(set(hard) - set(engine.HARD)) if isinstance(hard, list) else ["?"]
    if unknown:
        errors.append(str(_("Unknown hard constraint: %(names)s.")) % {"names": ", ".join(unknown)})
    weights = rules.get("weights", {})
    if not isinstance(weights, dict):
        errors.append(str(_("Weights must map score parts to whole numbers.")))
        weights = {}
    bad = sorted(k for k in weights if k not in engine.SOFT)
    if bad:
        errors.append(str(_("Unknown score part: %(names)s.")) % {"names": ", ".join(bad)})
    for name, weight in weights.items():
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
            errors.append(
                str(_("The weight of %(name)s must be a whole number from 0 to 100."))
                % {"name": name}
            )
    priority = rules.get("priority", [])
    if not isinstance(priority, list) or set(priority) - PRIORITY_POLICIES:
        errors.append(str(_("Priority may only name long_waiting and few_options.")))
    max_km = rules.get("max_km")
    if max_km is not None and (not isinstance(max_km, int | float) or max_km <= 0):
        errors.append(str(_("The maximum distance must be a positive number of kilometres.")))
    if "distance" in (hard if isinstance(hard, list) else []) and max_km is None:
        errors.append(str(_("The distance constraint needs a maximum distance.")))
    for key, low in (("long_wait_days", 1), ("few_options_max", 1)):
        value = rules.get(key, low)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            errors.append(str(_("%(key)s must be a whole number of at least 1.")) % {"key": key})
    if errors:
        raise ValidationError({"rules": errors})
    return {
        "hard": sorted(set(hard)),
        "weights": {k: int(v) for k, v in sorted(weights.items())},
        "max_km": float(max_km) if max_km is not None else None,
        "priority": sorted(set(priority)),
        "long_wait_days": int(rules.get("long_wait_days", 60)),
        "few_options_max": int(rules.get("few_options_max", 3)),
    }


def default_rules(kind: str) -> dict[str, Any]:
    return validate_rules(DEFAULT_RULES[kind])


class Programme(PlaceOwned, TranslatableModel):
    """One matching programme of a place, with its rules as data (see ``constants``)."""

    translatable_fields = ("name", "description")

    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=30, choices=ProgrammeKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    rules = models.JSONField(
        default=dict,
        help_text=_("Hard constraints, score weights and priority policy, as data."),
    )
    max_capacity = models.PositiveSmallIntegerField(
        default=MAX_CAPACITY,
        help_text=_("How many matches one offerer may take at once (1 to 3)."),
    )
    proposal_expiry_days = models.PositiveSmallIntegerField(
        default=14, help_text=_("Days both sides have to answer a proposal.")
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=5, help_text=_("Days after which whoever has not answered is reminded.")
    )
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "slug"], name="unique_programme_slug"),
            models.CheckConstraint(
                condition=Q(max_capacity__gte=1) & Q(max_capacity__lte=MAX_CAPACITY),
                name="programme_capacity_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def engine_rules(self) -> engine.Rules:
        rules = validate_rules(self.rules or DEFAULT_RULES[self.kind])
        return engine.Rules(
            hard=frozenset(rules["hard"]),
            weights=dict(rules["weights"]),
            max_km=rules["max_km"],
            priority=frozenset(rules["priority"]),
            long_wait_days=rules["long_wait_days"],
            few_options_max=rules["few_options_max"],
        )


class Profile(PlaceOwned):
    """One person (or placement) on one side of one programme.

    Private: ``email``, ``phone`` (shown to the matched partner only after both accept, and to
    the programme's coordinators) and everything the engine reads. ``origin`` is kept only
    while the person consents to ``share_origin``. ``consents`` maps each purpose given to the
    moment it was given.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="profiles")
    side = models.CharField(max_length=10, choices=Side.choices)
    display_name = models.CharField(
        max_length=80, help_text=_("How your match will call you; a first name is enough.")
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=10, help_text=_("The language we write to you in."))
    # What the engine reads (see engine.Side); sets are stored as sorted lists of keys.
    languages = models.JSONField(default=list, blank=True)
    learning = models.JSONField(default=list, blank=True)
    gender = models.CharField(max_length=10, blank=True)
    gender_preference = models.CharField(max_length=10, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Only the year, to respect age preferences.")
    )
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    groups = models.JSONField(default=list, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    availability = models.JSONField(default=list, blank=True)
    skills = models.JSONField(default=list, blank=True)
    needs = models.JSONField(default=list, blank=True)
    offers = models.JSONField(default=list, blank=True)
    interests = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=60, blank=True)
    capacity = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=ProfileStatus.choices, default=ProfileStatus.ACTIVE
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=60, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(default=timezone.now)
    consents = models.JSONField(default=dict, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    mail_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    """The link in our e-mails: a second way in, replaced when a new link is asked for."""
    mail_link_version = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["programme", "side", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
                name="profile_capacity_1_to_3",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.side})"

    #: What :meth:`to_side` reads: the runner loads only these, the pool can be large.
    ENGINE_FIELDS = (
        "id",
        "side",
        "capacity",
        "languages",
        "learning",
        "gender",
        "gender_preference",
        "birth_year",
        "age_min",
        "age_max",
        "groups",
        "latitude",
        "longitude",
        "availability",
        "skills",
        "needs",
        "offers",
        "interests",
        "origin",
        "consents",
        "waiting_since",
    )

    def has_consent(self, purpose: str) -> bool:
        return bool((self.consents or {}).get(purpose))

    def age(self, today: dt.date) -> int | None:
        return today.year - self.birth_year if self.birth_year else None

    def to_side(self, remaining_capacity: int, *, now: dt.datetime | None = None) -> engine.Side:
        """This profile as the engine sees it, with the capacity accepted matches leave."""
        now = now or timezone.now()
        band = (
            (self.age_min or 0, self.age_max or 150)
            if self.age_min is not None or self.age_max is not None
            else None
        )
        return engine.Side(
            id=str(self.pk),
            capacity=remaining_capacity,
            languages=frozenset(self.languages or ()),
            learning=frozenset(self.learning or ()),
            gender=self.gender,
            gender_preference=self.gender_preference,
            age=self.age(now.date()),
            age_band=band,
            groups=frozenset(self.groups or ()),
            lat=self.latitude,
            lon=self.longitude,
            availability=frozenset(self.availability or ()),
            skills=frozenset(self.skills or ()),
            needs=frozenset(self.needs or ()),
            offers=frozenset(self.offers or ()),
            interests=frozenset(self.interests or ()),
            origin=self.origin if self.has_consent(ConsentPurpose.SHARE_ORIGIN) else "",
            waiting_days=max(0, (now - self.waiting_since).days),
        )


class SkillsAudit(models.Model):
    """A job seeker's self-audit, to uncover skills and experience gained abroad.

    ``qualifications`` and ``experience`` are lists of ``{"title", "country", "years",
    "skill"}``; ``skill`` (a key) is what a placement can require. ``languages`` maps a
    language code to a level (``constants.LanguageLevel``).
    """

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="skills_audit")
    skills = models.JSONField(default=list, blank=True)
    qualifications = models.JSONField(default=list, blank=True)
    experience = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=dict, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"skills audit of {self.profile}"

    def skill_keys(self) -> list[str]:
        """What the engine compares with a placement's required skills."""
        keys = set(self.skills or [])
        for entry in [*(self.qualifications or []), *(self.experience or [])]:
            if entry.get("skill"):
                keys.add(entry["skill"])
        keys |= {f"sector:{sector}" for sector in self.sectors or []}
        return sorted(keys)


class Employer(PlaceOwned):
    """A Migration Friendly Employer. Contact details are for coordinators and matches only."""

    name = models.CharField(max_length=200)
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation in the directory, when it is listed there."),
    )
    contact_name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    pledged_at = models.DateTimeField(
        help_text=_("When the employer signed the Migration Friendly Employer pledge.")
    )
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A job, traineeship or work placement; its ``profile`` is the offer in the pool.

    ``places`` is the profile's capacity and ``required_skills`` its ``skills``: the services
    keep them in step, so the runner reads profiles only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="placements")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="placements")
    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="placement")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    required_skills = models.JSONField(default=list, blank=True)
    places = models.PositiveSmallIntegerField(default=1)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class MatchRun(PlaceOwned):
    """One run of the engine over a programme's pool: what went in, what came out, how long."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    method = models.CharField(max_length=10, default="flow")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.programme} run {self.started_at:%Y-%m-%d %H:%M}"


class Proposal(PlaceOwned):
    """A proposed pair, its explanation (score parts and reasons) and its lifecycle."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="proposals")
    seeker = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="as_seeker")
    offerer = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="as_offerer")
    score = models.IntegerField(default=0)
    parts = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    seeker_response = models.CharField(
        max_length=10, choices=Response.choices, default=Response.PENDING
    )
    offerer_response = models.CharField(
        max_length=10, choices=Response.choices, default=Response.PENDING
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    forced = models.BooleanField(default=False)
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "offerer"], name="pair_proposed_once"),
            models.UniqueConstraint(
                fields=["seeker"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_proposal_per_seeker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker.display_name} + {self.offerer.display_name} ({self.status})"

    def side_of(self, profile: Profile) -> str | None:
        """Which side ``profile`` is on in this proposal; None when it is not part of it."""
        if profile.pk == self.seeker_id:
            return Side.SEEKER
        if profile.pk == self.offerer_id:
            return Side.OFFERER
        return None

    def partner_of(self, profile: Profile) -> Profile:
        return self.offerer if profile.pk == self.seeker_id else self.seeker

    def response_of(self, side: str) -> str:
        return self.seeker_response if side == Side.SEEKER else self.offerer_response


class PairRule(PlaceOwned):
    """A coordinator's decision about one pair: always propose it, or never. Audited."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pair_rules")
    seeker = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    offerer = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PairRuleKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "offerer"], name="one_rule_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.seeker_id} + {self.offerer_id}"


class CheckIn(models.Model):
    """How an accepted match is going, told by one side or noted by a coordinator."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="check_ins")
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="check_in_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"check-in on {self.proposal_id} at {self.at:%Y-%m-%d}"


class Feedback(models.Model):
    """Each side's word on a match, once, after it was accepted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(max_length=10, choices=Side.choices)
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "side"], name="feedback_once_per_side"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"feedback on {self.proposal_id} by the {self.side}"
