"""The minutes' state machine: draft → circulated to members → amended → adopted (locked).

Each transition is declared once here and fired by :func:`operations.move_minutes` (or, for
``amend``, by the save that changes circulated minutes), which audits it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from serai.core.workflow import Machine, Transition

from .models import MinutesStatus

M = MinutesStatus


@dataclass(frozen=True)
class Context:
    reason: str = ""


def _secretariat(p, minutes) -> bool:
    return p.secretariat


def has_text(minutes, ctx: Context) -> list[str]:
    if minutes.revision == 0 or not minutes.text.values:
        return [str(_("The minutes have no text yet."))]
    return []


def meeting_held(minutes, ctx: Context) -> list[str]:
    if minutes.meeting.status != "held":
        return [str(_("Minutes are adopted for a meeting that was held."))]
    return []


TRANSITIONS: tuple[Transition, ...] = (
    Transition("circulate", _("Circulate to members"), (M.DRAFT, M.AMENDED), M.CIRCULATED, _secretariat, (has_text,)),
    Transition("amend", _("Amend"), (M.CIRCULATED,), M.AMENDED, _secretariat),
    Transition(
        "adopt", _("Adopt the minutes"), (M.CIRCULATED, M.AMENDED), M.ADOPTED, _secretariat, (has_text, meeting_held)
    ),
)

MACHINE = Machine(TRANSITIONS, _("Minutes that are “%(status)s” cannot be moved with “%(transition)s”."))
