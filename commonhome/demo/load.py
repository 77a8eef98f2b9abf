"""Loading the West Midlands demo: places, accounts and directory content, idempotently.

Ids are derived from stable keys (uuid5), and a new load first removes the previous demo
content of the demo places, so loading twice leaves exactly one copy. Records that are not
marked ``is_demo`` are never touched.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf.locale import LANG_INFO
from django.db import transaction
from django.utils import timezone

from commonhome.core import audit, search
from commonhome.core.constants import PlaceKind, Role, TranslationOrigin
from commonhome.core.models import Membership, Place, User
from commonhome.core.places import PlaceInput, bump_content_generation, create_place
from commonhome.core.translation import save_translation
from commonhome.directory.constants import (
    DOMAIN_TAXONOMY_ID,
    ChangeKind,
    ServiceStatus,
)
from commonhome.directory.models import (
    ChangeRequest,
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
)
from commonhome.directory.services import index_services, rebuild_opening_slots

from . import westmidlands as wm
from .matching import load_matching
from .participation import load_participation

DEMO_NAMESPACE = uuid.UUID("6c0f9a52-3f7e-4d0b-9a55-2b7e8f1d4c10")
# Names of spoken languages that Django's language table lacks.
LANGUAGE_NAMES = {"ku": "Kurdish", "am": "Amharic", "ti": "Tigrinya", "so": "Somali"}


def demo_id(*parts: str) -> uuid.UUID:
    """A stable id for a demo record, so a reload recreates the same ids."""
    return uuid.uuid5(DEMO_NAMESPACE, "/".join(parts))


def domain_id(code: str) -> uuid.UUID:
    return uuid.uuid5(uuid.UUID(DOMAIN_TAXONOMY_ID), code)


def language_name(code: str) -> str:
    return LANG_INFO.get(code, {}).get("name") or LANGUAGE_NAMES.get(code, code)


@dataclass
class LoadResult:
    region: Place
    cities: dict[str, Place]
    password: str
    accounts: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)
    # Private pages of a few demo people, by what they show (new tokens on every load).
    links: dict[str, str] = field(default_factory=dict)


def ensure_places() -> tuple[Place, dict[str, Place]]:
    """The region and its three cities, created on the first load."""
    region = Place.objects.filter(slug=wm.REGION["slug"]).first()
    if region is None:
        lat, lon = wm.REGION["center"]
        region = create_place(
            PlaceInput(
                slug=wm.REGION["slug"],
                name=wm.REGION["name"],
                kind=PlaceKind.REGION,
                languages=wm.LANGUAGES,
                center_lat=lat,
                center_lon=lon,
                zoom=wm.REGION["zoom"],
            )
        )
    cities: dict[str, Place] = {}
    for city in wm.CITIES:
        place = Place.objects.filter(slug=city.slug).first()
        if place is None:
            place = create_place(
                PlaceInput(
                    slug=city.slug,
                    name=city.name,
                    languages=wm.LANGUAGES,
                    center_lat=city.lat,
                    center_lon=city.lon,
                    parent_slug=region.slug,
                    bounds=[city.lat - 0.08, city.lon - 0.12, city.lat + 0.08, city.lon + 0.12],
                    zoom=13,
                )
            )
        cities[city.slug] = place
    return region, cities


def ensure_accounts(region: Place, cities: dict[str, Place], password: str) -> dict[str, User]:
    """Demo staff accounts, all with ``password`` (generated for each load, never stored)."""
    users: dict[str, User] = {}
    for username, (role, label) in wm.ACCOUNTS.items():
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": label[:150]},
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        places = [region, *cities.values()]
        if role in (Role.ADMIN, Role.MODERATOR):
            for place in places:
                Membership.objects.get_or_create(user=user, place=place, role=role)
        else:
            city_slug = wm.EDITOR_ORGANIZATION[0]
            Membership.objects.get_or_create(
                user=user, place=cities[city_slug], role=Role.CONTRIBUTOR
            )
        users[username] = user
    return users


def remove_previous_demo(cities: dict[str, Place]) -> None:
    old_services = Service.objects.filter(place__in=cities.values(), is_demo=True)
    search.remove("service", list(old_services.values_list("pk", flat=True)))
    Organization.objects.filter(place__in=cities.values(), is_demo=True).delete()


def _time(value: str) -> dt.time:
    hour, minute = value.split(":")
    return dt.time(int(hour), int(minute))


class _Batch:
    """Rows to insert, collected while walking the content, then written with bulk_create."""

    def __init__(self) -> None:
        self.rows: dict[type, list[Any]] = {}

    def add(self, row: Any) -> Any:
        self.rows.setdefault(type(row), []).append(row)
        return row

    def write(self) -> dict[str, int]:
        order = [
            Organization,
            Offer,
            Location,
            Service,
            ServiceAtLocation,
            ServiceLanguage,
            ServiceTargetGroup,
            Service.domains.through,
            Schedule,
            Closure,
            Contact,
            Phone,
            ChangeRequest,
        ]
        counts = {}
        for model in order:
            rows = self.rows.get(model, [])
            model.objects.bulk_create(rows, batch_size=500)
            counts[model._meta.model_name] = len(rows)
        return counts


def _build(cities: dict[str, Place], today: dt.date, batch: _Batch) -> dict[str, Any]:
    """Turn the content module into unsaved rows; returns records by key for later steps."""
    records: dict[str, Any] = {}
    phone_counter = 100
    for city_index, city in enumerate(wm.CITIES):
        place = cities[city.slug]
        for spec in wm.ORGANIZATIONS[city.slug]:
            org = batch.add(
                Organization(
                    id=demo_id(city.slug, spec.key),
                    place=place,
                    kind=spec.kind,
                    name=spec.name,
                    description=f"{spec.description} {wm.DEMO_NOTE['en']}",
                    email=f"{spec.key}@example.org",
                    website=f"https://{spec.key}.example.org/",
                    migrant_led=spec.migrant_led,
                    is_demo=True,
                    last_verified=today - dt.timedelta(days=spec.verified_days_ago),
                )
            )
            records[spec.key] = org
            for kind, text in spec.offers:
                batch.add(Offer(organization=org, kind=kind, description=text))
            lat, lon = city.lat + spec.offset[0], city.lon + spec.offset[1]
            location = batch.add(
                Location(
                    id=demo_id(city.slug, spec.key, "location"),
                    place=place,
                    organization=org,
                    name=spec.name,
                    address_1=spec.street,
                    city=city.name,
                    region="West Midlands",
                    postal_code=spec.postcode,
                    country="GB",
                    latitude=round(lat, 5),
                    longitude=round(lon, 5),
                    step_free_access=city_index != 1 or spec.kind != "faith",
                )
            )
            phone_counter += 7
            batch.add(
                Contact(
                    id=demo_id(city.slug, spec.key, "contact"),
                    organization=org,
                    name="General enquiries",
                    email=org.email,
                )
            )
            batch.add(
                Phone(
                    id=demo_id(city.slug, spec.key, "phone"),
                    organization=org,
                    number=f"{city.phone_prefix}{phone_counter % 1000:03d}",
                    type="voice",
                )
            )
            for s in spec.services:
                service = batch.add(_service(s, org, place, location, today))
                records[s.key] = service
                _service_rows(s, service, location, city, phone_counter, today, batch)
    return records


def _service(
    s: wm.DemoService, org: Organization, place: Place, location: Location, today: dt.date
) -> Service:
    return Service(
        id=demo_id(place.slug, s.key),
        place=place,
        organization=org,
        name=s.name,
        description=f"{s.description} {wm.DEMO_NOTE['en']}",
        email=org.email,
        url=f"{org.website}{s.key}/",
        status=ServiceStatus.TEMPORARILY_CLOSED if s.temporarily_closed else ServiceStatus.ACTIVE,
        application_process=s.application,
        eligibility_description=s.eligibility,
        fees_description=s.fees,
        is_free=not s.fees,
        alert=s.alert,
        by_appointment=s.by_appointment,
        last_verified=today - dt.timedelta(days=s.verified_days_ago),
        is_demo=True,
        latitude=location.latitude,
        longitude=location.longitude,
    )


def _service_rows(
    s: wm.DemoService,
    service: Service,
    location: Location,
    city: wm.City,
    phone_counter: int,
    today: dt.date,
    batch: _Batch,
) -> None:
    batch.add(
        ServiceAtLocation(
            id=demo_id(city.slug, s.key, "at", str(location.pk)),
            service=service,
            location=location,
        )
    )
    for code in dict.fromkeys(s.languages):
        batch.add(
            ServiceLanguage(
                id=demo_id(city.slug, s.key, "lang", code),
                service=service,
                code=code,
                name=language_name(code),
            )
        )
    for group in s.groups:
        batch.add(ServiceTargetGroup(service=service, group=group))
    for code in s.domains:
        batch.add(Service.domains.through(service_id=service.pk, taxonomyterm_id=domain_id(code)))
    for index, (byday, opens, closes) in enumerate(s.hours):
        batch.add(
            Schedule(
                id=demo_id(city.slug, s.key, "schedule", str(index)),
                service=service,
                freq="WEEKLY",
                byday=byday,
                opens_at=_time(opens),
                closes_at=_time(closes),
                timezone="Europe/London",
                attending_type=s.attending,
            )
        )
    if s.by_appointment:
        batch.add(
            Schedule(
                id=demo_id(city.slug, s.key, "schedule", "appointment"),
                service=service,
                freq="",
                description="By appointment",
                attending_type=s.attending,
            )
        )
        batch.add(
            Phone(
                id=demo_id(city.slug, s.key, "phone"),
                service=service,
                number=f"{city.phone_prefix}{(phone_counter + 3) % 1000:03d}",
                type="voice",
                description="Appointments",
            )
        )
    if s.contact:
        batch.add(
            Contact(
                id=demo_id(city.slug, s.key, "contact"),
                service=service,
                name=s.contact,
                email=service.email,
            )
        )
    if s.key in wm.CLOSURES:
        start, end, reason = wm.CLOSURES[s.key]
        batch.add(
            Closure(
                service=service,
                starts=today + dt.timedelta(days=start),
                ends=today + dt.timedelta(days=end),
                reason=reason,
            )
        )


def _translate(
    record: Service | Organization, language: str, state: str, texts: dict[str, str], reviewer: User
) -> None:
    """Save one demo translation in ``state`` (human, reviewed, machine or outdated)."""
    texts = dict(texts)
    if texts.get("description"):
        texts["description"] = f"{texts['description']} {wm.DEMO_NOTE[language]}"
    if state == wm.MACHINE:
        save_translation(record, language, texts, origin=TranslationOrigin.MACHINE, provider="demo")
    elif state == wm.REVIEWED:
        save_translation(record, language, texts, reviewed_by=reviewer)
    else:
        translation = save_translation(record, language, texts)
        if state == wm.OUTDATED:
            # Made from the version before the English text was last revised.
            translation.source_version = record.content_version - 1
            translation.save(update_fields=["source_version"])


def _translation_specs(records: dict[str, Any]) -> list[tuple[Any, str, str, dict[str, str]]]:
    specs = []
    for city in wm.CITIES:
        for org_spec in wm.ORGANIZATIONS[city.slug]:
            for spec in org_spec.services:
                for language, (state, texts) in spec.translations.items():
                    specs.append((records[spec.key], language, state, texts))
    for org_key, by_language in wm.ORGANIZATION_TRANSLATIONS.items():
        for language, (state, texts) in by_language.items():
            specs.append((records[org_key], language, state, texts))
    return specs


def _change_requests(records: dict[str, Any], batch: _Batch) -> None:
    for index, (key, proposed, message, email, language) in enumerate(wm.PENDING_CHANGES):
        service = records[key]
        batch.add(
            ChangeRequest(
                id=demo_id("change", str(index)),
                place=service.place,
                kind=ChangeKind.EDIT if proposed else ChangeKind.OUTDATED,
                service=service,
                base_version=service.version,
                proposed=proposed,
                message=message,
                email=email,
                language=language,
                created_at=timezone.now() - dt.timedelta(days=index + 1),
            )
        )


@transaction.atomic
def load_westmidlands() -> LoadResult:
    """Create or refresh the demo; safe to run again (no duplicates, same ids)."""
    region, cities = ensure_places()
    password = secrets.token_urlsafe(12)
    users = ensure_accounts(region, cities, password)
    remove_previous_demo(cities)
    today = timezone.localdate()
    batch = _Batch()
    records = _build(cities, today, batch)
    _change_requests(records, batch)
    translations = _translation_specs(records)
    for record, _language, state, _texts in translations:
        if state == wm.OUTDATED:
            # The English text of these records was revised after one of their translations.
            record.content_version = 2
    counts = batch.write()

    _city, editor_org = wm.EDITOR_ORGANIZATION
    records[editor_org].editors.add(users["demo-editor"])
    for record, language, state, texts in translations:
        _translate(record, language, state, texts, users["demo-moderator"])
    counts["translation"] = len(translations)
    counts.update(load_participation(cities, users, records))
    matching = load_matching(cities, users, records)
    counts.update(matching.counts)

    service_ids = [s.pk for s in batch.rows[Service]]
    rebuild_opening_slots(service_ids)
    index_services(service_ids)
    bump_content_generation(Place.objects.filter(pk__in=[p.pk for p in cities.values()]))
    audit.record(
        None,
        "demo.load",
        region,
        place=region,
        after={name: counts[name] for name in ("organization", "service", "translation")},
        note="West Midlands demo content loaded",
    )
    accounts = {name: role for name, (role, _label) in wm.ACCOUNTS.items()}
    return LoadResult(region, cities, password, accounts, counts, matching.links)
