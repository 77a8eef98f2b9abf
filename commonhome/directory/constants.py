"""Stable keys of the directory: kinds, domains, target groups, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    PUBLIC = "public", _("Public service")
    NGO = "ngo", _("Non-profit organisation")
    MIGRANT_LED = "migrant_led", _("Migrant-led group")
    DIASPORA = "diaspora", _("Diaspora association")
    FAITH = "faith", _("Faith group")
    EMPLOYER = "employer", _("Employer")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    INFORMAL = "informal", _("Informal group")


class OfferKind(models.TextChoices):
    """What an organisation offers: asset framing, not only what newcomers lack."""

    SKILL = "skill", _("Skills")
    SPACE = "space", _("Space")
    LANGUAGE = "language", _("Languages")
    VOLUNTEERS = "volunteers", _("Volunteers")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Domain(models.TextChoices):
    """Integration domains: the directory's own taxonomy, published as HSDS taxonomy terms."""

    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    WORK = "work", _("Work")
    RIGHTS = "rights", _("Rights and legal help")
    LANGUAGE = "language", _("Language")
    COMMUNITY = "community", _("Community")
    CITIZENSHIP = "citizenship", _("Citizenship and residency")
    DIGITAL = "digital", _("Digital")
    EMERGENCY = "emergency", _("Emergency")


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    WOMEN = "women", _("Women")
    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    FAMILIES = "families", _("Families")
    OLDER_PEOPLE = "older_people", _("Older people")
    ASYLUM_SEEKERS = "asylum_seekers", _("Asylum seekers")
    REFUGEES = "refugees", _("Refugees")
    ANY_STATUS = "any_status", _("Any residence status")
    LGBTQI = "lgbtqi", _("LGBTQI+ people")
    DISABLED = "disabled", _("Disabled people")


class AttendingType(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone")


class ChangeKind(models.TextChoices):
    EDIT = "edit", _("Suggested edit")
    OUTDATED = "outdated", _("Reported as outdated")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    AMENDED = "amended", _("Accepted with changes")
    REJECTED = "rejected", _("Rejected")


DOMAIN_TAXONOMY_ID = "2d7f3f1e-5c1b-4f0a-9c36-1a8f0b6d0e01"
