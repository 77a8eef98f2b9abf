"""Synthetic directories at scale, for benchmarks: varied, plausible and fast to write.

Names and descriptions come from word lists in English and in the translation languages, so
text searches in Latin and Arabic script find results; languages spoken, domains, target
groups, opening hours and positions around each place's centre vary the same way. Rows are
written place by place with ``bulk_create``; opening slots and search documents are derived
from the rows in memory with the directory's own derivations.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from commonhome.core import search
from commonhome.core.constants import PlaceKind, TranslationOrigin
from commonhome.core.hours import weekly_intervals
from commonhome.core.models import Place, Translation
from commonhome.core.places import PlaceInput, bump_content_generation, create_place
from commonhome.directory.models import (
    Closure,
    Location,
    OpeningSlot,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTargetGroup,
    TaxonomyTerm,
)
from commonhome.directory.services import service_documents

from .load import domain_id

# The place the HSDS page benchmark reads has this many services (the design's budget size).
HSDS_PLACE_SIZE = 2000
TRANSLATION_SHARE = {"ar": 0.35, "fa": 0.15, "uk": 0.12, "fr": 0.08, "es": 0.08, "ps": 0.05}
PLACE_LANGUAGES = ["en", *TRANSLATION_SHARE]

# (domain, English, Arabic, Farsi, Ukrainian, French, Spanish, Pashto)
ACTIVITIES = [
    (
        "language",
        "English classes",
        "دروس اللغة الإنجليزية",
        "کلاس زبان انگلیسی",
        "Курси англійської",
        "Cours d'anglais",
        "Clases de inglés",
        "د انګلیسي ژبې ټولګي",
    ),
    (
        "rights",
        "Legal advice",
        "استشارة قانونية",
        "مشاورهٔ حقوقی",
        "Юридична консультація",
        "Conseil juridique",
        "Asesoría jurídica",
        "حقوقي مشوره",
    ),
    (
        "housing",
        "Housing help",
        "مساعدة في السكن",
        "کمک مسکن",
        "Допомога з житлом",
        "Aide au logement",
        "Ayuda con la vivienda",
        "د کور مرسته",
    ),
    (
        "health",
        "Health advice",
        "نصائح صحية",
        "مشاورهٔ سلامت",
        "Консультації щодо здоров'я",
        "Conseils santé",
        "Orientación sanitaria",
        "روغتیايي مشوره",
    ),
    (
        "work",
        "Job support",
        "دعم التوظيف",
        "کمک کاریابی",
        "Допомога в пошуку роботи",
        "Aide à l'emploi",
        "Apoyo para el empleo",
        "د کار موندلو مرسته",
    ),
    (
        "community",
        "Community café",
        "مقهى مجتمعي",
        "کافه محله",
        "Громадське кафе",
        "Café communautaire",
        "Café comunitario",
        "ټولنیز کافي",
    ),
    (
        "digital",
        "Digital skills",
        "المهارات الرقمية",
        "مهارت‌های دیجیتال",
        "Цифрові навички",
        "Compétences numériques",
        "Competencias digitales",
        "ډیجیټلي مهارتونه",
    ),
    (
        "education",
        "Homework club",
        "نادي الواجبات المدرسية",
        "باشگاه تکالیف",
        "Клуб домашніх завдань",
        "Aide aux devoirs",
        "Club de deberes",
        "د کورني کار کلب",
    ),
    (
        "emergency",
        "Food bank",
        "بنك الطعام",
        "بانک غذا",
        "Продовольчий банк",
        "Banque alimentaire",
        "Banco de alimentos",
        "د خوړو بانک",
    ),
    (
        "citizenship",
        "Residence status advice",
        "استشارات الإقامة",
        "مشاورهٔ اقامت",
        "Консультації щодо статусу",
        "Conseil sur le titre de séjour",
        "Asesoría de residencia",
        "د استوګنې مشوره",
    ),
    (
        "health",
        "Mental health support",
        "دعم الصحة النفسية",
        "حمایت سلامت روان",
        "Психологічна підтримка",
        "Soutien psychologique",
        "Apoyo psicológico",
        "رواني ملاتړ",
    ),
    (
        "language",
        "Conversation club",
        "نادي المحادثة",
        "باشگاه گفتگو",
        "Розмовний клуб",
        "Club de conversation",
        "Club de conversación",
        "د خبرو اترو کلب",
    ),
]
TRANSLATED = ["ar", "fa", "uk", "fr", "es", "ps"]
# (English, Arabic) qualifiers and the target group they imply.
QUALIFIERS = [
    ("", "", "everyone"),
    ("for women", "للنساء", "women"),
    ("for families", "للعائلات", "families"),
    ("for young people", "للشباب", "young_people"),
    ("drop-in", "بدون موعد", "everyone"),
    ("evening sessions", "جلسات مسائية", "everyone"),
    ("for refugees", "للاجئين", "refugees"),
    ("for asylum seekers", "لطالبي اللجوء", "asylum_seekers"),
]
NEIGHBOURHOODS = [
    "Riverside",
    "Northgate",
    "Elm Park",
    "Station Quarter",
    "Old Market",
    "Canal Side",
    "Westbrook",
    "Oakfield",
    "Millbank",
    "Greenway",
    "Hill Top",
    "Foundry Lane",
    "Kingsmead",
    "Ashgrove",
    "Brookside",
    "Southfields",
]
ORGANIZATION_TYPES = [
    ("Community Centre", "ngo"),
    ("Welcome Hub", "ngo"),
    ("Refugee Forum", "migrant_led"),
    ("Advice Project", "ngo"),
    ("Women's Group", "informal"),
    ("Learning Centre", "ngo"),
    ("Health Network", "public"),
    ("Diaspora Association", "diaspora"),
    ("Faith Pantry", "faith"),
    ("Skills Co-operative", "social_enterprise"),
]
SENTENCES = [
    "Friendly volunteers and trained staff.",
    "Interpreters can be booked in advance.",
    "Bring any letters or documents you have.",
    "Children are welcome.",
    "Step-free access and a quiet room.",
    "Tea, coffee and a warm welcome.",
]
SPOKEN = ["ar", "fa", "uk", "ps", "prs", "ti", "so", "ur", "pl", "ro", "ku", "fr", "es", "pa"]
DAYS = ["MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "SA", "WE", "MO,TU,WE,TH,FR,SA", "SU"]
HOURS = [((9, 0), (17, 0)), ((10, 0), (13, 0)), ((13, 0), (16, 0)), ((18, 0), (20, 0))]


@dataclass
class GeneratedPlace:
    place: Place
    services: int


def place_sizes(services: int, places: int) -> list[int]:
    """How many services each place gets: the first one ``HSDS_PLACE_SIZE`` when there are
    enough to go round, the rest shared evenly."""
    places = max(1, places)
    first = min(HSDS_PLACE_SIZE, services // places) if places > 1 else services
    rest = services - first
    sizes = [first]
    for index in range(places - 1):
        share = rest // (places - 1) + (1 if index < rest % (places - 1) else 0)
        sizes.append(share)
    return sizes


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def generate(
    services: int,
    places: int,
    *,
    seed: int = 1,
    prefix: str = "bench",
    progress: Callable[[str], None] | None = None,
) -> list[GeneratedPlace]:
    """Create ``places`` places holding ``services`` services in all."""
    rng = random.Random(seed)
    terms = {term.pk: term for term in TaxonomyTerm.objects.filter(taxonomy__isnull=False)}
    result = []
    for index, size in enumerate(place_sizes(services, places)):
        place = create_place(
            PlaceInput(
                slug=f"{prefix}-{index + 1:02d}",
                name=f"{NEIGHBOURHOODS[index % len(NEIGHBOURHOODS)]} Town {index + 1}",
                kind=PlaceKind.CITY,
                languages=PLACE_LANGUAGES,
                center_lat=50.5 + (index % 5) * 0.8,
                center_lon=-3.5 + (index // 5) * 1.1,
            )
        )
        _fill_place(place, size, rng, terms)
        bump_content_generation(Place.objects.filter(pk=place.pk))
        result.append(GeneratedPlace(place, size))
        if progress is not None:
            progress(f"  {place.slug}: {size} services")
    return result


@transaction.atomic
def _fill_place(
    place: Place, size: int, rng: random.Random, terms: dict[uuid.UUID, TaxonomyTerm]
) -> None:
    today = timezone.localdate()
    service_ct = ContentType.objects.get_for_model(Service)
    orgs: list[Organization] = []
    locations: list[Location] = []
    rows: dict[type, list[Any]] = {
        model: []
        for model in (
            Service,
            ServiceAtLocation,
            ServiceLanguage,
            ServiceTargetGroup,
            Service.domains.through,
            Schedule,
            Closure,
            Translation,
        )
    }
    for n in range(size):
        if n % 4 == 0:
            hood = rng.choice(NEIGHBOURHOODS)
            kind_name, kind = rng.choice(ORGANIZATION_TYPES)
            org = Organization(
                id=_uuid(rng),
                place=place,
                name=f"{hood} {kind_name} {n // 4 + 1}",
                description=f"A {kind_name.lower()} in {hood}. {rng.choice(SENTENCES)}",
                kind=kind,
                migrant_led=kind in ("migrant_led", "diaspora"),
                last_verified=today - dt.timedelta(days=rng.randrange(700)),
            )
            orgs.append(org)
            lat = place.center_lat + rng.gauss(0, 0.03)
            lon = place.center_lon + rng.gauss(0, 0.045)
            location = Location(
                id=_uuid(rng),
                place=place,
                organization=org,
                name=org.name,
                address_1=f"{rng.randrange(1, 200)} {hood} Road",
                city=place.name,
                postal_code=f"ZZ{rng.randrange(1, 99)} {rng.randrange(1, 9)}AB",
                latitude=round(lat, 5),
                longitude=round(lon, 5),
            )
            locations.append(location)
        activity = rng.choice(ACTIVITIES)
        qualifier_en, qualifier_ar, group = rng.choice(QUALIFIERS)
        name = " ".join(part for part in (activity[1], qualifier_en) if part)
        service = Service(
            id=_uuid(rng),
            place=place,
            organization=org,
            name=f"{name} – {hood}",
            description=f"{name} in {hood}. {rng.choice(SENTENCES)} {rng.choice(SENTENCES)}",
            is_free=rng.random() > 0.1,
            by_appointment=rng.random() < 0.1,
            last_verified=today - dt.timedelta(days=rng.randrange(600)),
            latitude=location.latitude,
            longitude=location.longitude,
        )
        rows[Service].append(service)
        rows[ServiceAtLocation].append(
            ServiceAtLocation(id=_uuid(rng), service=service, location=location)
        )
        spoken = ["en", *rng.sample(SPOKEN, rng.choice((0, 1, 1, 2, 2, 3)))]
        for code in spoken:
            rows[ServiceLanguage].append(ServiceLanguage(id=_uuid(rng), service=service, code=code))
        rows[ServiceTargetGroup].append(ServiceTargetGroup(service=service, group=group))
        domains = {activity[0], rng.choice(ACTIVITIES)[0]} if rng.random() < 0.4 else {activity[0]}
        for code in domains:
            rows[Service.domains.through].append(
                Service.domains.through(service_id=service.pk, taxonomyterm_id=domain_id(code))
            )
        if not service.by_appointment:
            (oh, om), (ch, cm) = rng.choice(HOURS)
            rows[Schedule].append(
                Schedule(
                    id=_uuid(rng),
                    service=service,
                    byday=rng.choice(DAYS),
                    opens_at=dt.time(oh, om),
                    closes_at=dt.time(ch, cm),
                )
            )
        if rng.random() < 0.02:
            start = today + dt.timedelta(days=rng.randrange(-5, 30))
            rows[Closure].append(
                Closure(service=service, starts=start, ends=start + dt.timedelta(days=7))
            )
        for column, language in enumerate(TRANSLATED, start=2):
            if rng.random() >= TRANSLATION_SHARE[language]:
                continue
            translated = activity[column]
            if language == "ar" and qualifier_ar:
                translated = f"{translated} {qualifier_ar}"
            machine = rng.random() < 0.5
            rows[Translation].append(
                Translation(
                    content_type=service_ct,
                    object_id=service.pk,
                    language=language,
                    fields={"name": f"{translated} – {hood}", "description": translated},
                    source_version=1,
                    origin=TranslationOrigin.MACHINE if machine else TranslationOrigin.HUMAN,
                    provider="fake" if machine else "",
                )
            )
    Organization.objects.bulk_create(orgs, batch_size=2000)
    Location.objects.bulk_create(locations, batch_size=2000)
    for model, model_rows in rows.items():
        model.objects.bulk_create(model_rows, batch_size=2000)
    _derive(rows, terms)


def _derive(rows: dict[type, list[Any]], terms: dict[uuid.UUID, TaxonomyTerm]) -> None:
    """Opening slots and search documents, from the rows still in memory.

    Both use the directory's own derivations (weekly intervals of each schedule, and
    ``service_documents``) on records whose related rows are attached here, so nothing is
    read back from the database.
    """
    slots = []
    for schedule in rows[Schedule]:
        for interval in weekly_intervals(schedule.byday, schedule.opens_at, schedule.closes_at):
            slots.append(
                OpeningSlot(
                    service_id=schedule.service_id,
                    weekday=interval.weekday,
                    opens=interval.opens,
                    closes=interval.closes,
                )
            )
    OpeningSlot.objects.bulk_create(slots, batch_size=2000)

    related: dict[uuid.UUID, dict[str, list[Any]]] = {
        service.pk: {"domains": [], "languages": [], "translations": []}
        for service in rows[Service]
    }
    for link in rows[Service.domains.through]:
        related[link.service_id]["domains"].append(terms[link.taxonomyterm_id])
    for spoken in rows[ServiceLanguage]:
        related[spoken.service_id]["languages"].append(spoken)
    for translation in rows[Translation]:
        related[translation.object_id]["translations"].append(translation)
    for service in rows[Service]:
        service._prefetched_objects_cache = related[service.pk]
    search.index(service_documents(rows[Service]))
