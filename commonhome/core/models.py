"""The foundation every app builds on: places, people and roles, audit log, translations."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import PlaceKind, Role, TranslationOrigin


class Place(models.Model):
    """A city, region or network that owns content. Every query of owned content is scoped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.CITY)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    default_language = models.CharField(max_length=10, default="en")
    languages = models.JSONField(
        default=list, help_text=_("Content languages offered, as language codes.")
    )
    timezone = models.CharField(max_length=64, default="Europe/London")
    center_lat = models.FloatField(default=0.0)
    center_lon = models.FloatField(default=0.0)
    zoom = models.PositiveSmallIntegerField(default=12)
    bounds = models.JSONField(
        default=list, blank=True, help_text=_("[min_lat, min_lon, max_lat, max_lon]")
    )
    verify_after_months = models.PositiveSmallIntegerField(
        default=12, help_text=_("Records not verified for this many months are flagged.")
    )
    is_public = models.BooleanField(default=True)
    # Grows with every change of the place's content; caches are keyed on it.
    content_generation = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def content_languages(self) -> list[str]:
        langs = list(self.languages or [])
        if self.default_language not in langs:
            langs.insert(0, self.default_language)
        return langs


class User(AbstractUser):
    """A person with an account: staff, moderators, organisation editors, contributors."""

    preferred_language = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["username"]


class Membership(models.Model):
    """A person's role in a place. Organisation editors are linked in the directory app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "place", "role"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.place}"


class AuditEntry(models.Model):
    """Who changed what, when, with the values before and after; the basis of revert."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=200, blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        keys = set(self.before) | set(self.after)
        return sorted(k for k in keys if self.before.get(k) != self.after.get(k))


class Translation(models.Model):
    """One language version of a translatable record's texts.

    ``source_version`` is the record's ``content_version`` the translation was made from; the
    status (missing, outdated, machine, human, reviewed) is derived, never stored.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField()
    record = GenericForeignKey("content_type", "object_id")
    language = models.CharField(max_length=10)
    fields = models.JSONField(default=dict)
    source_version = models.PositiveIntegerField()
    origin = models.CharField(
        max_length=10, choices=TranslationOrigin.choices, default=TranslationOrigin.HUMAN
    )
    provider = models.CharField(max_length=60, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="unique_translation"
            )
        ]
        indexes = [models.Index(fields=["content_type", "language"])]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.object_id} [{self.language}]"


class TranslatableModel(models.Model):
    """A record whose texts have a source language and translations.

    ``content_version`` grows with every edit of the texts that is not marked minor; a
    translation made from an older version is outdated. ``version`` grows with every save and
    guards against concurrent edits overwriting each other.
    """

    translatable_fields: ClassVar[tuple[str, ...]] = ()

    source_language = models.CharField(max_length=10, default="en")
    content_version = models.PositiveIntegerField(default=1)
    version = models.PositiveIntegerField(default=1)
    translations = GenericRelation(Translation)

    class Meta:
        abstract = True

    def source_texts(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in self.translatable_fields}

    def translation_for(self, language: str) -> Translation | None:
        """The translation into ``language``; uses prefetched translations when present."""
        cache: Any = getattr(self, "_prefetched_objects_cache", {})
        if "translations" in cache:
            return next((t for t in cache["translations"] if t.language == language), None)
        return self.translations.filter(language=language).first()


class PlaceOwned(models.Model):
    """Content owned by a place; every query of it is scoped to a place."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        abstract = True


class SearchEntry(models.Model):
    """Normalised text of one record in one language, as the search backends index it."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    object_id = models.UUIDField()
    language = models.CharField(max_length=10)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="unique_search_entry"
            )
        ]
        indexes = [models.Index(fields=["place", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} [{self.language}]"
