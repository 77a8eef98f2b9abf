"""Forms of the public participation pages: they validate what a person typed; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place
from commonhome.directory.constants import Domain
from commonhome.web.texts import language_name

from .constants import Kind
from .models import Consultation, Report
from .services import BODY_MAX, BODY_MIN, COMMENT_MAX, TITLE_MAX, TITLE_MIN


class Honeypot(forms.Form):
    """A field people never see (the template hides it); automated senders fill it in."""

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_trap(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), "").strip())


def language_choices(place: Place) -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in place.content_languages]


def page_language(place: Place) -> str:
    """The language a person most likely writes in: the page's, when the place offers it."""
    current = (get_language() or "").split("-")[0]
    return current if current in place.content_languages else place.default_language


class ContributionForm(Honeypot):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=Kind.choices,
        initial=Kind.NEED,
        widget=forms.RadioSelect,
    )
    domain = forms.ChoiceField(label=_("Topic"), required=False)
    title = forms.CharField(
        label=_("Title"),
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text=_("A few words that sum it up."),
    )
    body = forms.CharField(
        label=_("Your text"),
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write in the language you prefer. Do not include anyone's personal details."),
    )
    language = forms.ChoiceField(
        label=_("Language you write in"),
        help_text=_("Others read a translation; your original text is always one click away."),
    )
    location_label = forms.CharField(
        label=_("Where? (optional)"),
        required=False,
        max_length=200,
        help_text=_("A street, a neighbourhood or a building, if it is about a place."),
    )
    latitude = forms.FloatField(
        label=_("Latitude (optional)"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=_("Longitude (optional)"), required=False, min_value=-180, max_value=180
    )
    author_name = forms.CharField(
        label=_("Name shown with your text (optional)"),
        required=False,
        max_length=80,
        help_text=_("Leave it empty to appear as “Anonymous”."),
    )
    email = forms.EmailField(
        label=_("Your e-mail, to hear back (optional)"),
        required=False,
        help_text=_(
            "We write to you when the city answers or acts on it. It is never shown, and you "
            "can erase it at any time."
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that my e-mail address is kept to tell me what happens to what I send."),
        required=False,
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = consultation.place
        self.fields["language"].choices = language_choices(place)
        self.fields["language"].initial = page_language(place)
        self.fields["domain"].choices = [("", _("No particular topic"))] + [
            (key, Domain(key).label if key in Domain.values else key)
            for key in consultation.domains or []
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        if data.get("email") and not data.get("consent"):
            self.add_error(
                "consent", _("Tick the box so we may keep your address, or leave the e-mail empty.")
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values ``services.submit_contribution`` takes."""
        names = (
            "kind",
            "domain",
            "title",
            "body",
            "language",
            "location_label",
            "latitude",
            "longitude",
            "author_name",
        )
        return {name: self.cleaned_data.get(name) for name in names}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language you write in"))
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(place)
        self.fields["language"].initial = page_language(place)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Anything a moderator should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.UUIDField(required=False, widget=forms.HiddenInput)


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))
    consent = forms.BooleanField(
        label=_(
            "I agree that my e-mail address is kept to sign me in and to tell me what happens "
            "to what I send or follow. I can erase it at any time."
        ),
        error_messages={"required": _("Tick the box so we may keep your address.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CodeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))
    code = forms.RegexField(
        label=_("The 6-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Type the 6 digits from the e-mail.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "8"}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
