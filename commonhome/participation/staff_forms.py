"""Forms of the participation staff pages: they validate input; services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place
from commonhome.directory.constants import Domain
from commonhome.directory.models import Service
from commonhome.web.texts import language_name

from .constants import AnswerState, Kind, Level, Phase, Visibility
from .models import Consultation


def language_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, f"{language_name(code)} ({code})") for code in codes]


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("Part of the page address, e.g. welcome-2025."),
    )
    description = forms.CharField(
        label=_("What is it about?"), widget=forms.Textarea(attrs={"rows": 5})
    )
    what_happens_next = forms.CharField(
        label=_("What the city will do with the input, and by when"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer_by = forms.DateField(
        label=_("Answers promised by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required while it is open for input."),
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices, initial=Phase.OPEN)
    domains = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(
        label=_("Opens on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_published = forms.BooleanField(label=_("Shown to the public"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_record(cls, consultation: Consultation | None, data: Any = None) -> ConsultationForm:
        if consultation is None:
            return cls(data)
        initial = {
            name: getattr(consultation, name)
            for name in cls.base_fields
            if hasattr(consultation, name)
        }
        return cls(data, initial=initial)


class TranslationForm(forms.Form):
    """One language version of a record's texts, entered by a person."""

    language = forms.ChoiceField(label=_("Language"))

    def __init__(self, *args: Any, record: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(
            [code for code in languages if code != record.source_language]
        )
        for name in record.translatable_fields:
            field = record._meta.get_field(name)
            widget = (
                forms.Textarea(attrs={"rows": 3})
                if field.get_internal_type() == "TextField"
                else None
            )
            self.fields[name] = forms.CharField(
                label=field.verbose_name.capitalize(), required=False, widget=widget
            )


class SettingsForm(forms.Form):
    contribute_level = forms.TypedChoiceField(
        label=_("To send a need, suggestion or question"), choices=Level.choices, coerce=int
    )
    support_level = forms.TypedChoiceField(label=_("To support"), choices=Level.choices, coerce=int)
    comment_level = forms.TypedChoiceField(label=_("To comment"), choices=Level.choices, coerce=int)
    reports_to_hide = forms.IntegerField(
        label=_("Reports before hiding"),
        min_value=1,
        max_value=100,
        help_text=_("After this many reports a contribution or comment waits for a moderator."),
    )
    anonymous_per_hour = forms.IntegerField(
        label=_("Anonymous submissions per hour from one client"), min_value=1, max_value=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


COUNTS_AS = [(k, v) for k, v in AnswerState.choices if k != AnswerState.NOT_ANSWERED]


class CustomStateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_(
            "A stable key for exports and filters; cannot change later. "
            "Made from the name when empty."
        ),
    )
    counts_as = forms.ChoiceField(label=_("Counts as"), choices=COUNTS_AS)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.Form):
    state = forms.ChoiceField(label=_("Answer"))
    text = forms.CharField(
        label=_("Answer text"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it is not taken up."),
    )
    services = forms.MultipleChoiceField(
        label=_("Directory services that already meet the need"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required for “already offered”."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        states: list[tuple[str, str, str]],
        services: list[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            (key, label) for key, label, _group in states if key != AnswerState.NOT_ANSWERED
        ]
        self.fields["services"].choices = [(str(s.pk), s.name) for s in services]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author is told)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeskForm(forms.Form):
    """A contribution recorded by staff for someone who came to a desk or called."""

    consultation = forms.ChoiceField(label=_("Consultation"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    domain = forms.ChoiceField(
        label=_("Topic"), choices=[("", "—"), *Domain.choices], required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("What the person said"), widget=forms.Textarea(attrs={"rows": 6})
    )
    language = forms.ChoiceField(label=_("Language it is written in"))
    display_name = forms.CharField(
        label=_("Name to show"),
        max_length=80,
        required=False,
        help_text=_("As the person wants it shown; leave empty to show no name."),
    )
    contact = forms.CharField(
        label=_("How to reach the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept private: only staff see it, to tell the person about the answer."),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("Only if the person wants answers by e-mail. Never shown publicly."),
    )

    def __init__(self, *args: Any, place: Place, consultations: list[Consultation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [(c.slug, c.title) for c in consultations]
        self.fields["language"].choices = language_choices(place.content_languages)
        self.fields["language"].initial = place.default_language


class ParticipantLookupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the participant"))


class FilterForm(forms.Form):
    """Filters of the staff contributions list, all optional."""

    consultation = forms.ChoiceField(label=_("Consultation"), required=False)
    state = forms.ChoiceField(label=_("Answer"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False
    )
    domain = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All")), *Domain.choices], required=False
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=[("", _("All")), *Visibility.choices], required=False
    )
    unpublished = forms.BooleanField(label=_("Answered but not published"), required=False)

    def __init__(
        self,
        *args: Any,
        place: Place,
        consultations: list[Consultation],
        states: list[tuple[str, str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [("", _("All"))] + [
            (c.slug, c.title) for c in consultations
        ]
        self.fields["state"].choices = [("", _("All"))] + [(k, label) for k, label, _g in states]
        self.fields["language"].choices = [("", _("All"))] + language_choices(
            place.content_languages
        )
