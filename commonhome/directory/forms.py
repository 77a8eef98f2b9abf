"""Forms of the contributor network and the staff pages: they validate; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from .models import Organization, Service
from .services import editable_fields


def _formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class RecordForm(forms.Form):
    """The editable fields of a record (or some of them), filled with its current values."""

    def __init__(
        self,
        *args: Any,
        record: Service | Organization,
        names: list[str] | None = None,
        show_hidden_initial: bool = False,
        **kwargs: Any,
    ) -> None:
        self.record = record
        names = list(names) if names is not None else list(editable_fields(record))
        kwargs.setdefault("initial", {name: getattr(record, name) for name in names})
        super().__init__(*args, **kwargs)
        own = self.fields
        self.fields = {}
        model_fields = fields_for_model(type(record), fields=names, formfield_callback=_formfield)
        for name, field in model_fields.items():
            field.show_hidden_initial = show_hidden_initial
            self.fields[name] = field
        clash = set(own) & set(self.fields)
        if clash:
            raise ImproperlyConfigured(f"form fields hide record fields: {sorted(clash)}")
        self.fields.update(own)
        self.record_field_names = [name for name in names if name in self.fields]

    def record_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.record_field_names]

    def other_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if name not in self.record_field_names and not self.fields[name].widget.is_hidden
        ]

    def record_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.record_field_names}


class SuggestionForm(RecordForm):
    """Anyone's suggestion: changed fields, a message, an optional e-mail for the outcome."""

    message = forms.CharField(
        label=_("What is wrong or out of date?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("For example: the opening hours changed, or the service has moved."),
    )
    reply_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_(
            "Only if you want to hear what we decide. We use it for that one message and "
            "then delete it."
        ),
    )
    # A field people never see (the template hides it); automated senders fill it in.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, record: Service | Organization, **kwargs: Any) -> None:
        super().__init__(*args, record=record, show_hidden_initial=True, **kwargs)
        self.initial.setdefault("base_version", record.version)

    def other_fields(self) -> list[forms.BoundField]:
        return [bf for bf in super().other_fields() if bf.name != "homepage"]

    @property
    def is_trap(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), "").strip())

    def seen_value(self, name: str) -> Any:
        """The value the person saw in ``name`` when the form was opened."""
        field = self.fields[name]
        bound = self[name]
        raw = field.hidden_widget().value_from_datadict(
            self.data, self.files, bound.html_initial_name
        )
        try:
            return field.to_python(raw)
        except forms.ValidationError:
            return None

    def proposal(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The fields the person changed: (their values, the values they saw)."""
        touched = [name for name in self.changed_data if name in self.record_field_names]
        proposed = {name: self.cleaned_data[name] for name in touched}
        seen = {name: self.seen_value(name) for name in touched}
        return proposed, seen


class EditForm(RecordForm):
    """A direct edit by place staff or an organisation editor, guarded by the record's version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    minor = forms.BooleanField(
        label=_("Minor edit (typo)"),
        required=False,
        help_text=_("Translations stay current: use only when the meaning does not change."),
    )

    def __init__(self, *args: Any, record: Service | Organization, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        self.initial.setdefault("version", record.version)


class AmendForm(RecordForm):
    """The moderator's version of a suggestion: the proposed fields, editable, and a note."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Note for the suggester (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(
        self,
        *args: Any,
        record: Service | Organization,
        proposed: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        names = [name for name in editable_fields(record) if name in proposed]
        initial = {name: record._meta.get_field(name).to_python(proposed[name]) for name in names}
        initial["version"] = record.version
        kwargs.setdefault("initial", initial)
        super().__init__(*args, record=record, names=names, **kwargs)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it rejected?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Sent to the suggester if they left an e-mail."),
    )
