"""The fast read path of HSDS service pages: plain rows instead of model instances.

A page of 50 fully nested services touches about a thousand stored rows. Building a model
instance for each through ``prefetch_related`` was most of the cost of the page, so here each
table is read once with ``values_list`` (the same columns and the same database converters as
the models), grouped by parent in Python and wrapped in :class:`Row` objects. ``serialize``
reads a row exactly as it reads a model instance (attributes, ``pk``, relations under the
names :func:`serialize.related` looks for), so the HSDS objects come out of the very same
functions; and a :class:`TranslatedRow` answers ``source_texts``/``translation_for`` like a
``TranslatableModel``, so ``core.translation.localize`` applies its status rules unchanged.

A page costs a constant number of queries: the services with their organizations, then one
query per child table (service at locations with their locations, contacts, phones, schedules,
languages, target groups, domain terms with their taxonomies) and one for every translation
into the requested language. Relations keep the order the prefetching path gives them: the
model's ``Meta.ordering`` where it has one, otherwise the database's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from commonhome.core.models import Translation
from commonhome.core.translation import STATUS_FIELDS

from ..models import (
    Contact,
    Location,
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
from .serialize import LOADED


class Row:
    """The stored values of one record, read like a model instance."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.pk = values.get("id")


class TranslatedRow(Row):
    """A row of a translatable model, with its one translation into the requested language."""

    def __init__(self, values: dict[str, Any], translatable_fields: tuple[str, ...]) -> None:
        super().__init__(values)
        self.translatable_fields = translatable_fields
        self.translation: Row | None = None

    def source_texts(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in self.translatable_fields}

    def translation_for(self, language: str) -> Row | None:
        found = self.translation
        return found if found is not None and found.language == language else None


TRANSLATION_COLUMNS = ("content_type_id", "object_id", *STATUS_FIELDS)


#: Columns no HSDS object shows; not reading them spares their conversion on every row.
UNUSED_COLUMNS = frozenset({"place_id", "created_at", "reminded_at", "is_demo"})


def _columns(model: type[Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.attname not in UNUSED_COLUMNS
    ]


def _values(row: Sequence[Any], columns: Sequence[str], start: int = 0) -> dict[str, Any]:
    return dict(zip(columns, row[start : start + len(columns)], strict=True))


def _prefixed(prefix: str, columns: Iterable[str]) -> list[str]:
    return [prefix + column for column in columns]


def _attach(parents: dict[Any, Any], key: Any, name: str, row: Any) -> None:
    """Append ``row`` to relation ``name`` of the parent with id ``key``, if it is loaded."""
    parent = parents.get(key)
    if parent is not None:
        parent.__dict__[LOADED + name].append(row)


def _start(rows: Iterable[Any], *names: str) -> None:
    for row in rows:
        for name in names:
            row.__dict__[LOADED + name] = []


def _page_rows(page: QuerySet[Service]) -> QuerySet[Service]:
    """The page's services; a slice is re-read by id so only its ids are sorted in full."""
    if not page.query.is_sliced:
        return page
    ordering = page.query.order_by or Service._meta.ordering
    return Service.objects.filter(pk__in=page.values("pk")).order_by(*ordering)


def load_services(
    page: QuerySet[Service], lang: str | None, *, full: bool = True
) -> list[TranslatedRow]:
    """The services of ``page`` with their organizations, and, if ``full``, every relation
    :func:`serialize.service_full` nests; texts translated into ``lang`` are attached."""
    service_columns, org_columns = _columns(Service), _columns(Organization)
    rows = _page_rows(page).values_list(*service_columns, *_prefixed("organization__", org_columns))
    services: dict[Any, TranslatedRow] = {}
    organizations: dict[Any, TranslatedRow] = {}
    for row in rows:
        service = TranslatedRow(_values(row, service_columns), Service.translatable_fields)
        org_values = _values(row, org_columns, len(service_columns))
        org = organizations.get(org_values["id"])
        if org is None:
            org = TranslatedRow(org_values, Organization.translatable_fields)
            organizations[org.pk] = org
        service.organization = org
        services[service.pk] = service
    translated: dict[type[Model], dict[Any, TranslatedRow]] = {
        Service: services,
        Organization: organizations,
    }
    if full and services:
        translated.update(_load_relations(services))
    if lang is not None:
        _load_translations(translated, lang)
    return list(services.values())


def _load_relations(
    services: dict[Any, TranslatedRow],
) -> dict[type[Model], dict[Any, TranslatedRow]]:
    """Every relation of the services that ``service_full`` reads; returns the translatable
    rows it loaded (locations and domain terms) so their translations can be attached."""
    ids = list(services)
    _start(
        services.values(),
        "languages",
        "target_groups",
        "phones",
        "schedules",
        "contacts",
        "domains",
        "service_at_locations",
    )

    sal_columns, location_columns = _columns(ServiceAtLocation), _columns(Location)
    sals: dict[Any, Row] = {}
    locations: dict[Any, TranslatedRow] = {}
    for row in ServiceAtLocation.objects.filter(service_id__in=ids).values_list(
        *sal_columns, *_prefixed("location__", location_columns)
    ):
        sal = Row(_values(row, sal_columns))
        location_values = _values(row, location_columns, len(sal_columns))
        location = locations.get(location_values["id"])
        if location is None:
            location = TranslatedRow(location_values, Location.translatable_fields)
            _start([location], "phones", "schedules")
            locations[location.pk] = location
        sal.location = location
        _start([sal], "schedules")
        sals[sal.pk] = sal
        _attach(services, sal.service_id, "service_at_locations", sal)

    contact_columns = _columns(Contact)
    contacts: dict[Any, Row] = {}
    for row in Contact.objects.filter(service_id__in=ids).values_list(*contact_columns):
        contact = Row(_values(row, contact_columns))
        _start([contact], "phones")
        contacts[contact.pk] = contact
        _attach(services, contact.service_id, "contacts", contact)

    phone_columns = _columns(Phone)
    phone_owners = Q(service_id__in=ids)
    if contacts:
        phone_owners |= Q(contact_id__in=list(contacts))
    if locations:
        phone_owners |= Q(location_id__in=list(locations))
    for row in Phone.objects.filter(phone_owners).values_list(*phone_columns):
        phone = Row(_values(row, phone_columns))
        _attach(services, phone.service_id, "phones", phone)
        _attach(contacts, phone.contact_id, "phones", phone)
        _attach(locations, phone.location_id, "phones", phone)

    schedule_columns = _columns(Schedule)
    schedule_owners = Q(service_id__in=ids)
    if locations:
        schedule_owners |= Q(location_id__in=list(locations))
    if sals:
        schedule_owners |= Q(service_at_location_id__in=list(sals))
    for row in Schedule.objects.filter(schedule_owners).values_list(*schedule_columns):
        schedule = Row(_values(row, schedule_columns))
        _attach(services, schedule.service_id, "schedules", schedule)
        _attach(locations, schedule.location_id, "schedules", schedule)
        _attach(sals, schedule.service_at_location_id, "schedules", schedule)

    for model, name in ((ServiceLanguage, "languages"), (ServiceTargetGroup, "target_groups")):
        columns = _columns(model)
        for row in model.objects.filter(service_id__in=ids).values_list(*columns):
            item = Row(_values(row, columns))
            _attach(services, item.service_id, name, item)

    term_columns, taxonomy_columns = _columns(TaxonomyTerm), _columns(Taxonomy)
    terms: dict[Any, TranslatedRow] = {}
    links = (
        Service.domains.through.objects.filter(service_id__in=ids)
        .order_by(*_prefixed("taxonomyterm__", TaxonomyTerm._meta.ordering))
        .values_list(
            "service_id",
            *_prefixed("taxonomyterm__", term_columns),
            *_prefixed("taxonomyterm__taxonomy__", taxonomy_columns),
        )
    )
    for row in links:
        term_values = _values(row, term_columns, 1)
        term = terms.get(term_values["id"])
        if term is None:
            term = TranslatedRow(term_values, TaxonomyTerm.translatable_fields)
            taxonomy_values = _values(row, taxonomy_columns, 1 + len(term_columns))
            term.taxonomy = Row(taxonomy_values) if term.taxonomy_id is not None else None
            terms[term.pk] = term
        _attach(services, row[0], "domains", term)
    return {Location: locations, TaxonomyTerm: terms}


def _load_translations(translated: dict[type[Model], dict[Any, TranslatedRow]], lang: str) -> None:
    """Attach each row's translation into ``lang``, in one query for every table."""
    by_type = {
        ContentType.objects.get_for_model(model).pk: rows
        for model, rows in translated.items()
        if rows
    }
    ids = [pk for rows in by_type.values() for pk in rows]
    if not ids:
        return
    found = Translation.objects.filter(
        language=lang, content_type_id__in=list(by_type), object_id__in=ids
    ).values_list(*TRANSLATION_COLUMNS)
    for row in found:
        values = _values(row, TRANSLATION_COLUMNS)
        record = by_type[values["content_type_id"]].get(values["object_id"])
        if record is not None:
            record.translation = Row(values)
