"""Forms of the coordinators' pages: they validate input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import engine
from .constants import (
    MAX_CAPACITY,
    PRIORITY_POLICIES,
    UNMATCHED_OUTCOMPETED,
    ProfileStatus,
    ProgrammeKind,
    Side,
)
from .models import Profile, Programme

#: Labels of the engine's hard constraints, in the engine's order.
HARD_LABELS: dict[str, Any] = {
    "shared_language": _("A language in common"),
    "language_exchange": _("Each speaks what the other learns"),
    "target_group": _("Target group"),
    "gender": _("Gender preference"),
    "age_band": _("Age band"),
    "distance": _("Maximum distance"),
    "availability": _("Availability overlaps"),
    "skills": _("Required skills"),
    "conditions": _("Host conditions (pets, smoking, children, step-free)"),
}
SOFT_LABELS: dict[str, Any] = {
    "language": _("Languages in common"),
    "origin": _("Shared origin (when both agree)"),
    "interests": _("Interests in common"),
    "distance": _("Closeness"),
    "waiting": _("Time waited"),
}
PRIORITY_LABELS: dict[str, Any] = {
    "long_waiting": _("People who waited long"),
    "few_options": _("People with few possible matches"),
}
#: Why a free seeker has no proposal (``engine.why_unmatched`` and the dashboard).
REASON_LABELS: dict[str, Any] = {
    UNMATCHED_OUTCOMPETED: _("Has possible matches, given to others or not run yet"),
    "no_offerers": _("Nobody offering yet"),
    "no_capacity": _("Everyone who would fit is full"),
    **{name: HARD_LABELS[name] for name in engine.HARD},
    "excluded": _("Only pairs already tried or forbidden"),
    "not_explained": _("No possible match (not analysed)"),
}


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Reason (kept in the log)"))
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class PairRuleForm(forms.Form):
    """Force or forbid a pair of this person with someone of the other side."""

    other = forms.ModelChoiceField(queryset=Profile.objects.none(), label=_("With"))
    reason = ReasonField()

    def __init__(self, profile: Profile, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other_side = Side.OFFERER if profile.side == Side.SEEKER else Side.SEEKER
        field = self.fields["other"]
        field.queryset = Profile.objects.filter(
            programme_id=profile.programme_id, side=other_side, status=ProfileStatus.ACTIVE
        ).order_by("display_name", "pk")
        field.label_from_instance = lambda p: f"{p.display_name} · {str(p.pk)[:8]}"


class EndMatchForm(forms.Form):
    reason = ReasonField()


class ProgrammeForm(forms.Form):
    """A programme's texts, timings and rules; the rules are split into plain fields."""

    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("Letters, digits and hyphens; it becomes part of the programme's address."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    max_capacity = forms.IntegerField(
        label=_("Matches one offerer may take at once"), min_value=1, max_value=MAX_CAPACITY
    )
    proposal_expiry_days = forms.IntegerField(
        label=_("Days to answer a proposal"), min_value=1, max_value=90
    )
    reminder_days = forms.IntegerField(label=_("Remind after (days)"), min_value=1, max_value=89)
    is_open = forms.BooleanField(label=_("Open for sign-ups"), required=False)
    hard = forms.MultipleChoiceField(
        label=_("Hard constraints: a pair must meet all of these"),
        required=False,
        choices=[(name, HARD_LABELS[name]) for name in engine.HARD],
        widget=forms.CheckboxSelectMultiple,
    )
    max_km = forms.FloatField(
        label=_("Maximum distance (km)"), required=False, min_value=0.1, max_value=1000
    )
    priority = forms.MultipleChoiceField(
        label=_("Matched first"),
        required=False,
        choices=[(name, PRIORITY_LABELS[name]) for name in sorted(PRIORITY_POLICIES)],
        widget=forms.CheckboxSelectMultiple,
    )
    long_wait_days = forms.IntegerField(
        label=_("Waited long from (days)"), min_value=1, max_value=3650
    )
    few_options_max = forms.IntegerField(
        label=_("Few possible matches: at most"), min_value=1, max_value=50
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in engine.SOFT:
            self.fields[f"weight_{name}"] = forms.IntegerField(
                label=SOFT_LABELS[name], min_value=0, max_value=100, initial=0
            )
        if editing:
            self.fields["slug"].disabled = True
            self.fields["slug"].required = False

    @property
    def weight_fields(self) -> list[Any]:
        return [self[f"weight_{name}"] for name in engine.SOFT]

    @classmethod
    def initial_for(cls, programme: Programme) -> dict[str, Any]:
        rules = programme.rules or {}
        initial: dict[str, Any] = {
            name: getattr(programme, name)
            for name in (
                "slug",
                "name",
                "description",
                "kind",
                "max_capacity",
                "proposal_expiry_days",
                "reminder_days",
                "is_open",
                "version",
            )
        }
        initial.update(
            hard=list(rules.get("hard", [])),
            max_km=rules.get("max_km"),
            priority=list(rules.get("priority", [])),
            long_wait_days=rules.get("long_wait_days", 60),
            few_options_max=rules.get("few_options_max", 3),
        )
        weights = rules.get("weights", {})
        for name in engine.SOFT:
            initial[f"weight_{name}"] = weights.get(name, 0)
        return initial

    def rules(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "hard": list(data["hard"]),
            "weights": {
                name: data[f"weight_{name}"]
                for name in engine.SOFT
                if data.get(f"weight_{name}") is not None
            },
            "max_km": data.get("max_km"),
            "priority": list(data["priority"]),
            "long_wait_days": data["long_wait_days"],
            "few_options_max": data["few_options_max"],
        }

    def programme_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "kind": data["kind"],
            "max_capacity": data["max_capacity"],
            "proposal_expiry_days": data["proposal_expiry_days"],
            "reminder_days": data["reminder_days"],
            "is_open": data["is_open"],
            "rules": self.rules(),
        }
