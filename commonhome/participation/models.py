"""Co-design with a visible trail: consultations, contributions, answers, results, bodies.

The chain from what people said to what the city did is a query over named links: an
:class:`Answer` says what became of a :class:`Contribution` (and links the directory services
that already meet a need); a :class:`Result` *answers* contributions, *uses* services and
*came from* meetings; its progress and :class:`Milestone` s tell how far it got.

People take part as :class:`Participant` s, who need no account: an anonymous participant is
a browser session; an e-mail code, a resident check by staff or a desk record lift them up the
verification ladder (see ``constants.Level``). Their e-mail and desk details are never public.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place, PlaceOwned, TranslatableModel
from commonhome.directory.constants import Domain

from .constants import (
    AnswerState,
    Channel,
    Kind,
    Level,
    MeetingMode,
    NotificationKind,
    Phase,
    Position,
    ProgressMode,
    Visibility,
)


class ParticipationSettings(models.Model):
    """A place's rules for taking part: the level each action needs, and moderation."""

    place = models.OneToOneField(
        Place, on_delete=models.CASCADE, primary_key=True, related_name="participation_settings"
    )
    contribute_level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        default=Level.NONE,
        verbose_name=_("To send a need, suggestion or question"),
    )
    support_level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.NONE, verbose_name=_("To support")
    )
    comment_level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.EMAIL, verbose_name=_("To comment")
    )
    reports_to_hide = models.PositiveSmallIntegerField(
        default=3,
        verbose_name=_("Reports before hiding"),
        help_text=_("After this many reports a contribution or comment waits for a moderator."),
    )
    anonymous_per_hour = models.PositiveSmallIntegerField(
        default=10,
        verbose_name=_("Anonymous submissions per hour from one client"),
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"participation settings of {self.place}"

    def level_for(self, action: str) -> int:
        return int(getattr(self, f"{action}_level", Level.NONE))


class Participant(models.Model):
    """Someone taking part, with or without an account. Never shown: e-mail, desk details."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    display_name = models.CharField(
        max_length=80, blank=True, help_text=_("Shown with what the person writes; optional.")
    )
    email = models.EmailField(blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    resident_verified_at = models.DateTimeField(null=True, blank=True)
    resident_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Desk-assisted people: recorded by staff, with how to reach them (never public).
    desk_assisted = models.BooleanField(default=False)
    desk_contact = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)
    notify_by_email = models.BooleanField(default=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_purpose = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["place", "email"], condition=~Q(email=""), name="unique_participant_email"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or f"participant {str(self.id)[:8]}"

    @property
    def level(self) -> int:
        if self.desk_assisted:
            return Level.DESK
        if self.resident_verified_at:
            return Level.RESIDENT
        if self.email_verified_at:
            return Level.EMAIL
        return Level.NONE


class EmailCode(models.Model):
    """A one-time code sent to an address; proves the address without a password or account."""

    id = models.BigAutoField(primary_key=True)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["place", "email", "-created_at"])]

    def __str__(self) -> str:
        return f"code for a participant of {self.place_id}"


class Consultation(PlaceOwned, TranslatableModel):
    translatable_fields = ("title", "description", "what_happens_next")

    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField()
    what_happens_next = models.TextField(
        help_text=_("What the city will do with the input, and by when.")
    )
    answer_by = models.DateField(
        null=True, blank=True, help_text=_("The date by which the city promises to answer.")
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.OPEN)
    domains = models.JSONField(
        default=list, blank=True, help_text=_("Topics, as keys of the directory's domains.")
    )
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["place", "slug"], name="unique_consultation_slug")
        ]

    def __str__(self) -> str:
        return self.title


class Body(PlaceOwned, TranslatableModel):
    """A consultative body representing migrant groups, e.g. a newcomers' council."""

    translatable_fields = ("name", "purpose", "composition")

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    purpose = models.TextField()
    composition = models.TextField(
        blank=True, help_text=_("Who sits on it and how members are chosen.")
    )
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["place", "slug"], name="unique_body_slug")]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    represents = models.CharField(
        max_length=200, blank=True, help_text=_("The group or organisation the member speaks for.")
    )
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.MEMBER)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    show_name = models.BooleanField(
        default=True, help_text=_("The member agreed that their name is shown publicly.")
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"

    def in_office(self, on: object = None) -> bool:
        day = on or timezone.localdate()
        return (self.term_start is None or self.term_start <= day) and (
            self.term_end is None or day <= self.term_end
        )


class Meeting(PlaceOwned, TranslatableModel):
    translatable_fields = ("title", "agenda", "minutes")

    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(
        max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    address = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    attendance_count = models.PositiveIntegerField(null=True, blank=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        """Public when it says so and its body (if any) is public."""
        return self.is_public and (self.body is None or self.body.is_public)


class CustomAnswerState(TranslatableModel):
    """A place's own answer state, e.g. "referred to the county"; counts as a built-in one."""

    translatable_fields = ("name",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    counts_as = models.CharField(
        max_length=20, choices=AnswerState.choices, default=AnswerState.EVALUATING
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "key"], name="unique_custom_answer_state")
        ]

    def __str__(self) -> str:
        return self.name


class Contribution(TranslatableModel):
    """A need, suggestion or question someone sent, in their own language."""

    translatable_fields = ("title", "body")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEED)
    domain = models.CharField(max_length=30, choices=Domain.choices, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_label = models.CharField(max_length=200, blank=True)
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    author_name = models.CharField(max_length=80, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        help_text=_("The meeting this came out of, if any."),
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    moderation_reason = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The published answer's state (a built-in key, or a custom state's key) and the built-in
    # state it counts as: kept here so the trail filters and counts without a join.
    public_state = models.CharField(max_length=40, default=AnswerState.NOT_ANSWERED)
    public_state_group = models.CharField(
        max_length=20, choices=AnswerState.choices, default=AnswerState.NOT_ANSWERED
    )
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["place", "visibility", "-created_at"]),
            models.Index(fields=["place", "public_state_group"]),
            models.Index(fields=["consultation", "visibility", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLISHED


class Answer(TranslatableModel):
    """The city's official answer to a contribution. Written, then published as a separate step."""

    translatable_fields = ("text", "reason")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="answer"
    )
    state = models.CharField(max_length=40, default=AnswerState.NOT_ANSWERED)
    state_group = models.CharField(
        max_length=20, choices=AnswerState.choices, default=AnswerState.NOT_ANSWERED
    )
    text = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text=_("Why it was not taken up (required then)."))
    services = models.ManyToManyField(
        "directory.Service",
        blank=True,
        related_name="answers",
        help_text=_("Directory services that already meet the need."),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"answer to {self.contribution_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Support(models.Model):
    id = models.BigAutoField(primary_key=True)
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="supports"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "participant"], name="one_support_each")
        ]

    def __str__(self) -> str:
        return f"support of {self.contribution_id}"


class Follow(models.Model):
    id = models.BigAutoField(primary_key=True)
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="follows")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "participant"], name="one_follow_each")
        ]

    def __str__(self) -> str:
        return f"follow of {self.contribution_id}"


class Comment(models.Model):
    """A threaded comment. Staff may comment officially (``official``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author_name = models.CharField(max_length=80, blank=True)
    official = models.BooleanField(default=False)
    body = models.TextField()
    language = models.CharField(max_length=10, blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    moderation_reason = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"comment on {self.contribution_id}"


class Report(models.Model):
    """Someone's report that a contribution or a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or hateful")
        PERSONAL = "personal", _("Reveals someone's personal details")
        OTHER = "other", _("Something else")

    id = models.BigAutoField(primary_key=True)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.CharField(
        max_length=64, help_text=_("Participant id or a keyed hash of the client; never shown.")
    )
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.OTHER)
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "comment", "reporter"], name="one_report_each"
            ),
            models.UniqueConstraint(
                fields=["contribution", "reporter"],
                condition=Q(comment__isnull=True),
                name="one_contribution_report_each",
            ),
        ]

    def __str__(self) -> str:
        return f"report on {self.contribution_id}"


class ResultStatus(TranslatableModel):
    """A place's catalogue of result statuses, each with the progress it implies by default."""

    translatable_fields = ("name",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    progress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Progress a result gets when it takes this status.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "key"], name="unique_result_status")
        ]
        verbose_name_plural = "result statuses"

    def __str__(self) -> str:
        return self.name


class Result(PlaceOwned, TranslatableModel):
    """What the city does in answer: "you said, we did"."""

    translatable_fields = ("title", "description")

    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    domain = models.CharField(max_length=30, choices=Domain.choices, blank=True)
    status = models.ForeignKey(
        ResultStatus, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    progress = models.FloatField(default=0.0, help_text=_("Per cent, 0 to 100."))
    progress_mode = models.CharField(
        max_length=20, choices=ProgressMode.choices, default=ProgressMode.MANUAL
    )
    weight = models.FloatField(
        default=1.0, help_text=_("Its share in its parent's weighted progress.")
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_published = models.BooleanField(default=True)
    contributions = models.ManyToManyField(
        Contribution, blank=True, related_name="results", help_text=_("Contributions it answers.")
    )
    services = models.ManyToManyField(
        "directory.Service",
        blank=True,
        related_name="results",
        help_text=_("Directory services it created or uses."),
    )
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="results", help_text=_("Meetings it came out of.")
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["place", "is_published"])]

    def __str__(self) -> str:
        return self.title


class Milestone(TranslatableModel):
    translatable_fields = ("title", "description")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """Something a participant should hear about; listed for them and e-mailed when they agreed."""

    id = models.BigAutoField(primary_key=True)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="notifications"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    result = models.ForeignKey(
        Result, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["participant", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.participant_id}"
