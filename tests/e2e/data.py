"""A small directory that the browser tests search, map, edit and translate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commonhome.core.models import Place
from commonhome.directory.models import (
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTargetGroup,
    TaxonomyTerm,
)
from commonhome.directory.services import index_services, rebuild_opening_slots
from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory


@dataclass
class Directory:
    place: Place
    centre: Organization
    hub: Organization
    legal: Service
    housing: Service
    doctor: Service
    conversation: Service

    @property
    def services(self) -> list[Service]:
        return [self.legal, self.housing, self.doctor, self.conversation]

    @property
    def located(self) -> list[Service]:
        return [s for s in self.services if s.latitude is not None]

    def url(self, name: str, lang: str = "en", record=None) -> str:
        base = f"/{lang}/{self.place.slug}/"
        if name == "search":
            return base
        if name == "organisation":
            return f"{base}organisations/{(record or self.centre).pk}/"
        service = record or self.legal
        suffix = {"service": "", "print": "print/", "suggest": "suggest/"}[name]
        return f"{base}services/{service.pk}/{suffix}"


def _service(organization, name, description, domain, languages, groups=(), position=None):
    lat, lon = position or (None, None)
    service = ServiceFactory(
        organization=organization,
        name=name,
        description=description,
        latitude=lat,
        longitude=lon,
    )
    service.domains.add(TaxonomyTerm.objects.get(code=domain))
    for code in languages:
        ServiceLanguage.objects.create(service=service, code=code)
    for group in groups:
        ServiceTargetGroup.objects.create(service=service, group=group)
    if position is not None:
        location = LocationFactory(
            organization=organization, name=f"{name} venue", latitude=lat, longitude=lon
        )
        ServiceAtLocation.objects.create(service=service, location=location)
    Schedule.objects.create(
        service=service, byday="MO,TU,WE,TH,FR", opens_at=dt.time(9), closes_at=dt.time(17)
    )
    return service


def build_directory(place: Place) -> Directory:
    centre = OrganizationFactory(
        place=place, name="Coventry Refugee Centre", description="Advice and a warm welcome."
    )
    hub = OrganizationFactory(
        place=place, name="Foleshill Women's Hub", description="A meeting place for women."
    )
    legal = _service(
        centre,
        "Legal advice drop-in",
        "Confidential advice on asylum and immigration.",
        "rights",
        ["en", "ar"],
        ["asylum_seekers"],
        (52.4081, -1.5106),
    )
    housing = _service(
        centre,
        "Housing advice desk",
        "Help to find a home and to deal with landlords.",
        "housing",
        ["en", "uk"],
        position=(52.4001, -1.4990),
    )
    doctor = _service(
        hub,
        "Family doctor registration",
        "We register you with a GP near your home.",
        "health",
        ["ar", "fa"],
        ["women"],
        (52.4230, -1.4950),
    )
    conversation = _service(
        hub,
        "English conversation club",
        "Practise speaking English over tea.",
        "language",
        ["en"],
    )
    ids = [s.pk for s in (legal, housing, doctor, conversation)]
    rebuild_opening_slots(ids)
    index_services(ids)
    return Directory(place, centre, hub, legal, housing, doctor, conversation)
