"""What a proposal's explanation says, in words: the engine's reasons and score parts.

The engine stores reasons as stable keys with a value (``shared_language:fa``,
``distance:2.3km``) and score parts by name. A person's page and the coordinators' proposal
page both show them through these functions, so the two never say different things.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from commonhome.web.texts import language_name

from .forms import DAY_LABELS, GROUPS, PART_LABELS


def reason_sentence(reason: str) -> str:
    """One of the engine's reasons (``shared_language:fa``) as a sentence people read."""
    name, _sep, value = reason.partition(":")
    if name == "shared_language":
        return _("You both speak %(language)s.") % {"language": language_name(value)}
    if name == "language_exchange":
        kind, _eq, code = value.partition("=")
        if kind == "learns":
            return _("Your match speaks %(language)s, which you want to learn.") % {
                "language": language_name(code)
            }
        return _("You speak %(language)s, which your match wants to learn.") % {
            "language": language_name(code)
        }
    if name == "distance":
        return _("You live about %(km)s km apart.") % {"km": value.removesuffix("km")}
    if name == "availability":
        day, _dash, part = value.partition("-")
        when = f"{DAY_LABELS.get(day, day)}, {PART_LABELS.get(part, part)}"
        return _("You are both free on %(when)s.") % {"when": when}
    if name == "target_group":
        if value == "everyone":
            return _("This programme is open to everyone.")
        return _("This match is meant for: %(group)s.") % {"group": dict(GROUPS).get(value, value)}
    if name == "gender":
        return _("Gender preferences are respected.")
    if name == "age_band":
        return _("Age preferences are respected.")
    if name == "skills":
        return (
            _("Skills required: %(skill)s.") % {"skill": value}
            if value
            else _("The skills asked for are met.")
        )
    if name == "conditions":
        return (
            _("The home meets your needs: %(need)s.") % {"need": value}
            if value
            else _("The home meets the conditions asked for.")
        )
    if name == "forced":
        return _("A coordinator chose this match for you.")
    return reason


def part_sentence(name: str, points: int) -> str:
    """One score part (``language``, 3) as a sentence: what it is and how many points."""
    labels = {
        "language": _("Languages in common"),
        "origin": _("A shared history"),
        "interests": _("Interests in common"),
        "distance": _("Living close to each other"),
        "waiting": _("Time you have waited"),
    }
    return _("%(part)s: %(points)s points.") % {"part": labels.get(name, name), "points": points}
