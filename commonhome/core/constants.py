"""Stable keys of core concepts. Labels are translations of keys, never the other way round."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    CITY = "city", _("City")
    REGION = "region", _("Region")
    NETWORK = "network", _("Network of cities")


class Role(models.TextChoices):
    ADMIN = "admin", _("Place administrator")
    MODERATOR = "moderator", _("Moderator")
    CONTRIBUTOR = "contributor", _("Contributor")


class TranslationOrigin(models.TextChoices):
    HUMAN = "human", _("Human")
    MACHINE = "machine", _("Machine")


class TranslationStatus(models.TextChoices):
    """The derived state of one record in one language."""

    SOURCE = "source", _("Original")
    MISSING = "missing", _("Missing")
    OUTDATED = "outdated", _("Outdated")
    MACHINE = "machine", _("Machine translation")
    HUMAN = "human", _("Human translation")
    REVIEWED = "reviewed", _("Reviewed")
