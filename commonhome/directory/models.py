"""The living map: organisations, services, locations and what each offers.

Field names follow Open Referral HSDS 3.0 where HSDS has the concept, so import, export and
the HSDS API map one-to-one; what HSDS lacks (target groups, offers, verification) is our own.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place, PlaceOwned, TranslatableModel

from .constants import (
    AttendingType,
    ChangeKind,
    ChangeStatus,
    OfferKind,
    OrganizationKind,
    ServiceStatus,
    TargetGroup,
)


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(TranslatableModel):
    translatable_fields = ("name", "description")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(max_length=100, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    term_uri = models.URLField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        ordering = ["code", "name"]

    def __str__(self) -> str:
        return self.name


class Organization(PlaceOwned, TranslatableModel):
    translatable_fields = ("name", "alternate_name", "description")

    kind = models.CharField(
        max_length=30, choices=OrganizationKind.choices, default=OrganizationKind.NGO
    )
    name = models.CharField(max_length=300)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=200, blank=True)
    tax_status = models.CharField(max_length=200, blank=True)
    tax_id = models.CharField(max_length=100, blank=True)
    logo = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    migrant_led = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    last_verified = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="edited_organizations"
    )

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["place", "name"])]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """Something an organisation offers the community: skills, space, languages, volunteers."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(max_length=20, choices=OfferKind.choices)
    description = models.CharField(max_length=500)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class Service(PlaceOwned, TranslatableModel):
    translatable_fields = (
        "name",
        "alternate_name",
        "description",
        "eligibility_description",
        "application_process",
        "fees_description",
        "accessibility_description",
        "alert",
    )

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=300)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    fees_description = models.TextField(blank=True)
    is_free = models.BooleanField(default=True, db_index=True)
    wait_time = models.CharField(max_length=200, blank=True)
    accreditations = models.TextField(blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    accessibility_description = models.TextField(blank=True)
    alert = models.TextField(blank=True)
    by_appointment = models.BooleanField(default=False)
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    last_verified = models.DateField(null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    domains = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    # Denormalised position of the first location, for indexable distance filters.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["place", "status", "name"]),
            models.Index(fields=["place", "latitude", "longitude"]),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceLanguage(models.Model):
    """A language the service is offered in (spoken by staff or with an interpreter)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(max_length=10, db_index=True)
    name = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="unique_service_language")
        ]

    def __str__(self) -> str:
        return self.code


class ServiceTargetGroup(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(max_length=30, choices=TargetGroup.choices, db_index=True)

    class Meta:
        ordering = ["group"]
        constraints = [
            models.UniqueConstraint(fields=["service", "group"], name="unique_target_group")
        ]

    def __str__(self) -> str:
        return self.group


class Location(PlaceOwned, TranslatableModel):
    translatable_fields = ("name", "description", "transportation")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(max_length=20, default="physical")
    name = models.CharField(max_length=300, blank=True)
    alternate_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    url = models.URLField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address_1 = models.CharField(max_length=300, blank=True)
    address_2 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=200, blank=True)
    state_province = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, default="GB")
    step_free_access = models.BooleanField(null=True, blank=True)
    accessibility_description = models.TextField(blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.address_1 or str(self.id)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Schedule(models.Model):
    """A weekly opening rule (RFC 5545 style, as HSDS has it), or a note ("by appointment")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=10, blank=True, default="WEEKLY")
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=60, blank=True)
    byweekno = models.CharField(max_length=60, blank=True)
    bymonthday = models.CharField(max_length=60, blank=True)
    byyearday = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(blank=True)
    attending_type = models.CharField(
        max_length=20, choices=AttendingType.choices, blank=True, default=AttendingType.IN_PERSON
    )
    notes = models.TextField(blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    class Meta:
        ordering = ["byday", "opens_at"]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class OpeningSlot(models.Model):
    """Derived from a service's schedules: one open interval within one weekday.

    Kept so "open now" is an indexed range query; rebuilt whenever schedules change.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_slots")
    weekday = models.PositiveSmallIntegerField()
    opens = models.PositiveSmallIntegerField(help_text=_("Minutes after midnight"))
    closes = models.PositiveSmallIntegerField(help_text=_("Minutes after midnight"))

    class Meta:
        indexes = [
            models.Index(fields=["weekday", "opens", "closes"]),
            # "Open now" of one service: a covering probe per candidate of a search.
            models.Index(fields=["service", "weekday", "opens", "closes"]),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class Closure(models.Model):
    """A holiday or temporary closure, from ``starts`` to ``ends`` inclusive."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closures")
    starts = models.DateField()
    ends = models.DateField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts"]

    def __str__(self) -> str:
        return f"{self.starts}–{self.ends}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    def __str__(self) -> str:
        return self.name or self.email


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=50)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=300, blank=True)

    hsds_extra = models.JSONField(
        default=dict, blank=True, help_text=_("HSDS properties not modelled here, kept for export.")
    )

    def __str__(self) -> str:
        return self.number


class ChangeRequest(models.Model):
    """A suggested edit or an outdated-information report from anyone, awaiting review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices, default=ChangeKind.EDIT)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="change_requests"
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    base_version = models.PositiveIntegerField()
    proposed = models.JSONField(default=dict, blank=True)
    # The values of the proposed fields as the suggester saw them (at ``base_version``): a
    # field whose current value differs was changed since, and the suggestion needs a review.
    base_values = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    applied = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.target}"

    @property
    def target(self) -> Service | Organization | None:
        return self.service or self.organization
