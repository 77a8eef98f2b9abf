"""Keeps derived data in step with changes.

- Search entries follow audited changes (the ``record.changed`` event).
- Every saved or deleted directory record bumps its place's content generation, so caches
  keyed on it (HSDS documents, the offline bundle's ETag) never serve what changed. Writers
  that bypass model signals (bulk imports, demo and synthetic loaders, ``QuerySet.update``)
  call :func:`commonhome.core.places.bump_content_generation` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from commonhome.core import events
from commonhome.core.models import Place, Translation
from commonhome.core.places import bump_content_generation

from .models import (
    Closure,
    Contact,
    Location,
    Offer,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTargetGroup,
    Taxonomy,
    TaxonomyTerm,
)


def _reindex(record: Any, **_: Any) -> None:
    from .services import index_services

    if isinstance(record, Service):
        index_services([record.pk])
    elif isinstance(record, Organization):
        index_services(list(record.services.values_list("pk", flat=True)))


events.subscribe("record.changed", _reindex)


# --- content generation ---------------------------------------------------------------------

#: Where a nested record's place is found: its own foreign keys to place-owned records.
_OWNERS = {"service_id": Service, "organization_id": Organization, "location_id": Location}


def _places_of(instance: Model) -> Q:
    """A filter of the places ``instance`` belongs to."""
    place_id = getattr(instance, "place_id", None)
    if place_id is not None:
        return Q(pk=place_id)
    found = Q(pk__in=[])
    for attname, model in _OWNERS.items():
        owner_id = getattr(instance, attname, None)
        if owner_id is not None:
            found |= Q(pk__in=model.objects.filter(pk=owner_id).values("place_id"))
    sal_id = getattr(instance, "service_at_location_id", None)
    if sal_id is not None:
        services = ServiceAtLocation.objects.filter(pk=sal_id).values("service_id")
        found |= Q(pk__in=Service.objects.filter(pk__in=services).values("place_id"))
    return found


def _changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    bump_content_generation(Place.objects.filter(_places_of(instance)))


def _translation_changed(sender: type[Model], instance: Translation, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    model = instance.content_type.model_class()
    if model is None or model._meta.app_label != "directory":
        return
    if any(f.name == "place" for f in model._meta.fields):
        owners = model._default_manager.filter(pk=instance.object_id).values("place_id")
        bump_content_generation(Place.objects.filter(pk__in=owners))
    else:  # taxonomy terms are shared by every place
        bump_content_generation()


def _shared_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        bump_content_generation()


def _domains_changed(sender: Any, instance: Model, action: str, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Service):
        bump_content_generation(Place.objects.filter(pk=instance.place_id))
    else:
        services = Service.objects.filter(pk__in=kwargs.get("pk_set") or ())
        bump_content_generation(Place.objects.filter(pk__in=services.values("place_id")))


for _model in (
    Service,
    Organization,
    Location,
    ServiceAtLocation,
    Schedule,
    Contact,
    Phone,
    ServiceLanguage,
    ServiceTargetGroup,
    Offer,
    Closure,
):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"generation-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"generation-del-{_model.__name__}")
for _model in (Taxonomy, TaxonomyTerm):
    post_save.connect(_shared_changed, sender=_model, dispatch_uid=f"gen-save-{_model.__name__}")
    post_delete.connect(_shared_changed, sender=_model, dispatch_uid=f"gen-del-{_model.__name__}")
post_save.connect(_translation_changed, sender=Translation, dispatch_uid="generation-tr-save")
post_delete.connect(_translation_changed, sender=Translation, dispatch_uid="generation-tr-del")
m2m_changed.connect(_domains_changed, sender=Service.domains.through, dispatch_uid="gen-domains")
