"""Governance's state machines, one per status field: meetings, decisions, action items, work
plans and their activities, and minutes (draft → circulated to members → amended → adopted).

Each transition is declared once here and fired through the core ``fire`` by the operation that
moves it (``operations.move_minutes``, ``adopt_decision``, ``update_action``, …), which audits it.
Who may fire it is a rule of :mod:`serai.access.permissions`, named here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from serai.core import workflow
from serai.core.workflow import Machine, Transition

from .models import ActionStatus, ActivityStatus, DecisionStatus, MeetingStatus, MinutesStatus, WorkPlanStatus

M = MinutesStatus
Context = workflow.Context
_secretariat = "minutes.edit"


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

MACHINE = Machine(
    TRANSITIONS,
    _("Minutes that are “%(status)s” cannot be moved with “%(transition)s”."),
    model="governance.Minutes",
    audit_action="minutes.{name}",
)


# --- meetings ----------------------------------------------------------------------------------
MS = MeetingStatus

MEETING_MACHINE = Machine(
    (
        Transition("hold", _("Mark as held"), (MS.PLANNED,), MS.HELD, "meeting.edit"),
        Transition("cancel", _("Cancel the meeting"), (MS.PLANNED,), MS.CANCELLED, "meeting.edit"),
        Transition("reinstate", _("Plan the meeting again"), (MS.CANCELLED,), MS.PLANNED, "meeting.edit"),
        # a correction: the meeting was marked held by mistake
        Transition("reopen", _("Mark as not held yet"), (MS.HELD,), MS.PLANNED, "meeting.edit"),
    ),
    _("A meeting that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="governance.Meeting",
    audit_action="meeting.{name}",
)


# --- decisions ---------------------------------------------------------------------------------
DS = DecisionStatus


def meeting_not_cancelled(decision, ctx) -> list[str]:
    if decision.meeting.status == MS.CANCELLED:
        return [str(_("A cancelled meeting adopts nothing."))]
    return []


DECISION_MACHINE = Machine(
    (
        Transition(
            "adopt", _("Adopt the decision"), (DS.DRAFT,), DS.ADOPTED, "decision.edit", (meeting_not_cancelled,)
        ),
        Transition("withdraw", _("Withdraw the draft"), (DS.DRAFT,), DS.WITHDRAWN, "decision.edit"),
    ),
    _("A decision that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="governance.Decision",
    audit_action="decision.{name}",
)


# --- action items --------------------------------------------------------------------------------
AS = ActionStatus
OPEN = (AS.OPEN, AS.IN_PROGRESS)

ACTION_MACHINE = Machine(
    (
        Transition("start", _("Start"), (AS.OPEN,), AS.IN_PROGRESS, "action.update"),
        Transition("complete", _("Mark done"), OPEN, AS.DONE, "action.update"),
        Transition("drop", _("Drop"), OPEN, AS.DROPPED, "action.update"),
        Transition("reopen", _("Take up again"), (AS.DONE, AS.DROPPED), AS.IN_PROGRESS, "action.update"),
    ),
    _("An action that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="governance.ActionItem",
    audit_action="action.{name}",
)


# --- work plans and their activities ---------------------------------------------------------------
WS = WorkPlanStatus


def forum_session(plan, ctx) -> list[str]:
    if ctx.meeting is None or not ctx.meeting.is_forum_session:
        return [str(_("A work plan is adopted at a Forum session that was not cancelled."))]
    return []


WORKPLAN_MACHINE = Machine(
    (
        Transition(
            "adopt",
            _("Adopt the work plan"),
            (WS.DRAFT,),
            WS.ADOPTED,
            "workplan.edit",
            (forum_session,),
            needs_meeting=True,
        ),
    ),
    _("A work plan that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="governance.WorkPlan",
    audit_action="workplan.{name}",
)

AC = ActivityStatus
UNDER_WAY = (AC.PLANNED, AC.IN_PROGRESS)

ACTIVITY_MACHINE = Machine(
    (
        Transition("start", _("Start"), (AC.PLANNED,), AC.IN_PROGRESS, "workplan.edit"),
        Transition("complete", _("Mark done"), UNDER_WAY, AC.DONE, "workplan.edit"),
        Transition("cancel", _("Cancel"), UNDER_WAY, AC.CANCELLED, "workplan.edit"),
        Transition("reopen", _("Take up again"), (AC.DONE, AC.CANCELLED), AC.IN_PROGRESS, "workplan.edit"),
    ),
    _("An activity that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="governance.WorkPlanActivity",
    audit_action="workplan.activity.{name}",
)
