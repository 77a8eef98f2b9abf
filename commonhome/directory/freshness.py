"""Which records nobody has checked for too long, and reminding the people who can check them.

A record is stale when its ``last_verified`` date is missing or older than the place's
``verify_after_months``. Reminders go to the organisation's editors, or to the place's
moderators when the organisation has none, at most once per :data:`REMIND_EVERY` per record.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from commonhome.core.constants import Role
from commonhome.core.models import Membership, Place

from .models import Organization, Service

REMIND_EVERY = dt.timedelta(days=30)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (the month's last day when it has fewer)."""
    year, month0 = divmod(day.year * 12 + (day.month - 1) - months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last_day))


def cutoff(place: Place, today: dt.date | None = None) -> dt.date:
    """Records verified before this date are stale."""
    return months_before(today or timezone.localdate(), place.verify_after_months)


def _stale_q(place: Place, today: dt.date | None) -> Q:
    return Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff(place, today))


def stale_services(place: Place, today: dt.date | None = None) -> QuerySet[Service]:
    return Service.objects.filter(Q(place=place) & _stale_q(place, today))


def stale_organizations(place: Place, today: dt.date | None = None) -> QuerySet[Organization]:
    return Organization.objects.filter(Q(place=place) & _stale_q(place, today))


def is_stale(record: Service | Organization, place: Place, today: dt.date | None = None) -> bool:
    return record.last_verified is None or record.last_verified < cutoff(place, today)


@dataclass
class Reminder:
    """One e-mail: who receives it and which stale records it lists."""

    place: Place
    recipients: list[str]
    organization: Organization | None
    services: list[Service] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)


def _due(records: QuerySet[Any], now: dt.datetime) -> QuerySet[Any]:
    return records.filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))


def plan_reminders(place: Place, now: dt.datetime | None = None) -> list[Reminder]:
    """The reminders due for ``place``: one per organisation with editors, one for the rest."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    services = list(
        _due(stale_services(place, today), now)
        .select_related("organization")
        .order_by("organization__name", "name")
    )
    organizations = list(_due(stale_organizations(place, today), now).order_by("name"))
    org_ids = {s.organization_id for s in services} | {o.pk for o in organizations}
    editors: dict[Any, list[str]] = defaultdict(list)
    through = Organization.editors.through
    for org_id, email in (
        through.objects.filter(organization_id__in=org_ids, user__is_active=True)
        .exclude(user__email="")
        .values_list("organization_id", "user__email")
    ):
        editors[org_id].append(email)
    moderators = sorted(
        set(
            Membership.objects.filter(
                place=place, role__in=[Role.MODERATOR, Role.ADMIN], user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )

    by_org: dict[Any, Reminder] = {}
    for_moderators = Reminder(place=place, recipients=moderators, organization=None)

    def reminder_for(org: Organization) -> Reminder:
        if not editors.get(org.pk):
            return for_moderators
        if org.pk not in by_org:
            by_org[org.pk] = Reminder(
                place=place, recipients=sorted(editors[org.pk]), organization=org
            )
        return by_org[org.pk]

    for org in organizations:
        reminder_for(org).organizations.append(org)
    for service in services:
        reminder_for(service.organization).services.append(service)
    planned = list(by_org.values()) + [for_moderators]
    return [r for r in planned if r.recipients and (r.services or r.organizations)]


def _absolute(path: str) -> str:
    base = settings.SITE_URL
    return base.rstrip("/") + path if base else path


def send_reminder(reminder: Reminder, now: dt.datetime) -> None:
    """Send one reminder and note on each listed record that it was reminded."""
    place = reminder.place
    with translation.override(place.default_language):
        links = {
            "services": [
                (
                    s,
                    _absolute(reverse("directory:staff-service-edit", args=[place.slug, s.pk])),
                )
                for s in reminder.services
            ],
            "organizations": [
                (
                    o,
                    _absolute(
                        reverse("directory:staff-organisation-edit", args=[place.slug, o.pk])
                    ),
                )
                for o in reminder.organizations
            ],
        }
        count = len(reminder.services) + len(reminder.organizations)
        context = {"reminder": reminder, "place": place, "count": count, **links}
        subject = render_to_string("directory/staff/email/reminder_subject.txt", context)
        body = render_to_string("directory/staff/email/reminder_body.txt", context)
    with transaction.atomic():
        send_mail(" ".join(subject.split()), body, None, reminder.recipients)
        Service.objects.filter(pk__in=[s.pk for s in reminder.services]).update(reminded_at=now)
        Organization.objects.filter(pk__in=[o.pk for o in reminder.organizations]).update(
            reminded_at=now
        )


def remind_place(place: Place, now: dt.datetime | None = None) -> int:
    """Send every reminder due for ``place``; returns how many e-mails were sent."""
    now = now or timezone.now()
    reminders = plan_reminders(place, now)
    for reminder in reminders:
        send_reminder(reminder, now)
    return len(reminders)


@dataclass
class Overview:
    place: Place
    cutoff: dt.date
    services: list[Service]
    organizations: list[Organization]
    total_services: int
    total_organizations: int


def overview(place: Place, today: dt.date | None = None) -> Overview:
    """Stale records of ``place``, oldest first, with totals for the staff page."""
    services = list(
        stale_services(place, today)
        .select_related("organization")
        .order_by(F("last_verified").asc(nulls_first=True), "name")
    )
    organizations = list(
        stale_organizations(place, today).order_by(F("last_verified").asc(nulls_first=True), "name")
    )
    return Overview(
        place=place,
        cutoff=cutoff(place, today),
        services=services,
        organizations=organizations,
        total_services=Service.objects.filter(place=place).count(),
        total_organizations=Organization.objects.filter(place=place).count(),
    )
