"""Stable keys of participation: phases, kinds, verification levels, answer and link states.

Labels are translations of keys, never the other way round; custom answer states and result
statuses a place adds are records (see ``models``) with keys of their own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """The phases of a consultation, in order; each switches actions on and off."""

    OPEN = "open", _("Open for input")
    EVALUATING = "evaluating", _("Evaluating")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Action(models.TextChoices):
    """What a participant does; each action can require a verification level."""

    CONTRIBUTE = "contribute", _("Send a need, suggestion or question")
    SUPPORT = "support", _("Support")
    COMMENT = "comment", _("Comment")
    FOLLOW = "follow", _("Follow")


# Which actions each phase allows. Following is always allowed: the point is to hear back.
PHASE_ACTIONS: dict[str, frozenset[str]] = {
    Phase.OPEN: frozenset({Action.CONTRIBUTE, Action.SUPPORT, Action.COMMENT, Action.FOLLOW}),
    Phase.EVALUATING: frozenset({Action.SUPPORT, Action.COMMENT, Action.FOLLOW}),
    Phase.ANSWERED: frozenset({Action.COMMENT, Action.FOLLOW}),
    Phase.CLOSED: frozenset({Action.FOLLOW}),
}


class Level(models.IntegerChoices):
    """The verification ladder. An action requiring a level accepts every level above it.

    Desk-assisted sits on top: a staff member met the person and records for them.
    Nobody is ever asked for a residence status; "verified resident" means that staff checked
    the person lives or stays in the place, by whatever means the place accepts.
    """

    NONE = 0, _("Anyone (no sign-in)")
    EMAIL = 1, _("E-mail code")
    RESIDENT = 2, _("Verified resident")
    DESK = 3, _("Desk-assisted (staff record for the person)")


class Kind(models.TextChoices):
    NEED = "need", _("Need")
    SUGGESTION = "suggestion", _("Suggestion")
    QUESTION = "question", _("Question")


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    DESK = "desk", _("Recorded at a desk")
    MEETING = "meeting", _("Raised at a meeting")


class Visibility(models.TextChoices):
    """Whether the public sees a contribution or comment."""

    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Hidden until a moderator looks at it")
    HIDDEN = "hidden", _("Hidden by a moderator")
    ERASED = "erased", _("Removed by its author")


class AnswerState(models.TextChoices):
    """The built-in answer states. A place may add custom states that count as one of these."""

    NOT_ANSWERED = "not_answered", _("Not answered yet")
    EVALUATING = "evaluating", _("Being evaluated")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not taken up")
    ALREADY_OFFERED = "already_offered", _("Already offered")


class ProgressMode(models.TextChoices):
    MANUAL = "manual", _("Set by hand")
    AVERAGE = "average", _("Average of its parts")
    WEIGHTED = "weighted", _("Weighted average of its parts")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class NotificationKind(models.TextChoices):
    ANSWER_PUBLISHED = "answer_published", _("An answer was published")
    JOINED_RESULT = "joined_result", _("A contribution became part of what the city does")
    RESULT_PROGRESS = "result_progress", _("Progress changed")
    MILESTONE = "milestone", _("A milestone was reached")
    MODERATED = "moderated", _("A moderator hid or restored a contribution")
    COMMENT = "comment", _("A new comment")


# Result statuses a place starts with: key, label, default progress.
DEFAULT_RESULT_STATUSES = (
    ("planned", _("Planned"), 0),
    ("in_progress", _("In progress"), 50),
    ("done", _("Done"), 100),
    ("stopped", _("Stopped"), 0),
)
