"""Django admin for raw data entry by operators: places, people, roles; a read-only audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import AuditEntry, Membership, Place, Translation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["place"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "default_language", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Language", {"fields": ["preferred_language"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "place", "role", "created_at"]
    list_filter = ["role", "place"]
    search_fields = ["user__username", "user__email", "place__name"]
    autocomplete_fields = ["user", "place"]


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "language", "origin", "source_version", "reviewed_at"]
    list_filter = ["language", "origin", "content_type"]
    raw_id_fields = ["reviewed_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services, never edited by hand."""

    list_display = ["at", "actor_label", "action", "object_repr", "place"]
    list_filter = ["action", "place"]
    search_fields = ["object_repr", "actor_label", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
