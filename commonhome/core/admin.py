"""Django admin for raw data entry by operators: places, people, roles; a read-only audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.http import HttpRequest

from . import audit, events
from .models import AuditEntry, Membership, Place, Translation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["place"]


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions here are audited and bump the version, like any other change."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = list(form.changed_data) if change else []
        fields = [f for f in fields if isinstance(obj._meta.get_field(f), models.Field)]
        before = {}
        if change and fields:
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk), fields)
        if change and hasattr(obj, "version"):
            obj.version += 1
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            "admin_change" if change else "admin_create",
            obj,
            before=before,
            after=audit.snapshot(obj, fields),
        )
        events.emit("record.changed", record=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(request.user, "admin_delete", obj, note=f"deleted {obj}")
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows records; changes happen on the staff pages, where they are audited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
