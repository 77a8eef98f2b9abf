"""Forms of the staff pages of bodies, members and meetings: they validate; ``bodies`` decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place

from .models import Body, BodyMember, Consultation, Meeting
from .results_forms import DateInput, LinkContributionsForm, language_choices

BODY_FORM_FIELDS = ("name", "slug", "source_language", "purpose", "composition", "is_public")
MEETING_FORM_FIELDS = (
    "title",
    "source_language",
    "body",
    "consultation",
    "starts_at",
    "ends_at",
    "mode",
    "address",
    "online_url",
    "agenda",
    "minutes",
    "attendance_count",
    "is_public",
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class _Versioned(forms.ModelForm):
    """A model form that only validates; the service saves, checking ``version``."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        self.place = place
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if "source_language" in self.fields:
            self.fields["source_language"] = forms.ChoiceField(
                label=_("Language it is written in"),
                choices=language_choices(place),
                initial=self.instance.source_language
                if self.instance.pk
                else place.default_language,
            )

    def validate_unique(self) -> None:
        """Uniqueness per place is the service's check: the form has no place field."""

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BodyForm(_Versioned):
    class Meta:
        model = Body
        fields = BODY_FORM_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "composition": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"slug": _("Address (letters, digits and hyphens)")}


class MemberForm(forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ("name", "represents", "position", "term_start", "term_end", "show_name")
        widgets = {"term_start": DateInput(), "term_end": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("A term cannot end before it starts."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MeetingForm(_Versioned):
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("The address people join an online or hybrid meeting with."),
    )

    class Meta:
        model = Meeting
        fields = MEETING_FORM_FIELDS
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, place=place, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(place=place)
        self.fields["consultation"].queryset = Consultation.objects.filter(place=place)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end < start:
            self.add_error("ends_at", _("A meeting cannot end before it starts."))
        return data


class AttachForm(LinkContributionsForm):
    """Contributions raised at a meeting: pasted, or picked from the meeting's consultation."""

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        self.fields["picked"].label = _("Contributions of the meeting's consultation")
