"""The state machines of matchmaking, declared once here through the core machine
(:mod:`serai.core.workflow`): events, participants, meeting requests and scheduled meetings'
attendance. Who may fire each transition is a rule of :mod:`serai.access.permissions`, named here.

They decide; they do not write. :mod:`serai.matchmaking.operations` fires them through the core
``fire`` (lock, check, write the status, audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from serai.core import workflow
from serai.core.workflow import Machine, Transition, TransitionError  # noqa: F401 (re-exported)

from .models import Attendance, EventStatus, Interpretation, ParticipantStatus, RequestStatus

E, P, R, A = EventStatus, ParticipantStatus, RequestStatus, Attendance
Context = workflow.Context

MANAGE = "matchmaking.manage"
ACT = "matchmaking.participant.act"
DECIDE = "matchmaking.request.decide"
WITHDRAW = "matchmaking.request.withdraw"
CANCEL_REQUEST = "matchmaking.request.cancel"
ATTEND = "matchmaking.meeting.attend"
CANCEL_MEETING = "matchmaking.meeting.cancel"


# --- guards: each returns the list of what is missing (empty: the transition may go) ----------
def event_ready(event, ctx) -> list[str]:
    out = []
    if not event.slots.exists():
        out.append(str(_("The event has no meeting slots yet: set its days and times.")))
    if not event.tables.exists():
        out.append(str(_("The event has no tables yet.")))
    return out


def both_registered(request, ctx) -> list[str]:
    if request.requester.status != P.REGISTERED or request.requested.status != P.REGISTERED:
        return [str(_("One of the participants has withdrawn from the event."))]
    return []


EVENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "open_registration",
        _("Open registration"),
        (E.DRAFT, E.REGISTRATION_CLOSED),
        E.REGISTRATION_OPEN,
        MANAGE,
        (event_ready,),
    ),
    Transition("close_registration", _("Close registration"), (E.REGISTRATION_OPEN,), E.REGISTRATION_CLOSED, MANAGE),
    # the scheduler's run (again after late changes: confirmed meetings stay in place)
    Transition("schedule", _("Record the schedule"), (E.REGISTRATION_CLOSED, E.SCHEDULED), E.SCHEDULED, MANAGE),
    Transition("hold", _("Mark as held"), (E.SCHEDULED,), E.HELD, MANAGE),
    Transition("close", _("Close the event"), (E.HELD,), E.CLOSED, MANAGE),
)

EVENT_MACHINE = Machine(
    EVENT_TRANSITIONS,
    _("A matchmaking event that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="matchmaking.Event",
    audit_action="matchmaking.event.{name}",
)

PARTICIPANT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("withdraw", _("Withdraw from the event"), (P.REGISTERED,), P.WITHDRAWN, ACT),
)

PARTICIPANT_MACHINE = Machine(
    PARTICIPANT_TRANSITIONS,
    _("A participant who is “%(status)s” cannot be moved with “%(transition)s”."),
    model="matchmaking.Participant",
    audit_action="matchmaking.participant.{name}",
)

REQUEST_TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", _("Accept the meeting"), (R.REQUESTED,), R.ACCEPTED, DECIDE, (both_registered,)),
    Transition("decline", _("Decline"), (R.REQUESTED,), R.DECLINED, DECIDE, needs_reason=True),
    Transition("withdraw", _("Withdraw the request"), (R.REQUESTED,), R.WITHDRAWN, WITHDRAW),
    Transition("cancel", _("Cancel the meeting"), (R.ACCEPTED,), R.CANCELLED, CANCEL_REQUEST, needs_reason=True),
)

REQUEST_MACHINE = Machine(
    REQUEST_TRANSITIONS,
    _("A meeting request that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="matchmaking.MeetingRequest",
    audit_action="matchmaking.request.{name}",
)

# --- on the day (the agenda pages): check-in, no-show, table changes -----------------------------
ONSITE = "matchmaking.onsite"


@dataclass(frozen=True)
class OnsiteContext:
    """A move's target table (the row locked by the operation) and, for a no-show, who did not come."""

    reason: str = ""
    table: Any = None
    no_show_by: Any = None


def sides_registered(meeting, ctx) -> list[str]:
    request = meeting.request
    gone = [s for s in (request.requester, request.requested) if s.status != P.REGISTERED]
    if gone:
        return [
            str(_("%(name)s has withdrawn from the event; this meeting cannot go ahead."))
            % {"name": gone[0].person.name}
        ]
    return []


def table_fits(meeting, ctx) -> list[str]:
    """The target table is another table of the event, free in the meeting's slot, and offers the
    interpretation the meeting needs."""
    table = getattr(ctx, "table", None)
    if table is None:
        return [str(_("Choose a table."))]
    if table.event_id != meeting.event_id:
        return [str(_("Choose a table of this event."))]
    if table.pk == meeting.table_id:
        return [str(_("The meeting is already at %(table)s.")) % {"table": table}]
    out = []
    taken = (
        type(meeting)
        ._default_manager.filter(slot_id=meeting.slot_id, table=table)
        .exclude(status=A.CANCELLED)
        .exclude(pk=meeting.pk)
        .exists()
    )
    if taken:
        out.append(str(_("%(table)s is full in this slot: another meeting is placed there.")) % {"table": table})
    needed = {
        s.interpretation
        for s in (meeting.request.requester, meeting.request.requested)
        if s.needs_interpreter and s.interpretation != Interpretation.NONE
    }
    if needed - {table.interpretation}:
        out.append(
            str(_("%(table)s has no %(interpretation)s interpretation, which this meeting needs."))
            % {"table": table, "interpretation": ", ".join(str(Interpretation(c).label) for c in sorted(needed))}
        )
    return out


def no_show_side(meeting, ctx) -> list[str]:
    who = getattr(ctx, "no_show_by", None)
    if who is not None and who.pk not in (meeting.request.requester_id, meeting.request.requested_id):
        return [str(_("Only one of the meeting's two sides can be marked as not come."))]
    return []


ATTENDANCE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("check_in", _("Check in"), (A.SCHEDULED, A.NO_SHOW), A.HELD, ATTEND, (sides_registered,)),
    # from held too: an arrival checks in the day's meetings at once; the desk corrects one the other side missed
    Transition("no_show", _("Mark as no-show"), (A.SCHEDULED, A.HELD), A.NO_SHOW, ATTEND, (no_show_side,)),
    # a table change: the meeting stays scheduled in its slot, at another table
    Transition("move", _("Move to another table"), (A.SCHEDULED,), A.SCHEDULED, ONSITE, (sides_registered, table_fits)),
    Transition("cancel", _("Cancel"), (A.SCHEDULED,), A.CANCELLED, CANCEL_MEETING, needs_reason=True),
)

ATTENDANCE_MACHINE = Machine(
    ATTENDANCE_TRANSITIONS,
    _("A meeting that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="matchmaking.ScheduledMeeting",
    audit_action="matchmaking.meeting.{name}",
)
