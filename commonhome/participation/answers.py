"""Official answers: written as drafts by staff, then published, often many at once.

Answering and publishing are separate steps so that a team can write answers over days and
publish them together, and so that nobody hears about an answer before it is checked. The
published state is copied onto the contribution (``public_state``/``public_state_group``) so
the public trail filters and counts without a join.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.models import Place, Translation
from commonhome.core.permissions import require
from commonhome.core.records import StaleVersion
from commonhome.core.translation import localize
from commonhome.directory.models import Service

from .constants import AnswerState
from .models import Answer, Contribution, CustomAnswerState

__all__ = ["StaleVersion", "answer", "publish", "state_choices", "state_group", "state_label"]

AUDITED = ("state", "state_group", "text", "reason", "source_language")


def state_choices(place: Place) -> list[tuple[str, str, str]]:
    """Every answer state of ``place``: (key, label, built-in group it counts as).

    Built-in states first, in their fixed order, then the place's own states by name.
    """
    choices = [(str(key), str(label), str(key)) for key, label in AnswerState.choices]
    custom = CustomAnswerState.objects.filter(place=place).order_by("name")
    choices += [(state.key, state.name, state.counts_as) for state in custom]
    return choices


def state_labels(place: Place, language: str, keys: set[str] | None = None) -> dict[str, str]:
    """Labels of answer states by key, in ``language``: built-in ones from the constants, the
    place's own from its catalogue. With ``keys``, the catalogue is read only when one of them
    is a custom state, so pages that show built-in states only make no query for it."""
    labels = {str(key): str(label) for key, label in AnswerState.choices}
    if keys is not None and not (set(keys) - set(labels)):
        return labels
    custom = CustomAnswerState.objects.filter(place=place)
    if keys is not None:
        custom = custom.filter(key__in=set(keys) - set(labels))
    translations = Translation.objects.filter(language=language)
    for state in custom.prefetch_related(Prefetch("translations", queryset=translations)):
        labels[state.key] = localize(state, language)["name"] or state.key
    return labels


def state_label(place: Place, key: str, language: str = "") -> str:
    """The label of ``key`` for ``place``; an unknown key is shown as itself."""
    language = language or get_language() or place.default_language
    return state_labels(place, language, {key}).get(key, key)


def state_group(place: Place, key: str) -> str | None:
    """The built-in state ``key`` counts as, or None when ``place`` has no such state."""
    if key in AnswerState.values:
        return key
    return (
        CustomAnswerState.objects.filter(place=place, key=key)
        .values_list("counts_as", flat=True)
        .first()
    )


def _services_of(place: Place, services: Iterable[Any]) -> list[Service]:
    """The services named (records or ids), refusing any that is not a service of ``place``."""
    ids = {str(s.pk if isinstance(s, Service) else s) for s in services}
    if not ids:
        return []
    try:
        found = list(Service.objects.filter(pk__in=ids, place=place))
    except (ValueError, ValidationError) as exc:  # a malformed id
        raise ValidationError({"services": _("Unknown service.")}) from exc
    if len(found) != len(ids):
        raise ValidationError({"services": _("Choose services of this place's directory only.")})
    return found


@transaction.atomic
def answer(
    actor: Any,
    contribution: Contribution,
    *,
    state: str,
    text: str = "",
    reason: str = "",
    services: Iterable[Any] = (),
    expected_version: int | None = None,
    language: str = "",
) -> Answer:
    """Write (or rewrite) the answer to ``contribution``.

    A new answer stays unpublished until :func:`publish`. Editing an answer that is already
    published keeps it published and updates the public state straight away, without telling
    anyone again. ``expected_version`` is the answer's version the editor saw (0 when they saw
    no answer yet); a mismatch raises :class:`StaleVersion` and nothing is written.
    """
    place = contribution.place
    require(actor, "participation.answer", place)
    errors: dict[str, str] = {}
    group = state_group(place, state)
    text = (text or "").strip()
    reason = (reason or "").strip()
    if group is None or state == AnswerState.NOT_ANSWERED:
        errors["state"] = _("Choose an answer state.")
    elif group == AnswerState.REJECTED and not reason:
        errors["reason"] = _("Say why it is not taken up.")
    try:
        chosen = _services_of(place, services)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        chosen = []
    if group == AnswerState.ALREADY_OFFERED and not chosen and "services" not in errors:
        errors["services"] = _("Link at least one directory service that already meets the need.")
    if errors:
        raise ValidationError(errors)

    existing = Answer.objects.select_for_update().filter(contribution=contribution).first()
    if expected_version is not None:
        seen = existing.version if existing is not None else 0
        if seen != expected_version:
            raise StaleVersion(existing or contribution, expected_version)
    language = language if language in place.content_languages else place.default_language
    now = timezone.now()
    if existing is None:
        record = Answer(contribution=contribution, source_language=language)
        before: dict[str, Any] = {}
        before_services: list[str] = []
    else:
        record = existing
        before = audit.snapshot(record, AUDITED)
        before_services = sorted(str(pk) for pk in record.services.values_list("pk", flat=True))
        texts_changed = (record.text, record.reason) != (text, reason)
        if texts_changed:
            record.content_version += 1
            record.source_language = language
        record.version += 1
    record.state, record.state_group = state, group
    record.text, record.reason = text, reason
    record.answered_by = actor
    record.answered_at = now
    record.save()
    record.services.set(chosen)
    after = audit.snapshot(record, AUDITED)
    after_services = sorted(str(s.pk) for s in chosen)
    if before_services or after_services:
        before["services"], after["services"] = before_services, after_services
    if record.is_published:
        _copy_public_state(record, now)
        action = "answer.update_published"
    else:
        action = "answer.draft"
    audit.record(actor, action, record, before=before, after=after, place=place)
    return record


def _copy_public_state(record: Answer, now: Any) -> None:
    Contribution.objects.filter(pk=record.contribution_id).update(
        public_state=record.state, public_state_group=record.state_group, updated_at=now
    )
    record.contribution.public_state = record.state
    record.contribution.public_state_group = record.state_group


@transaction.atomic
def publish(actor: Any, answers: Iterable[Answer | Any]) -> int:
    """Publish the given draft answers together; returns how many were published.

    All or nothing: when one answer may not be published (another place, no state), none is.
    Answers already published are left as they are. Each published answer is announced with
    ``participation.answer_published`` once the transaction commits.
    """
    ids = sorted({str(a.pk if isinstance(a, Answer) else a) for a in answers})
    locked = list(
        Answer.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("contribution__place")
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise ValidationError({"answers": _("Some of the chosen answers no longer exist.")})
    checked: set[Any] = set()
    for record in locked:
        place = record.contribution.place
        if place.pk not in checked:
            require(actor, "participation.publish", place)
            checked.add(place.pk)
        if record.state == AnswerState.NOT_ANSWERED:
            raise ValidationError(
                {"answers": _("'%(title)s' has no answer yet.") % {"title": record.contribution}}
            )
    now = timezone.now()
    published = 0
    for record in locked:
        if record.is_published:
            continue
        record.published_at, record.published_by = now, actor
        record.version += 1
        record.save(update_fields=["published_at", "published_by", "version"])
        _copy_public_state(record, now)
        audit.record(
            actor,
            "answer.publish",
            record,
            before={"published_at": None},
            after={"published_at": now, "state": record.state},
            place=record.contribution.place,
        )
        events.emit("participation.answer_published", answer=record)
        published += 1
    return published
