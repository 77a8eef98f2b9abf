"""Forms of the staff result pages: they validate input; ``results`` decides."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place
from commonhome.directory.constants import Domain

from .constants import ProgressMode
from .models import Consultation, Milestone, Result, ResultStatus

UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)

RESULT_FORM_FIELDS = (
    "title",
    "description",
    "source_language",
    "consultation",
    "domain",
    "status",
    "progress_mode",
    "progress",
    "weight",
    "parent",
    "start_date",
    "end_date",
    "is_published",
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def language_choices(place: Place) -> list[tuple[str, str]]:
    choices = []
    for code in place.content_languages:
        try:
            name = str(get_language_info(code)["name_local"])
        except KeyError:
            name = code
        choices.append((code, name))
    return choices


def descendant_ids(result: Result) -> set[Any]:
    """Ids of ``result`` and every result under it: none of them can become its parent."""
    ids = {result.pk}
    frontier = [result.pk]
    while frontier:
        frontier = list(
            Result.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


class ResultForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, place: Place, result: Result | None = None, **kwargs: Any
    ) -> None:
        self.place = place
        self.result = result
        if result is not None:
            initial = {name: getattr(result, name) for name in RESULT_FORM_FIELDS}
            initial["version"] = result.version
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault(
                "initial",
                {"source_language": place.default_language, "is_published": True, "weight": 1},
            )
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Result,
            fields=[n for n in RESULT_FORM_FIELDS if n != "source_language"],
            widgets={
                "start_date": DateInput(),
                "end_date": DateInput(),
                "description": forms.Textarea(attrs={"rows": 5}),
            },
        )
        self.fields.update(model_fields)
        self.fields["source_language"] = forms.ChoiceField(
            label=_("Language it is written in"), choices=language_choices(place)
        )
        order = ["version", *RESULT_FORM_FIELDS]
        self.fields = {name: self.fields[name] for name in order}
        self.fields["consultation"].queryset = Consultation.objects.filter(place=place)
        self.fields["status"].queryset = ResultStatus.objects.filter(place=place)
        parents = Result.objects.filter(place=place).order_by("title").only("id", "title")
        if result is not None:
            parents = parents.exclude(pk__in=descendant_ids(result))
        self.fields["parent"].queryset = parents
        self.fields["parent"].label = _("Part of")
        self.fields["domain"].label = _("Topic")
        self.fields["is_published"].label = _("Shown on the public pages")
        self.fields["progress_mode"].label = _("Progress")
        self.fields["progress_mode"].help_text = _(
            "Set by hand, or computed from the progress of its parts."
        )
        self.fields["progress"].label = _("Progress (%)")
        self.fields["progress"].required = False
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100, "step": "any"})
        self.fields["progress"].help_text = _(
            "Per cent, 0 to 100. Leave empty to take the status's default progress."
        )
        self.fields["weight"].widget.attrs.update({"min": 0, "step": "any"})
        self.computed = bool(
            result is not None
            and result.progress_mode != ProgressMode.MANUAL
            and result.children.exists()
        )
        if self.computed:
            self.fields["progress"].disabled = True
            self.fields["progress"].help_text = _(
                "Computed from its parts (see below): change their progress, or set the "
                "progress mode to “set by hand”."
            )

    def clean_progress(self) -> float | None:
        value = self.cleaned_data.get("progress")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Progress is a percentage from 0 to 100."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in RESULT_FORM_FIELDS}
        if self.computed:
            data.pop("progress")
        return data


def ids_in(text: str) -> list[str]:
    """The ids found in pasted text: ids alone, or inside addresses of staff pages."""
    return list(dict.fromkeys(m.group(0).lower() for m in UUID_RE.finditer(text or "")))


class LinkContributionsForm(forms.Form):
    pasted = forms.CharField(
        label=_("Contribution ids or addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Paste one or more ids or page addresses, separated by spaces or lines."),
    )
    picked = forms.MultipleChoiceField(
        label=_("Accepted contributions not linked yet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["picked"].choices = choices

    def chosen_ids(self) -> list[str]:
        return list(
            dict.fromkeys(ids_in(self.cleaned_data["pasted"]) + self.cleaned_data["picked"])
        )


class LinkForm(forms.Form):
    """Choose directory services or meetings to link."""

    chosen = forms.MultipleChoiceField(label=_("Choose"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], label: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = choices
        self.fields["chosen"].label = label
        self.fields["chosen"].widget.attrs["size"] = min(8, max(2, len(choices)))


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ("date", "title", "description")
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}


class StatusForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ResultStatus
        fields = ("key", "name", "progress", "position")
        labels = {"key": _("Key (stable, never shown)"), "progress": _("Default progress")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_progress(self) -> int | None:
        value = self.cleaned_data.get("progress")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Progress is a percentage from 0 to 100."))
        return value

    def validate_unique(self) -> None:
        """Uniqueness per place is the service's check: the form has no place field."""


class ResultFilterForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_("Consultation"), queryset=Consultation.objects.none(), required=False
    )
    status = forms.ModelChoiceField(
        label=_("Status"), queryset=ResultStatus.objects.none(), required=False
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = Consultation.objects.filter(place=place)
        self.fields["status"].queryset = ResultStatus.objects.filter(place=place)
        self.fields["topic"].choices = [("", _("All topics")), *Domain.choices]
