"""What Serai tells people, one entry per kind of notification.

A notification stores its kind and parameters, never a rendered sentence: the text is made
when it is read (or e-mailed), in the reader's language. Parameters are encoded by
:func:`encode` — a title keeps every language it has, a label from the code keeps its
translation in every interface language, a date is formatted in the reader's locale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from serai.core.i18n import TranslatedText

KINDS: dict[str, Any] = {
    "project.submitted": _("“%(title)s” (%(code)s) was submitted and awaits Secretariat screening."),
    "project.appraisal": _("“%(title)s” (%(code)s) awaits your subcommittee's appraisal."),
    "project.moved": _("“%(title)s” (%(code)s) is now “%(status)s”."),
    "results.submitted": _("A results update for “%(title)s” (%(code)s) awaits review."),
    "results.reviewed": _("Your results update for “%(title)s” (%(code)s) was reviewed: %(outcome)s."),
    "action.assigned": _("An action of %(meeting)s is yours: “%(title)s” (due %(due)s)."),
    "action.due_soon": _("Reminder: “%(title)s” (%(meeting)s) is due on %(due)s."),
    "action.overdue": _("Overdue: “%(title)s” (%(meeting)s) was due on %(due)s."),
    "digest.weekly": _(
        "Your week in Serai — open actions: %(open)s, overdue: %(overdue)s, meetings in the next two weeks: %(meetings)s."
    ),
    "minutes.circulated": _("The minutes of %(meeting)s were circulated to the members for review."),
    "network.profile_submitted": _("The cooperation profile “%(title)s” of %(organisation)s awaits moderation."),
    "network.profile_moved": _("Your cooperation profile “%(title)s” is now “%(status)s”."),
    "network.interest": _("%(organisation)s is interested in your cooperation profile “%(title)s”."),
    "network.introduction": _("The introduction to %(organisation)s about “%(title)s” is now “%(status)s”."),
    "matchmaking.request": _("%(name)s of %(organisation)s asks you for a meeting at %(event)s."),
    "matchmaking.request_moved": _(
        "Your meeting request with %(name)s of %(organisation)s at %(event)s is now “%(status)s”."
    ),
    "matchmaking.scheduled": _("Your agenda for %(event)s has changed (meetings placed for you: %(count)s)."),
}


class PerLanguage:
    """A parameter whose text depends on the language, e.g. ``PerLanguage(lambda: str(meeting))``."""

    def __init__(self, make) -> None:
        self.make = make


def _each_language(make) -> dict[str, Any]:
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(make())
    return {"t": {"values": values, "source": settings.LANGUAGE_CODE}}


def encode(value: Any) -> Any:
    """A parameter in a form that survives JSON and renders in any language later."""
    if isinstance(value, TranslatedText):
        return {"t": value.to_json()}
    if isinstance(value, Promise):
        return _each_language(lambda: value)
    if isinstance(value, PerLanguage):
        return _each_language(value.make)
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):  # e.g. a digest's lines, each encoded
        return [encode(v) for v in value]
    return value if isinstance(value, (int, float)) else str(value)


def decode(value: Any, lang: str) -> Any:
    if isinstance(value, dict) and "t" in value:
        return TranslatedText.coerce(value["t"]).get(lang)
    if isinstance(value, dict) and "d" in value:
        return date_format(dt.date.fromisoformat(value["d"]), "DATE_FORMAT")
    return value


def render(kind: str, params: dict[str, Any], lang: str) -> str:
    """The notification's sentence in ``lang`` (call inside ``translation.override(lang)``)."""
    template = KINDS.get(kind)
    if template is None:
        return kind
    values = {key: decode(value, lang) for key, value in params.items()}
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):  # a parameter went missing: show the kind, not a crash
        return str(template)


def link(link_name: str, link_args: list[Any]) -> str:
    """The notification's page in the active language ('' if it has none or it is gone)."""
    if not link_name:
        return ""
    try:
        return reverse(link_name, args=link_args)
    except NoReverseMatch:
        return ""
