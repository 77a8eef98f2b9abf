"""Django admin for raw data entry by operators.

Saves and deletions made here are written to the audit log like any other change, and bump the
record's version so an edit form opened elsewhere cannot overwrite them silently.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonhome.core.admin import AuditedAdmin

from . import models as d


@admin.register(d.Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "uri", "version"]
    search_fields = ["name"]


@admin.register(d.TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "taxonomy", "parent"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]


class OfferInline(admin.TabularInline):
    model = d.Offer
    extra = 0


@admin.register(d.Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "place", "kind", "migrant_led", "last_verified"]
    list_filter = ["place", "kind", "migrant_led", "is_demo"]
    search_fields = ["name", "alternate_name"]
    filter_horizontal = ["editors"]
    inlines = [OfferInline]
    readonly_fields = ["version", "content_version"]


class ServiceLanguageInline(admin.TabularInline):
    model = d.ServiceLanguage
    extra = 0


class ServiceTargetGroupInline(admin.TabularInline):
    model = d.ServiceTargetGroup
    extra = 0


class ClosureInline(admin.TabularInline):
    model = d.Closure
    extra = 0


@admin.register(d.Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ["name", "organization", "place", "status", "last_verified"]
    list_filter = ["place", "status", "is_free", "is_demo"]
    search_fields = ["name", "alternate_name", "organization__name"]
    raw_id_fields = ["organization"]
    filter_horizontal = ["domains"]
    inlines = [ServiceLanguageInline, ServiceTargetGroupInline, ClosureInline]
    readonly_fields = ["version", "content_version"]


@admin.register(d.Location)
class LocationAdmin(AuditedAdmin):
    list_display = ["__str__", "organization", "city", "postal_code"]
    list_filter = ["place"]
    search_fields = ["name", "address_1", "postal_code"]
    raw_id_fields = ["organization"]
    readonly_fields = ["version", "content_version"]


@admin.register(d.ServiceAtLocation)
class ServiceAtLocationAdmin(admin.ModelAdmin):
    list_display = ["service", "location"]
    raw_id_fields = ["service", "location"]


@admin.register(d.Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "service", "location", "freq"]
    raw_id_fields = ["service", "location", "service_at_location"]


@admin.register(d.Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "service"]
    raw_id_fields = ["organization", "service"]


@admin.register(d.Phone)
class PhoneAdmin(admin.ModelAdmin):
    list_display = ["number", "organization", "service", "location"]
    raw_id_fields = ["organization", "service", "location", "contact"]


@admin.register(d.ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """Read-only here: suggestions are decided on the review pages, where decisions are audited."""

    list_display = ["__str__", "place", "kind", "status", "created_at"]
    list_filter = ["place", "kind", "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
