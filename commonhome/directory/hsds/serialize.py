"""Directory records as Open Referral HSDS 3.0 objects, and the query sets that feed them.

Used by the HSDS API and by HSDS export, so both speak exactly the same HSDS.

Conventions
-----------
- Every function takes ``lang``: a language code serves each translatable text in that
  language where a translation exists (else the original, per field) and adds
  ``languages_of_text`` ({field: language}) to the object — HSDS allows extra properties and
  has no per-field language of its own. ``lang=None`` serves the original texts and adds no
  ``languages_of_text`` (what an export wants).
- Empty values are left out: HSDS types are not nullable, and an empty ``url`` is not a URI.
  Properties HSDS requires are always present.
- ``hsds_extra`` of a record holds the HSDS properties our model lacks, under their HSDS names,
  as HSDS JSON. It is merged under our own values, so unmodelled properties round-trip; for
  arrays we also fill (``attributes``, ``addresses``, ``cost_options``, ...) the extra items
  whose ``id`` we do not produce ourselves are kept after ours.
- Ids are the records' UUIDs. Objects we derive (an address from a location's fields, an
  attribute linking a domain, a cost option for a free service) get stable ``uuid5`` ids, so
  repeated exports and API calls agree.

Target groups ("women", "refugees", ...) have no place in HSDS 3.0 (eligibility became
attributes), so they are published as attributes whose terms belong to a taxonomy of our own,
"Common Home target groups", with stable uuid5 ids. That taxonomy is not stored: its terms come
from :class:`~commonhome.directory.constants.TargetGroup`, labelled through gettext, and the API
lists it with the stored taxonomies (:func:`target_group_taxonomy`,
:func:`target_group_terms`).

Nesting costs a constant number of queries: pass the query set through
:func:`services_queryset`, :func:`organizations_queryset`, :func:`service_at_locations_queryset`
or :func:`taxonomy_terms_queryset` with the same ``lang`` and flags before serialising.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf.locale import LANG_INFO
from django.db.models import Prefetch, QuerySet
from django.utils import translation

from commonhome.core.models import TranslatableModel, Translation
from commonhome.core.translation import localize

from ..constants import DOMAIN_TAXONOMY_ID, TargetGroup
from ..models import (
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"

#: Namespace of the uuid5 ids of objects derived from our records.
DERIVED_NAMESPACE = uuid.UUID("6f1d2c3a-8e47-4b5e-9a0c-3d2b1e4f5a60")
TARGET_GROUP_TAXONOMY_ID = uuid.uuid5(DERIVED_NAMESPACE, "taxonomy:target-groups")


def derived_id(kind: str, *parts: object) -> str:
    """A stable id for an object we derive (``kind`` names what it is)."""
    return str(uuid.uuid5(DERIVED_NAMESPACE, ":".join([kind, *map(str, parts)])))


def address_id(location: Location) -> str:
    """The id of a location's physical address: the imported one if known, else derived."""
    for item in _extra_list(location, "addresses"):
        if item.get("address_type", "physical") == "physical" and item.get("id"):
            return str(item["id"])
    return derived_id("address", location.pk)


def target_group_term_id(group: str) -> str:
    return str(uuid.uuid5(TARGET_GROUP_TAXONOMY_ID, group))


# --- small helpers ----------------------------------------------------------------------


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values; HSDS types are not nullable."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != []}


def _extra_list(record: Any, name: str) -> list[dict[str, Any]]:
    value = (getattr(record, "hsds_extra", None) or {}).get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _merge_list(ours: list[dict[str, Any]], record: Any, name: str) -> list[dict[str, Any]]:
    known = {item.get("id") for item in ours}
    return ours + [item for item in _extra_list(record, name) if item.get("id") not in known]


def _with_extra(record: Any, data: dict[str, Any], *merged: str) -> dict[str, Any]:
    """``data`` over the record's ``hsds_extra``; the arrays named in ``merged`` are joined."""
    extra = getattr(record, "hsds_extra", None) or {}
    if not extra:
        return data
    out = {**extra, **data}
    for name in merged:
        items = _merge_list(data.get(name, []), record, name)
        if items:
            out[name] = items
    return out


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _texts(record: TranslatableModel, lang: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The record's texts for ``lang`` and the language of each non-empty one."""
    if lang is None:
        return record.source_texts(), {}
    loaded = record.__dict__.get(LOADED + "translations")
    if loaded is not None:
        # Where TranslatableModel.translation_for looks for prefetched translations.
        record.__dict__.setdefault("_prefetched_objects_cache", {})["translations"] = loaded
    localized = localize(record, lang)
    languages = {
        name: localized.field_languages[name] for name, value in localized.texts.items() if value
    }
    return localized.texts, languages


def _with_languages(data: dict[str, Any], languages: dict[str, str]) -> dict[str, Any]:
    if languages:
        data["languages_of_text"] = languages
    return data


LOADED = "hsds_"


def prefetch(lookup: str, queryset: QuerySet[Any] | None = None) -> Prefetch:
    """Prefetch ``lookup`` into a plain list, ``hsds_<name>`` on each record.

    A list rather than the related manager's cache: Django then builds no query set per
    record and relation, which is most of the cost of a page of fully nested services.
    """
    return Prefetch(lookup, queryset=queryset, to_attr=LOADED + lookup.rsplit("__", 1)[-1])


def related(record: Any, name: str) -> list[Any]:
    """The records of relation ``name``: prefetched by :func:`prefetch`, else queried."""
    loaded = record.__dict__.get(LOADED + name)
    return loaded if loaded is not None else list(getattr(record, name).all())


def translations_prefetch(lang: str | None, path: str = "translations") -> list[Prefetch]:
    """Prefetch only the translations into ``lang`` (none at all for the originals)."""
    if lang is None:
        return []
    return [prefetch(path, Translation.objects.filter(language=lang))]


# --- taxonomies ---------------------------------------------------------------------------


def taxonomy(record: Taxonomy) -> dict[str, Any]:
    data = _clean(
        {
            "id": str(record.pk),
            "name": record.name,
            "uri": record.uri,
            "version": record.version,
        }
    )
    data["description"] = record.description
    return _with_extra(record, data, "metadata")


def taxonomy_term(
    term: TaxonomyTerm, lang: str | None, *, with_taxonomy: bool = True
) -> dict[str, Any]:
    """A taxonomy term; ``taxonomy_detail`` needs ``taxonomy`` selected with the term."""
    texts, languages = _texts(term, lang)
    data = _clean(
        {
            "id": str(term.pk),
            "code": term.code,
            "name": texts["name"],
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
            "language": term.language,
            "term_uri": term.term_uri,
        }
    )
    data["description"] = texts["description"]
    if term.taxonomy_id is not None:
        data["taxonomy"] = term.taxonomy.name
        if with_taxonomy:
            data["taxonomy_detail"] = taxonomy(term.taxonomy)
    return _with_languages(_with_extra(term, data, "metadata"), languages)


def target_group_taxonomy() -> dict[str, Any]:
    return {
        "id": str(TARGET_GROUP_TAXONOMY_ID),
        "name": "Common Home target groups",
        "description": "The groups of people a service is meant for.",
        "version": "1",
    }


@lru_cache(maxsize=64)
def _target_group_labels(lang: str) -> dict[str, tuple[str, str]]:
    """Label of each target group in ``lang`` and the language it is really in."""
    with translation.override("en"):
        english = {group.value: str(group.label) for group in TargetGroup}
    with translation.override(lang):
        local = {group.value: str(group.label) for group in TargetGroup}
    return {
        key: (local[key], lang if lang == "en" or local[key] != english[key] else "en")
        for key in english
    }


def target_group_term(group: str, lang: str | None) -> dict[str, Any]:
    name, name_lang = _target_group_labels(lang or "en")[group]
    data = {
        "id": target_group_term_id(group),
        "code": group,
        "name": name,
        "description": name,
        "taxonomy": target_group_taxonomy()["name"],
        "taxonomy_id": str(TARGET_GROUP_TAXONOMY_ID),
        "taxonomy_detail": target_group_taxonomy(),
    }
    if lang is not None:
        data["languages_of_text"] = {"name": name_lang, "description": name_lang}
    return data


def target_group_terms(lang: str | None) -> list[dict[str, Any]]:
    return [target_group_term(group.value, lang) for group in TargetGroup]


def _attribute(
    link_entity: str, link_id: Any, term: dict[str, Any], value: str = ""
) -> dict[str, Any]:
    return _clean(
        {
            "id": derived_id("attribute", link_entity, link_id, term["id"]),
            "link_id": str(link_id),
            "link_entity": link_entity,
            "link_type": "domain"
            if term.get("taxonomy_id") == DOMAIN_TAXONOMY_ID
            else "target_group"
            if term.get("taxonomy_id") == str(TARGET_GROUP_TAXONOMY_ID)
            else None,
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
            "value": value,
        }
    )


# --- shared pieces ------------------------------------------------------------------------


def phone(record: Phone) -> dict[str, Any]:
    extension = record.extension.strip()
    data = _clean(
        {
            "id": str(record.pk),
            "location_id": str(record.location_id) if record.location_id else None,
            "service_id": str(record.service_id) if record.service_id else None,
            "organization_id": str(record.organization_id) if record.organization_id else None,
            "contact_id": str(record.contact_id) if record.contact_id else None,
            "number": record.number,
            # HSDS types the extension as a number; a non-numeric one goes in the description.
            "extension": int(extension) if extension.isdigit() else None,
            "type": record.type,
            "description": " ".join(
                part
                for part in (record.description, "" if extension.isdigit() else extension)
                if part
            ),
        }
    )
    data["number"] = record.number
    return _with_extra(record, data, "languages", "attributes", "metadata")


def schedule(record: Schedule) -> dict[str, Any]:
    data = _clean(
        {
            "id": str(record.pk),
            "service_id": str(record.service_id) if record.service_id else None,
            "location_id": str(record.location_id) if record.location_id else None,
            "service_at_location_id": str(record.service_at_location_id)
            if record.service_at_location_id
            else None,
            "valid_from": _date(record.valid_from),
            "valid_to": _date(record.valid_to),
            "dtstart": _date(record.dtstart),
            # HSDS 3.0 types ``timezone`` as a UTC offset number; our zone names stay out.
            "until": _date(record.until),
            "count": record.count,
            "wkst": record.wkst.upper(),
            "freq": record.freq.upper(),
            "interval": record.interval,
            "byday": record.byday,
            "byweekno": record.byweekno,
            "bymonthday": record.bymonthday,
            "byyearday": record.byyearday,
            "description": record.description,
            "opens_at": _time(record.opens_at),
            "closes_at": _time(record.closes_at),
            "schedule_link": record.schedule_link,
            "attending_type": record.attending_type,
            "notes": record.notes,
        }
    )
    return _with_extra(record, data, "attributes", "metadata")


def contact(record: Contact) -> dict[str, Any]:
    """A contact; its phones come from ``contact.phones`` (prefetch them)."""
    data = _clean(
        {
            "id": str(record.pk),
            "organization_id": str(record.organization_id) if record.organization_id else None,
            "service_id": str(record.service_id) if record.service_id else None,
            "name": record.name,
            "title": record.title,
            "department": record.department,
            "email": record.email,
            "phones": [phone(p) for p in related(record, "phones")],
        }
    )
    return _with_extra(record, data, "phones", "attributes", "metadata")


# --- locations ----------------------------------------------------------------------------


def address(location: Location) -> dict[str, Any] | None:
    """The physical address of a location, or None when it has none."""
    if not (location.address_1 or location.city or location.postal_code):
        return None
    imported = next(
        (
            item
            for item in _extra_list(location, "addresses")
            if item.get("address_type", "physical") == "physical"
        ),
        {},
    )
    data = {
        **imported,
        "id": address_id(location),
        "location_id": str(location.pk),
        "address_1": location.address_1,
        "city": location.city,
        "state_province": location.state_province,
        "postal_code": location.postal_code,
        "country": location.country,
        "address_type": "physical",
    }
    data.update(
        _clean({"address_2": location.address_2, "region": location.region}),
    )
    return data


def location_basic(location: Location, lang: str | None) -> dict[str, Any]:
    """A location's one-to-one properties (as in HSDS list pages)."""
    texts, languages = _texts(location, lang)
    data = _clean(
        {
            "id": str(location.pk),
            "location_type": location.location_type or "physical",
            "url": location.url,
            "organization_id": str(location.organization_id) if location.organization_id else None,
            "name": texts["name"],
            "alternate_name": location.alternate_name,
            "description": texts["description"],
            "transportation": texts["transportation"],
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
    extra = location.hsds_extra or {}
    for name in ("external_identifier", "external_identifier_type"):
        if extra.get(name):
            data[name] = extra[name]
    return _with_languages(data, languages)


def location_full(location: Location, lang: str | None) -> dict[str, Any]:
    """A location with its address, phones, schedules and accessibility.

    Needs ``phones``, ``schedules`` (and the translations into ``lang``) prefetched:
    see :func:`location_prefetches`.
    """
    data = location_basic(location, lang)
    languages = data.pop("languages_of_text", None)
    own_address = address(location)
    data["addresses"] = [own_address] if own_address else []
    if own_address:
        # The imported physical address was merged into ours; keep only the others.
        data["addresses"] += [
            item
            for item in _extra_list(location, "addresses")
            if item.get("address_type", "physical") != "physical"
        ]
    else:
        data["addresses"] = _extra_list(location, "addresses")
    data["phones"] = [phone(p) for p in related(location, "phones")]
    data["schedules"] = [schedule(s) for s in related(location, "schedules")]
    accessibility = []
    if location.accessibility_description or location.step_free_access is not None:
        step_free = {True: "step-free access", False: "no step-free access"}.get(
            location.step_free_access,  # type: ignore[arg-type]
            "",
        )
        accessibility.append(
            _clean(
                {
                    "id": derived_id("accessibility", location.pk),
                    "location_id": str(location.pk),
                    "description": location.accessibility_description,
                    "details": step_free,
                }
            )
        )
    data["accessibility"] = accessibility
    out = _with_extra(
        location, _clean(data), "phones", "schedules", "accessibility", "languages", "contacts"
    )
    return _with_languages(out, languages or {})


def location_prefetches(prefix: str, lang: str | None) -> list[Any]:
    return [
        prefetch(f"{prefix}phones"),
        prefetch(f"{prefix}schedules"),
        *translations_prefetch(lang, f"{prefix}translations"),
    ]


# --- organizations ------------------------------------------------------------------------


def organization_basic(org: Organization, lang: str | None) -> dict[str, Any]:
    """An organization's one-to-one properties (as in list pages and nested in services)."""
    texts, languages = _texts(org, lang)
    data = _clean(
        {
            "id": str(org.pk),
            "name": texts["name"],
            "alternate_name": texts["alternate_name"],
            "email": org.email,
            "website": org.website,
            "tax_status": org.tax_status,
            "tax_id": org.tax_id,
            "year_incorporated": org.year_incorporated,
            "legal_status": org.legal_status,
            "logo": org.logo,
            "uri": org.uri,
            "parent_organization_id": str(org.parent_organization_id)
            if org.parent_organization_id
            else None,
        }
    )
    data["description"] = texts["description"]
    return _with_languages(data, languages)


def organization_full(
    org: Organization, lang: str | None, *, services: str = "basic"
) -> dict[str, Any]:
    """An organization with contacts, phones, locations and its services.

    ``services`` is "basic" (one-to-one properties), "full" (fully nested) or "none".
    Prefetch with :func:`organizations_queryset` using the same ``lang`` and ``services``.
    """
    data = organization_basic(org, lang)
    languages = data.pop("languages_of_text", None)
    data["contacts"] = [contact(c) for c in related(org, "contacts")]
    data["phones"] = [phone(p) for p in related(org, "phones")]
    data["locations"] = [location_full(loc, lang) for loc in related(org, "locations")]
    if services == "full":
        data["services"] = [
            service_full(s, lang, with_organization=False) for s in related(org, "services")
        ]
    elif services == "basic":
        data["services"] = [
            service_basic(s, lang, with_organization=False) for s in related(org, "services")
        ]
    out = _with_extra(
        org,
        _clean(data),
        "contacts",
        "phones",
        "locations",
        "attributes",
        "metadata",
        "funding",
        "programs",
        "organization_identifiers",
    )
    if "services" in data:
        out["services"] = data["services"]
    return _with_languages(out, languages or {})


def organizations_queryset(
    qs: QuerySet[Organization], lang: str | None, *, services: str = "basic", full: bool = True
) -> QuerySet[Organization]:
    """``qs`` with everything :func:`organization_full` (or, unless ``full``, basic) reads."""
    qs = qs.prefetch_related(*translations_prefetch(lang))
    if not full:
        return qs
    qs = qs.prefetch_related(
        prefetch("phones"),
        prefetch("contacts", Contact.objects.prefetch_related(prefetch("phones"))),
        prefetch("locations", Location.objects.prefetch_related(*location_prefetches("", lang))),
    )
    if services != "none":
        qs = qs.prefetch_related(
            prefetch(
                "services",
                services_queryset(
                    Service.objects.all(), lang, full=services == "full", with_organization=False
                ),
            )
        )
    return qs


# --- services -----------------------------------------------------------------------------


def service_basic(
    service: Service, lang: str | None, *, with_organization: bool = True
) -> dict[str, Any]:
    """A service's one-to-one properties, with its organization's (as in list pages)."""
    texts, languages = _texts(service, lang)
    assured = max(
        (d for d in (service.last_verified, service.assured_date) if d is not None), default=None
    )
    data = _clean(
        {
            "id": str(service.pk),
            "organization_id": str(service.organization_id),
            "name": texts["name"],
            "alternate_name": texts["alternate_name"],
            "description": texts["description"],
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "interpretation_services": service.interpretation_services,
            "application_process": texts["application_process"],
            "fees_description": texts["fees_description"],
            "wait_time": service.wait_time,
            "accreditations": service.accreditations,
            "eligibility_description": texts["eligibility_description"],
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _date(assured),
            "assurer_email": service.assurer_email,
            "alert": texts["alert"],
            "last_modified": _datetime(service.updated_at),
        }
    )
    extra = service.hsds_extra or {}
    for name in ("program_id", "fees", "licenses"):
        if extra.get(name):
            data[name] = extra[name]
    if with_organization:
        data["organization"] = organization_basic(service.organization, lang)
    return _with_languages(data, languages)


def service_minimal(service: Service) -> dict[str, Any]:
    """What ``?minimal=true`` lists: the id and when it changed, plus what HSDS requires."""
    return {
        "id": str(service.pk),
        "name": service.name,
        "status": service.status,
        "last_modified": _datetime(service.updated_at),
    }


def cost_options(service: Service) -> list[dict[str, Any]]:
    """Imported cost options as they came; else a "free" option for a free service."""
    imported = _extra_list(service, "cost_options")
    if imported or not service.is_free:
        return imported
    return [
        {
            "id": derived_id("cost_option", service.pk, "free"),
            "service_id": str(service.pk),
            "option": "free",
            "amount": 0,
        }
    ]


def language(record: Any) -> dict[str, Any]:
    name = record.name or LANG_INFO.get(record.code, {}).get("name", "")
    return _clean(
        {
            "id": str(record.pk),
            "service_id": str(record.service_id),
            "name": name,
            "code": record.code,
            "note": record.note,
        }
    )


TARGET_GROUPS = frozenset(TargetGroup.values)


def service_attributes(service: Service, lang: str | None) -> list[dict[str, Any]]:
    """Domains and other linked terms, then target groups, as HSDS attributes."""
    attributes = [
        _attribute("service", service.pk, taxonomy_term(term, lang))
        for term in related(service, "domains")
    ]
    attributes += [
        _attribute("service", service.pk, target_group_term(tg.group, lang))
        for tg in related(service, "target_groups")
        if tg.group in TARGET_GROUPS
    ]
    return attributes


def service_at_location_basic(sal: ServiceAtLocation) -> dict[str, Any]:
    data = _clean(
        {
            "id": str(sal.pk),
            "service_id": str(sal.service_id),
            "location_id": str(sal.location_id),
            "description": sal.description,
        }
    )
    return data


def service_full(
    service: Service,
    lang: str | None,
    *,
    with_organization: bool = True,
    with_locations: bool = True,
) -> dict[str, Any]:
    """A fully nested service (``GET /services/{id}``).

    Prefetch with :func:`services_queryset` using the same ``lang`` and flags.
    """
    data = service_basic(service, lang, with_organization=with_organization)
    languages = data.pop("languages_of_text", None)
    data["languages"] = [language(sl) for sl in related(service, "languages")]
    data["attributes"] = service_attributes(service, lang)
    data["cost_options"] = cost_options(service)
    data["phones"] = [phone(p) for p in related(service, "phones")]
    data["contacts"] = [contact(c) for c in related(service, "contacts")]
    data["schedules"] = [schedule(s) for s in related(service, "schedules")]
    if with_locations:
        data["service_at_locations"] = [
            _service_at_location_nested(sal, lang)
            for sal in related(service, "service_at_locations")
        ]
    out = _with_extra(
        service,
        data,
        "languages",
        "attributes",
        "phones",
        "contacts",
        "schedules",
        "service_at_locations",
        "metadata",
        "funding",
        "service_areas",
        "required_documents",
    )
    return _with_languages(out, languages or {})


def _service_at_location_nested(sal: ServiceAtLocation, lang: str | None) -> dict[str, Any]:
    data = service_at_location_basic(sal)
    data["schedules"] = [schedule(s) for s in related(sal, "schedules")]
    data["location"] = location_full(sal.location, lang)
    return _with_extra(sal, _clean(data), "schedules", "contacts", "phones", "attributes")


def services_queryset(
    qs: QuerySet[Service],
    lang: str | None,
    *,
    full: bool = True,
    with_organization: bool = True,
    with_locations: bool = True,
) -> QuerySet[Service]:
    """``qs`` with everything :func:`service_full` (or, unless ``full``, basic) reads."""
    if with_organization:
        qs = qs.select_related("organization").prefetch_related(
            *translations_prefetch(lang, "organization__translations")
        )
    qs = qs.prefetch_related(*translations_prefetch(lang))
    if not full:
        return qs
    qs = qs.prefetch_related(
        prefetch("languages"),
        prefetch("target_groups"),
        prefetch("phones"),
        prefetch("schedules"),
        prefetch("contacts", Contact.objects.prefetch_related(prefetch("phones"))),
        prefetch(
            "domains",
            TaxonomyTerm.objects.select_related("taxonomy").prefetch_related(
                *translations_prefetch(lang)
            ),
        ),
    )
    if with_locations:
        qs = qs.prefetch_related(
            prefetch(
                "service_at_locations",
                ServiceAtLocation.objects.select_related("location").prefetch_related(
                    prefetch("schedules"), *location_prefetches("location__", lang)
                ),
            )
        )
    return qs


# --- service at location ------------------------------------------------------------------


def service_at_location_list_item(sal: ServiceAtLocation, lang: str | None) -> dict[str, Any]:
    """A service at a location with the one-to-one properties of both (list pages)."""
    data = service_at_location_basic(sal)
    data["location"] = location_basic(sal.location, lang)
    data["service"] = service_basic(sal.service, lang)
    return _with_extra(sal, data)


def service_at_location_full(sal: ServiceAtLocation, lang: str | None) -> dict[str, Any]:
    """A fully nested service at a location (``GET /service_at_locations/{id}``)."""
    data = _service_at_location_nested(sal, lang)
    data["service"] = service_full(sal.service, lang, with_locations=False)
    return data


def service_at_locations_queryset(
    qs: QuerySet[ServiceAtLocation], lang: str | None, *, full: bool = True
) -> QuerySet[ServiceAtLocation]:
    """``qs`` with everything :func:`service_at_location_full` (or the list item) reads."""
    qs = qs.select_related("location").prefetch_related(
        *translations_prefetch(lang, "location__translations")
    )
    if not full:
        return qs.select_related("service__organization").prefetch_related(
            *translations_prefetch(lang, "service__translations"),
            *translations_prefetch(lang, "service__organization__translations"),
        )
    # The service is prefetched, not joined: a joined one would skip its nested prefetches.
    service_qs = services_queryset(Service.objects.all(), lang, with_locations=False)
    return qs.prefetch_related(
        prefetch("schedules"),
        prefetch("location__phones"),
        prefetch("location__schedules"),
        Prefetch("service", queryset=service_qs),
    )


def taxonomy_terms_queryset(qs: QuerySet[TaxonomyTerm], lang: str | None) -> QuerySet[TaxonomyTerm]:
    return qs.select_related("taxonomy").prefetch_related(*translations_prefetch(lang))


def content_languages(items: Iterable[dict[str, Any]]) -> list[str]:
    """Every language the texts of these objects (top level) are in, most used first."""
    counts: dict[str, int] = {}
    for item in items:
        for code in (item.get("languages_of_text") or {}).values():
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda code: -counts[code])
