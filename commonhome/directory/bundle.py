"""The offline bundle: all public directory content of one place in one language.

A phone downloads it once and searches, filters and shows opening hours without a connection.
Building it costs a fixed number of queries whatever the number of services; its ETag comes
from the place's content generation, so an unchanged bundle is answered with 304 without being
built, and a built bundle is kept (compressed and not) under its ETag for other clients.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import CharField, Model, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from commonhome.core.models import Place, Translation
from commonhome.core.translation import localize

from .constants import DOMAIN_TAXONOMY_ID, ServiceStatus
from .hsds.perf import TranslatedRow
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
    TaxonomyTerm,
)

# Bump when the shape of the bundle changes, so clients holding an old ETag get the new shape.
BUNDLE_FORMAT = 1
PUBLIC_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
# What the bundle shows of a service besides its texts; loading only these keeps building fast.
SERVICE_FIELDS = (
    "status",
    "is_free",
    "by_appointment",
    "url",
    "email",
    "minimum_age",
    "maximum_age",
    "latitude",
    "longitude",
)
LOCATION_FIELDS = (
    "organization_id",
    "address_1",
    "address_2",
    "city",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "step_free_access",
)


def public_services(place: Place) -> QuerySet[Service]:
    return Service.objects.filter(place=place, status__in=PUBLIC_STATUSES)


def _with_translations(
    records: list[Any], model: type[Model], ids: QuerySet[Any], language: str
) -> list[Any]:
    """Give each record its translation into ``language`` (or none) in one query.

    The records' translation cache is filled directly, the way ``translation_for`` reads it:
    Django's generic prefetch builds one filtered queryset per record, which costs more than
    the whole rest of the bundle at a few thousand services.
    """
    found = {
        tr.object_id: tr
        for tr in Translation.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            language=language,
            object_id__in=ids,
        )
    }
    for record in records:
        translation = found.get(record.pk)
        record._prefetched_objects_cache = {"translations": [translation] if translation else []}
    return records


def _records(
    qs: QuerySet[Any], model: type[Model], columns: Sequence[str], language: str
) -> list[TranslatedRow]:
    """The rows of ``qs`` as plain records, each with its translation into ``language``.

    Plain rows instead of model instances: building a few thousand instances was most of the
    cost of a bundle. ``localize`` reads a :class:`TranslatedRow` as it reads a model.
    """
    names = list(
        dict.fromkeys(
            ["id", "key", "source_language", "content_version", *model.translatable_fields]
            + list(columns)
        )
    )
    fields: tuple[str, ...] = model.translatable_fields  # type: ignore[attr-defined]
    rows = [
        TranslatedRow(dict(zip(names, values, strict=True)), fields)
        for values in qs.annotate(key=_key("id")).values_list(*names)
    ]
    found = {
        tr.object_id: tr
        for tr in Translation.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            language=language,
            object_id__in=qs.values("pk"),
        )
    }
    for row in rows:
        row.translation = found.get(row.pk)
    return rows


def localized_texts(record: Any, language: str) -> dict[str, Any]:
    """The non-empty texts of ``record`` for a reader of ``language``, with their languages."""
    shown = localize(record, language)
    texts = {name: value for name, value in shown.texts.items() if value}
    return {
        "texts": texts,
        "text_languages": {name: shown.field_languages[name] for name in texts},
        "translation": str(shown.status),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _key(field: str) -> Cast:
    """An id as the database writes it in text: grouping by it skips a UUID object per row."""
    return Cast(field, output_field=CharField())


def _rows(
    rows: QuerySet[Any], owner: str, fields: tuple[str, ...], as_text: tuple[str, ...] = ()
) -> dict[str, list[dict[str, Any]]]:
    """``fields`` (and dates or times in ISO form, ``as_text``) of ``rows`` by owner key."""
    names = fields + as_text
    columns = [*fields, *(Cast(name, output_field=CharField()) for name in as_text)]
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, *values in rows.values_list(_key(owner), *columns):
        grouped[key].append(dict(zip(names, values, strict=True)))
    return grouped


def bundle_etag(place: Place, language: str) -> str:
    """A fingerprint of everything the bundle shows, at the cost of one small query.

    Every change of the place's content bumps its ``content_generation`` (model signals, and
    the bulk writers themselves); the date is part of it because the bundle leaves out
    closures that have ended.
    """
    generation = Place.objects.filter(pk=place.pk).values_list("content_generation", flat=True)
    parts = [BUNDLE_FORMAT, place.pk, generation.get(), language, timezone.localdate()]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


def build_bundle(place: Place, language: str) -> dict[str, Any]:
    """Every public service, organisation and location of ``place`` as ``language`` reads it."""
    services = _records(
        public_services(place).order_by("name", "pk"),
        Service,
        ("organization_id", "last_verified", *SERVICE_FIELDS),
        language,
    )
    in_place = {"service__place": place, "service__status__in": PUBLIC_STATUSES}
    domains = defaultdict(list)
    for key, code in Service.domains.through.objects.filter(**in_place).values_list(
        _key("service_id"), "taxonomyterm__code"
    ):
        domains[key].append(code)
    groups = defaultdict(list)
    for key, group in (
        ServiceTargetGroup.objects.filter(**in_place)
        .order_by("group")
        .values_list(_key("service_id"), "group")
    ):
        groups[key].append(group)
    at_locations = defaultdict(list)
    for key, location_id in ServiceAtLocation.objects.filter(**in_place).values_list(
        _key("service_id"), "location_id"
    ):
        at_locations[key].append(str(location_id))
    languages = _rows(
        ServiceLanguage.objects.filter(**in_place).order_by("code"),
        "service_id",
        ("code", "name", "note"),
    )
    schedules = _rows(
        Schedule.objects.filter(**in_place).order_by("byday", "opens_at"),
        "service_id",
        ("freq", "byday", "attending_type", "description", "notes"),
        as_text=("opens_at", "closes_at", "valid_from", "valid_to"),
    )
    closures = _rows(
        Closure.objects.filter(**in_place, ends__gte=timezone.localdate()).order_by("starts"),
        "service_id",
        ("reason",),
        as_text=("starts", "ends"),
    )
    contacts = _rows(Contact.objects.filter(**in_place), "service_id", ("name", "title", "email"))
    phones = _rows(Phone.objects.filter(**in_place), "service_id", ("number", "extension", "type"))

    service_rows = []
    for service in services:
        key = service.key
        service_rows.append(
            {
                "id": str(service.pk),
                **{name: getattr(service, name) for name in SERVICE_FIELDS},
                "organization": str(service.organization_id),
                "last_verified": _iso(service.last_verified),
                **localized_texts(service, language),
                "domains": sorted(domains.get(key, [])),
                "languages": languages.get(key, []),
                "target_groups": groups.get(key, []),
                "locations": at_locations.get(key, []),
                "schedules": schedules.get(key, []),
                "closures": closures.get(key, []),
                "contacts": contacts.get(key, []),
                "phones": phones.get(key, []),
            }
        )

    offers = _rows(
        Offer.objects.filter(organization__place=place).order_by("kind", "id"),
        "organization_id",
        ("kind", "description"),
    )
    org_contacts = _rows(
        Contact.objects.filter(organization__place=place, service__isnull=True),
        "organization_id",
        ("name", "title", "email"),
    )
    org_phones = _rows(
        Phone.objects.filter(organization__place=place, service__isnull=True, contact__isnull=True),
        "organization_id",
        ("number", "extension", "type"),
    )
    organization_rows = [
        {
            "id": str(org.pk),
            **localized_texts(org, language),
            "kind": org.kind,
            "migrant_led": org.migrant_led,
            "email": org.email,
            "website": org.website,
            "last_verified": _iso(org.last_verified),
            "offers": offers.get(org.key, []),
            "contacts": org_contacts.get(org.key, []),
            "phones": org_phones.get(org.key, []),
        }
        for org in _records(
            Organization.objects.filter(place=place).order_by("name", "pk"),
            Organization,
            ("kind", "migrant_led", "email", "website", "last_verified"),
            language,
        )
    ]
    location_rows = [
        {
            "id": str(loc.pk),
            "organization": str(loc.organization_id) if loc.organization_id else None,
            **localized_texts(loc, language),
            "address_1": loc.address_1,
            "address_2": loc.address_2,
            "city": loc.city,
            "postal_code": loc.postal_code,
            "country": loc.country,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "step_free_access": loc.step_free_access,
        }
        for loc in _records(
            Location.objects.filter(place=place).order_by("name", "pk"),
            Location,
            LOCATION_FIELDS,
            language,
        )
    ]
    domain_rows = [
        {"code": term.code, **localized_texts(term, language)}
        for term in _with_translations(
            list(TaxonomyTerm.objects.filter(taxonomy_id=DOMAIN_TAXONOMY_ID).order_by("code")),
            TaxonomyTerm,
            TaxonomyTerm.objects.filter(taxonomy_id=DOMAIN_TAXONOMY_ID).values("pk"),
            language,
        )
    ]
    return {
        "format": BUNDLE_FORMAT,
        "place": {
            "slug": place.slug,
            "name": place.name,
            "timezone": place.timezone,
            "center": [place.center_lat, place.center_lon],
            "verify_after_months": place.verify_after_months,
        },
        "language": language,
        "domains": domain_rows,
        "organizations": organization_rows,
        "locations": location_rows,
        "services": service_rows,
    }


def render_bundle(place: Place, language: str) -> bytes:
    """The bundle as compact UTF-8 JSON (scripts stay readable: no \\u escapes)."""
    return json.dumps(
        build_bundle(place, language), ensure_ascii=False, separators=(",", ":")
    ).encode()


def cached_bundle(place: Place, language: str, etag: str, gzipped: bool) -> bytes:
    """The rendered bundle for ``etag``, built once and kept while the ETag holds."""
    key = f"bundle:{etag}:{'gzip' if gzipped else 'plain'}"
    body: bytes | None = cache.get(key)
    if body is None:
        body = render_bundle(place, language)
        if gzipped:
            body = gzip.compress(body, compresslevel=6)
        cache.set(key, body, 24 * 60 * 60)
    return body
