"""Forms of the public matching pages: they ask only what a programme's rules need.

A sign-up form is built for one programme and one side: a field is there only when a hard
constraint or a score part of the programme reads it, so nobody is asked for a gender, an age
or a location a programme does not use; the page where people change their answers later
asks the same questions (:class:`AnswersForm`). The forms check the shape of what was typed; the
services decide (and their errors are put back on the field they name).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonhome.web.texts import language_name

from .constants import (
    DAYS,
    KEY_PATTERN,
    LANGUAGE_PATTERN,
    PARTS_OF_DAY,
    Condition,
    ConsentPurpose,
    Gender,
    LanguageLevel,
    Side,
)
from .models import Profile, Programme

#: Interests people can tick: stable keys, translated labels.
INTERESTS = (
    ("cooking", _("Cooking")),
    ("sport", _("Sport")),
    ("music", _("Music")),
    ("walking", _("Walks and nature")),
    ("art", _("Art and crafts")),
    ("reading", _("Books and reading")),
    ("games", _("Games")),
    ("technology", _("Computers and technology")),
)
#: Target groups a programme may serve: a seeker says which they belong to, an offerer whom
#: they want to support (none ticked: anyone).
GROUPS = (
    ("women", _("Women")),
    ("families", _("Families with children")),
    ("young_people", _("Young people")),
    ("older_people", _("Older people")),
)
DAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
PART_LABELS = {"morn": _("morning"), "aft": _("afternoon"), "eve": _("evening")}
#: Services' error keys that have no field of their own on the form.
ERROR_FIELDS = {
    "consents": "consent_matching",
    "needs": "conditions",
    "offers": "conditions",
    "side": None,
    "programme": None,
    "status": None,
}


def _language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in settings.CONTENT_LANGUAGES]


def slot_choices() -> list[tuple[str, str]]:
    return [
        (f"{day}-{part}", f"{DAY_LABELS[day]}, {PART_LABELS[part]}")
        for day in DAYS
        for part in PARTS_OF_DAY
    ]


def uses(programme: Programme) -> tuple[set[str], set[str]]:
    """The programme's hard constraints and weighted score parts."""
    rules = programme.rules or {}
    weights = {k for k, v in (rules.get("weights") or {}).items() if v}
    return set(rules.get("hard") or []), weights


def keys_from_text(value: str, field: str) -> list[str]:
    """Comma-separated keys (``welding, forklift``), lowercased, spaces to underscores."""
    items = [v.strip().lower().replace(" ", "_") for v in (value or "").split(",")]
    items = [v for v in items if v]
    for item in items:
        if not KEY_PATTERN.match(item):
            raise ValidationError(
                _("Use short words or keys, separated by commas: %(value)s is not one.")
                % {"value": item}
            )
    return items


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form fields they name (or on the form)."""
    for name, messages in error.message_dict.items():
        field = ERROR_FIELDS.get(name, name)
        if field not in form.fields:
            field = None
        for message in messages:
            form.add_error(field, message)


class AnswersForm(forms.Form):
    """What a person tells us in one programme, on one side: the questions of the sign-up form
    and of the page where they change their answers later (see the module docstring for what
    is asked when). Consents are not here: the sign-up form adds them, and afterwards each is
    given or withdrawn on its own on the person's page."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("How your match will call you; a first name is enough."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "Shown only to your match, and only after you have both accepted. "
            "Give an e-mail address or a phone number."
        ),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("Shown only to your match, and only after you have both accepted."),
    )
    language = forms.ChoiceField(label=_("Language we write to you in"))

    def __init__(self, *args: Any, programme: Programme, side: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme, self.side = programme, side
        hard, weights = uses(programme)
        self.fields["language"].choices = [
            (code, language_name(code)) for code, _name in settings.LANGUAGES
        ]
        current = (get_language() or "en").split("-")[0]
        self.fields["language"].initial = current
        if {"shared_language", "language_exchange"} & hard or "language" in weights:
            self.fields["languages"] = forms.MultipleChoiceField(
                label=_("Languages you speak"),
                choices=_language_choices(),
                widget=forms.CheckboxSelectMultiple,
                required="shared_language" in hard or "language_exchange" in hard,
                help_text=_("To find someone you can talk with."),
            )
        if "language_exchange" in hard:
            self.fields["learning"] = forms.MultipleChoiceField(
                label=_("Languages you want to learn"),
                choices=_language_choices(),
                widget=forms.CheckboxSelectMultiple,
                help_text=_("In an exchange, each teaches the other their language."),
            )
        if "gender" in hard:
            genders = [("", _("I prefer not to say")), *Gender.choices]
            self.fields["gender"] = forms.ChoiceField(
                label=_("Your gender"),
                choices=genders,
                required=False,
                help_text=_("Only to respect the preference of the person you are matched with."),
            )
            self.fields["gender_preference"] = forms.ChoiceField(
                label=_("Gender of your match"),
                choices=[("", _("Anyone")), *Gender.choices],
                required=False,
                help_text=_("Some people feel safer with a match of a given gender."),
            )
        if "age_band" in hard:
            self.fields["birth_year"] = forms.IntegerField(
                label=_("Year you were born"),
                required=False,
                min_value=1900,
                max_value=2100,
                help_text=_("Only the year, to respect age preferences."),
            )
            self.fields["age_min"] = forms.IntegerField(
                label=_("Youngest age of your match (optional)"),
                required=False,
                min_value=0,
                max_value=120,
            )
            self.fields["age_max"] = forms.IntegerField(
                label=_("Oldest age of your match (optional)"),
                required=False,
                min_value=0,
                max_value=120,
            )
        if "target_group" in hard:
            self.fields["groups"] = forms.MultipleChoiceField(
                label=_("I belong to")
                if side == Side.SEEKER
                else _("I want to support (none ticked: anyone)"),
                choices=GROUPS,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("Some matches are meant for a group, for example women."),
            )
        if "availability" in hard:
            self.fields["availability"] = forms.MultipleChoiceField(
                label=_("When are you free?"),
                choices=slot_choices(),
                widget=forms.CheckboxSelectMultiple,
                help_text=_("To find someone free at the same times."),
            )
        if "distance" in hard or "distance" in weights:
            required = "distance" in hard
            self.fields["latitude"] = forms.FloatField(
                label=_("Latitude of your area"),
                required=required,
                min_value=-90,
                max_value=90,
                help_text=_(
                    "Roughly where you live: we keep it to about a kilometre, "
                    "to find someone near you."
                ),
            )
            self.fields["longitude"] = forms.FloatField(
                label=_("Longitude of your area"),
                required=required,
                min_value=-180,
                max_value=180,
            )
        if "conditions" in hard:
            self.fields["conditions"] = forms.MultipleChoiceField(
                label=_("What you need in a home")
                if side == Side.SEEKER
                else _("What your home offers or accepts"),
                choices=Condition.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("So that the home suits the people who live there."),
            )
        if "interests" in weights:
            self.fields["interests"] = forms.MultipleChoiceField(
                label=_("Your interests (optional)"),
                choices=INTERESTS,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("Shared interests make a better match."),
            )
        if side == Side.OFFERER and programme.max_capacity > 1:
            self.fields["capacity"] = forms.TypedChoiceField(
                label=_("How many people can you take at once?"),
                choices=[(n, str(n)) for n in range(1, programme.max_capacity + 1)],
                coerce=int,
                initial=1,
            )
        if "origin" in weights:
            self.fields["origin"] = forms.CharField(
                label=_("Where you come from (optional)"),
                required=False,
                max_length=60,
                help_text=_("A country or region."),
            )

    ATTRIBUTES = (
        "languages",
        "learning",
        "gender",
        "gender_preference",
        "birth_year",
        "age_min",
        "age_max",
        "groups",
        "availability",
        "latitude",
        "longitude",
        "interests",
        "origin",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error(
                "email", _("Give an e-mail address or a phone number, so your match can reach you.")
            )
        return data

    def answers(self) -> dict[str, Any]:
        """The profile fields this form asked, as the services take them."""
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "display_name": data["display_name"],
            "email": data.get("email") or "",
            "phone": data.get("phone") or "",
            "language": data["language"],
        }
        if "capacity" in self.fields:
            arguments["capacity"] = data.get("capacity") or 1
        for name in self.ATTRIBUTES:
            if name in self.fields:
                arguments[name] = data.get(name)
        if "conditions" in self.fields:
            arguments[_conditions_field(self.side)] = data.get("conditions") or []
        return arguments


def _conditions_field(side: str) -> str:
    """Host conditions are what a seeker needs and what an offerer offers."""
    return "needs" if side == Side.SEEKER else "offers"


class SignUpForm(AnswersForm):
    """Joining one programme on one side: the questions, then the consents."""

    def __init__(self, *args: Any, programme: Programme, side: str, **kwargs: Any) -> None:
        super().__init__(*args, programme=programme, side=side, **kwargs)
        origin = self.fields.pop("origin", None)
        self.fields["consent_matching"] = forms.BooleanField(
            label=ConsentPurpose.MATCHING.label,
            help_text=_("Needed: without your answers we cannot look for a match."),
        )
        self.fields["consent_contact"] = forms.BooleanField(
            label=ConsentPurpose.CONTACT_AFTER_MATCH.label,
            help_text=_("Needed: so that you and your match can meet."),
        )
        self.fields["consent_email"] = forms.BooleanField(
            label=ConsentPurpose.EMAIL_UPDATES.label,
            required=False,
            help_text=_(
                "Optional, and only if you give an e-mail address above. "
                "You can stop these e-mails on your page at any time."
            ),
        )
        if origin is not None:
            self.fields["consent_origin"] = forms.BooleanField(
                label=ConsentPurpose.SHARE_ORIGIN.label,
                required=False,
                help_text=_(
                    "Optional: people who share a history often understand each other well. "
                    "Without this we do not keep where you come from."
                ),
            )
            origin.help_text = _("A country or region; used only if you tick the box above.")
            self.fields["origin"] = origin

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("consent_email") and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "consent_email",
                _("E-mails need an e-mail address: give one above, or leave this box unticked."),
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        consents = [ConsentPurpose.MATCHING, ConsentPurpose.CONTACT_AFTER_MATCH]
        if data.get("consent_origin"):
            consents.append(ConsentPurpose.SHARE_ORIGIN)
        if data.get("consent_email"):
            consents.append(ConsentPurpose.EMAIL_UPDATES)
        return {"capacity": 1, **self.answers(), "side": self.side, "consents": consents}


#: Shown when the answers changed since the form was opened (another window, another device).
STALE_ANSWERS = _(
    "Your answers were changed since you opened this page, perhaps in another window. "
    "Nothing was saved: reload the page to see what is saved now, then make your change again."
)


class ProfileForm(AnswersForm):
    """Changing one's answers after signing up: the sign-up questions, filled in from the
    profile. ``version`` is the profile's version when the form was opened, so a change made
    meanwhile elsewhere is never silently overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, programme=profile.programme, side=profile.side, **kwargs)
        if "origin" in self.fields and not profile.has_consent(ConsentPurpose.SHARE_ORIGIN):
            # Not kept without its consent; giving it on the person's page brings this back.
            del self.fields["origin"]
        saved: dict[str, Any] = {"version": profile.version}
        for name in self.fields:
            if name == "conditions":
                saved[name] = getattr(profile, _conditions_field(profile.side))
            elif name != "version":
                saved[name] = getattr(profile, name)
        self.initial = {**saved, **self.initial}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "version" in self.errors:
            # A hidden field: its own error would name nothing the person can see.
            del self.errors["version"]
            self.add_error(None, STALE_ANSWERS)
        return data


class LeaveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to leave: my contact details are erased and my link stops working.")
    )


class LostLinkForm(forms.Form):
    """Asking for a new private link by e-mail, without saying whether the address is known."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address you gave when you signed up."),
    )
    # A field people never see (the template hides it); automated senders fill it in.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_trap(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), "").strip())


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How is it going? (1 = badly, 5 = very well)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(RatingForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = False


class SkillsAuditForm(forms.Form):
    """The skills self-audit: plain text fields, one entry a line, so it works on any phone."""

    skills = forms.CharField(
        label=_("Your skills"),
        required=False,
        help_text=_("Short words separated by commas, for example: cooking, welding, driving."),
    )
    sectors = forms.CharField(
        label=_("Sectors you have worked in"),
        required=False,
        help_text=_("Separated by commas, for example: construction, care, retail."),
    )
    languages = forms.CharField(
        label=_("Languages and levels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: language code, then level (A1 to C2, or native). Example: fa native"
        ),
    )
    qualifications = forms.CharField(
        label=_("Qualifications, also from abroad"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: title; country; years; skill. Example: Nurse diploma; Iran; 3; nursing"
        ),
    )
    experience = forms.CharField(
        label=_("Work experience, also from abroad"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: job; country; years; skill. Example: Cook; Syria; 5; cooking"),
    )

    def clean_skills(self) -> list[str]:
        return keys_from_text(self.cleaned_data["skills"], "skills")

    def clean_sectors(self) -> list[str]:
        return keys_from_text(self.cleaned_data["sectors"], "sectors")

    def clean_languages(self) -> dict[str, str]:
        levels = {v.lower(): v for v in LanguageLevel.values}
        found: dict[str, str] = {}
        for row, line in enumerate(self.cleaned_data["languages"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.replace(":", " ").split()
            if len(parts) != 2 or not LANGUAGE_PATTERN.match(parts[0].lower()):
                raise ValidationError(
                    _("Line %(row)s: write a language code and a level.") % {"row": row}
                )
            level = levels.get(parts[1].lower())
            if level is None:
                raise ValidationError(
                    _("Line %(row)s: choose a level from A1 to C2, or native.") % {"row": row}
                )
            found[parts[0].lower()] = level
        return found

    def _entries(self, name: str) -> list[dict[str, Any]]:
        entries = []
        for row, line in enumerate(self.cleaned_data[name].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            parts += [""] * (4 - len(parts))
            if len(parts) > 4 or not parts[0]:
                raise ValidationError(
                    _("Line %(row)s: write title; country; years; skill.") % {"row": row}
                )
            years: int | None = None
            if parts[2]:
                if not parts[2].isdigit():
                    raise ValidationError(
                        _("Line %(row)s: years must be a whole number.") % {"row": row}
                    )
                years = int(parts[2])
            entries.append(
                {
                    "title": parts[0],
                    "country": parts[1],
                    "years": years,
                    "skill": parts[3].lower().replace(" ", "_"),
                }
            )
        return entries

    def clean_qualifications(self) -> list[dict[str, Any]]:
        return self._entries("qualifications")

    def clean_experience(self) -> list[dict[str, Any]]:
        return self._entries("experience")


def audit_initial(audit: Any) -> dict[str, str]:
    """The saved audit as the text the form shows."""
    if audit is None:
        return {}

    def lines(entries: list[dict[str, Any]]) -> str:
        return "\n".join(
            "; ".join(
                [
                    e.get("title", ""),
                    e.get("country", ""),
                    str(e.get("years") or ""),
                    e.get("skill", ""),
                ]
            )
            for e in entries
        )

    return {
        "skills": ", ".join(audit.skills or []),
        "sectors": ", ".join(audit.sectors or []),
        "languages": "\n".join(f"{k} {v}" for k, v in (audit.languages or {}).items()),
        "qualifications": lines(audit.qualifications or []),
        "experience": lines(audit.experience or []),
    }


class EmployerSignUpForm(forms.Form):
    name = forms.CharField(label=_("Employer name"), max_length=200)
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=80,
        help_text=_("Shown to a person you are matched with, once you have both accepted."),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    pledge = forms.BooleanField(
        label=_(
            "We sign the Migration Friendly Employer pledge: fair recruitment, recognition of "
            "skills gained abroad, and support for newcomers at work."
        )
    )


class PlacementForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    title = forms.CharField(label=_("Title of the job or placement"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required_skills = forms.CharField(
        label=_("Skills required (optional)"),
        required=False,
        help_text=_("Separated by commas, for example: cooking, driving."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken at work"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    places = forms.TypedChoiceField(
        label=_("How many people can you take?"),
        choices=[(n, str(n)) for n in range(1, 4)],
        coerce=int,
        initial=1,
    )
    latitude = forms.FloatField(
        label=_("Latitude of the workplace"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=_("Longitude of the workplace"), required=False, min_value=-180, max_value=180
    )
    availability = forms.MultipleChoiceField(
        label=_("Working times"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, programmes: list[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.slug, p.name) for p in programmes]
        self.fields["languages"].choices = _language_choices()
        self.fields["availability"].choices = slot_choices()

    def clean_required_skills(self) -> list[str]:
        return keys_from_text(self.cleaned_data["required_skills"], "required_skills")
