"""Running participation in a place: consultations and their phases, the place's rules for
taking part (the verification ladder), its own answer states, and resident checks.

Every function checks permission, validates with errors naming the field, writes in one
transaction with an audit record, and refuses to overwrite a change made since the editor
opened the form (``expected_version``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.models import Place
from commonhome.core.permissions import require
from commonhome.core.records import StaleVersion
from commonhome.core.translation import save_translation
from commonhome.directory.constants import Domain

from .constants import AnswerState, Level, Phase
from .models import Consultation, CustomAnswerState, Participant, ParticipationSettings

CONSULTATION_FIELDS = (
    "slug",
    "title",
    "description",
    "what_happens_next",
    "answer_by",
    "phase",
    "domains",
    "opens_on",
    "closes_on",
    "is_published",
)
SETTINGS_FIELDS = (
    "contribute_level",
    "support_level",
    "comment_level",
    "reports_to_hide",
    "anonymous_per_hour",
)

# --- Consultations ------------------------------------------------------------------------


def validate_consultation(place: Place, values: Mapping[str, Any], pk: Any = None) -> None:
    """Raise ``ValidationError`` naming each field that is wrong."""
    errors: dict[str, str] = {}
    slug = values.get("slug") or ""
    if not slug or slugify(slug) != slug:
        errors["slug"] = _("Use lower-case letters, digits and dashes.")
    elif Consultation.objects.filter(place=place, slug=slug).exclude(pk=pk).exists():
        errors["slug"] = _("Another consultation of this place uses this address.")
    for name in ("title", "description", "what_happens_next"):
        if not (values.get(name) or "").strip():
            errors[name] = _("This field is required.")
    if values.get("phase") not in Phase.values:
        errors["phase"] = _("Choose a phase.")
    domains = values.get("domains") or []
    unknown = [d for d in domains if d not in Domain.values]
    if unknown:
        errors["domains"] = _("Not a topic of the directory: %(keys)s") % {
            "keys": ", ".join(map(str, unknown))
        }
    if values.get("phase") == Phase.OPEN and not values.get("answer_by"):
        errors["answer_by"] = _("Say by when the city will answer; people see this date.")
    opens, closes = values.get("opens_on"), values.get("closes_on")
    if opens and closes and closes < opens:
        errors["closes_on"] = _("It cannot close before it opens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_consultation(actor: Any, place: Place, **values: Any) -> Consultation:
    """A new consultation, written in the place's default language."""
    require(actor, "participation.manage", place)
    values = {name: values.get(name) for name in CONSULTATION_FIELDS if name in values}
    values.setdefault("phase", Phase.OPEN)
    values.setdefault("is_published", True)
    values["domains"] = list(values.get("domains") or [])
    validate_consultation(place, values)
    consultation = Consultation.objects.create(
        place=place, source_language=place.default_language, **values
    )
    audit.record(
        actor,
        "consultation.create",
        consultation,
        after=audit.snapshot(consultation, CONSULTATION_FIELDS),
    )
    events.emit("record.changed", record=consultation)
    return consultation


@transaction.atomic
def update_consultation(
    actor: Any, consultation: Consultation, expected_version: int, **values: Any
) -> Consultation:
    require(actor, "participation.manage", consultation.place)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.version != expected_version:
        raise StaleVersion(locked, expected_version)
    merged = {name: getattr(locked, name) for name in CONSULTATION_FIELDS}
    merged.update({name: values[name] for name in CONSULTATION_FIELDS if name in values})
    merged["domains"] = list(merged["domains"] or [])
    validate_consultation(locked.place, merged, pk=locked.pk)
    changed = [name for name in CONSULTATION_FIELDS if getattr(locked, name) != merged[name]]
    if not changed:
        return locked
    before = audit.snapshot(locked, changed)
    for name in changed:
        setattr(locked, name, merged[name])
    if any(name in locked.translatable_fields for name in changed):
        locked.content_version += 1
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    audit.record(
        actor, "consultation.update", locked, before=before, after=audit.snapshot(locked, changed)
    )
    events.emit("record.changed", record=locked)
    return locked


@transaction.atomic
def set_phase(actor: Any, consultation: Consultation, phase: str) -> Consultation:
    """Move a consultation to ``phase``; the phase switches participants' actions on and off.

    Answering and closing are allowed at any time (a city may stop early). Opening needs the
    promised answer date, since people are told by when they hear back.
    """
    require(actor, "participation.manage", consultation.place)
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose a phase.")})
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if phase == Phase.OPEN and not locked.answer_by:
        raise ValidationError(
            {"answer_by": _("Say by when the city will answer before opening it.")}
        )
    if locked.phase == phase:
        return locked
    before = {"phase": locked.phase}
    locked.phase = phase
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["phase", "version", "updated_at"])
    audit.record(actor, "consultation.phase", locked, before=before, after={"phase": phase})
    events.emit("record.changed", record=locked)
    return locked


@transaction.atomic
def translate(actor: Any, record: Any, language: str, texts: Mapping[str, str]) -> Any:
    """Save a person's translation of a consultation (or custom state) into ``language``."""
    place = record.place
    require(actor, "participation.manage", place)
    if language not in place.content_languages:
        raise ValidationError({"language": _("Not a language this place offers.")})
    if language == record.source_language:
        raise ValidationError({"language": _("This is the language it was written in.")})
    clean = {k: (v or "").strip() for k, v in texts.items() if k in record.translatable_fields}
    tr = save_translation(record, language, clean)
    audit.record(
        actor,
        "translation.save",
        record,
        after={"language": language, **clean},
        place=place,
        note=f"translation into {language}",
    )
    return tr


# --- Settings: the verification ladder, moderation thresholds ------------------------------


def settings_of(place: Place) -> ParticipationSettings:
    obj, _created = ParticipationSettings.objects.get_or_create(place=place)
    return obj


@transaction.atomic
def save_settings(
    actor: Any, place: Place, expected_version: int, **values: Any
) -> ParticipationSettings:
    require(actor, "participation.manage", place)
    settings_of(place)
    locked = ParticipationSettings.objects.select_for_update().get(place=place)
    if locked.version != expected_version:
        raise StaleVersion(locked, expected_version)
    errors: dict[str, str] = {}
    for name in ("contribute_level", "support_level", "comment_level"):
        if name in values and values[name] not in Level.values:
            errors[name] = _("Choose a level.")
    if "reports_to_hide" in values and not 1 <= int(values["reports_to_hide"]) <= 100:
        errors["reports_to_hide"] = _("Between 1 and 100.")
    if "anonymous_per_hour" in values and not 1 <= int(values["anonymous_per_hour"]) <= 1000:
        errors["anonymous_per_hour"] = _("Between 1 and 1000.")
    if errors:
        raise ValidationError(errors)
    changed = [n for n in SETTINGS_FIELDS if n in values and getattr(locked, n) != values[n]]
    if not changed:
        return locked
    before = audit.snapshot(locked, changed)
    for name in changed:
        setattr(locked, name, values[name])
    locked.version += 1
    locked.save()
    audit.record(
        actor,
        "participation.settings",
        locked,
        before=before,
        after=audit.snapshot(locked, changed),
        place=place,
    )
    return locked


# --- Custom answer states -----------------------------------------------------------------


@transaction.atomic
def save_custom_state(
    actor: Any,
    place: Place,
    *,
    name: str,
    counts_as: str,
    key: str = "",
    state: CustomAnswerState | None = None,
    expected_version: int | None = None,
) -> CustomAnswerState:
    """Create a custom answer state, or rename one / change what it counts as.

    The key is fixed once created: answers and exports refer to it, labels may change.
    """
    require(actor, "participation.manage", place)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("This field is required.")
    if counts_as not in AnswerState.values or counts_as == AnswerState.NOT_ANSWERED:
        errors["counts_as"] = _("Choose the built-in state it counts as.")
    if state is None:
        key = (key or slugify(name))[:40]
        if not key or slugify(key) != key:
            errors["key"] = _("Use lower-case letters, digits and dashes.")
        elif key in AnswerState.values or (
            CustomAnswerState.objects.filter(place=place, key=key).exists()
        ):
            errors["key"] = _("This key is taken.")
    if errors:
        raise ValidationError(errors)
    if state is None:
        created = CustomAnswerState.objects.create(
            place=place,
            key=key,
            name=name,
            counts_as=counts_as,
            source_language=place.default_language,
        )
        audit.record(
            actor,
            "answer_state.create",
            created,
            after={"key": key, "name": name, "counts_as": counts_as},
            place=place,
        )
        return created
    locked = CustomAnswerState.objects.select_for_update().get(pk=state.pk, place=place)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(locked, expected_version)
    before = audit.snapshot(locked, ["name", "counts_as"])
    if locked.name != name:
        locked.content_version += 1
    locked.name, locked.counts_as = name, counts_as
    locked.version += 1
    locked.save()
    _regroup(locked)
    audit.record(
        actor,
        "answer_state.update",
        locked,
        before=before,
        after=audit.snapshot(locked, ["name", "counts_as"]),
        place=place,
    )
    return locked


def _regroup(state: CustomAnswerState) -> None:
    """Answers in ``state`` count as what it now counts as, in the trail's figures too."""
    from .models import Answer, Contribution

    Answer.objects.filter(contribution__place=state.place_id, state=state.key).update(
        state_group=state.counts_as
    )
    Contribution.objects.filter(place=state.place_id, public_state=state.key).update(
        public_state_group=state.counts_as
    )


# --- Resident checks ----------------------------------------------------------------------


@transaction.atomic
def set_resident(actor: Any, participant: Participant, verified: bool) -> Participant:
    """Record (or take back) that staff checked this person lives or stays in the place.

    Only the fact of the check and who made it is kept: never a residence status, a document
    or how it was checked.
    """
    require(actor, "participation.desk", participant.place)
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    before = audit.snapshot(locked, ["resident_verified_at", "resident_verified_by"])
    if verified:
        locked.resident_verified_at = timezone.now()
        locked.resident_verified_by = actor
    else:
        locked.resident_verified_at = None
        locked.resident_verified_by = None
    locked.save(update_fields=["resident_verified_at", "resident_verified_by"])
    audit.record(
        actor,
        "participant.resident" if verified else "participant.resident_removed",
        locked,
        before=before,
        after=audit.snapshot(locked, ["resident_verified_at", "resident_verified_by"]),
        place=locked.place,
    )
    return locked
