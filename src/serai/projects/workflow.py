"""The project state machine. Each transition is declared once here: where it starts, where it
ends, who may fire it, what must hold first, and whether a reason is required.

It decides; it does not write. ``operations.fire_transition`` runs a transition through the core
``fire`` (which checks the rule, writes the status and records the audit entry) and adds the
timeline row. Indicator updates have their own machine below (``UPDATE_MACHINE``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from serai.core import workflow
from serai.core.workflow import Machine, Transition, TransitionError  # noqa: F401 (re-exported)

from .models import Status, UpdateStatus
from .validation import proposal_problems

S = Status


Context = workflow.Context  # the reason and the Forum session

# who may fire each transition is a rule of serai.access.permissions, named here
PROPONENT = "project.move_as_proponent"
SECRETARIAT = "project.steer"
APPRAISER = "project.appraise"
MANAGER = "project.implement"


def may_appraise(user: Any, project) -> bool:
    """Whether ``user`` appraises ``project`` (the Secretariat or a member of its subcommittee)."""
    return workflow.may(user, APPRAISER, project)


# --- guards: each returns the list of what is missing (empty: the transition may go) ----------
def proposal_complete(project, ctx: Context) -> list[str]:
    return proposal_problems(project)


def has_participant(project, ctx: Context) -> list[str]:
    if not project.participations.exists():
        return [str(_("At least one participating organisation is needed."))]
    return []


def appraisal_complete(project, ctx: Context) -> list[str]:
    if not any(a.is_complete() for a in project.appraisals.all()):
        return [str(_("A completed appraisal with a score for every criterion is needed."))]
    return []


def forum_session_named(project, ctx: Context) -> list[str]:
    meeting = ctx.meeting
    if meeting is None:
        return [str(_("Name the Forum session at which the project is endorsed."))]
    if not meeting.is_forum_session:
        return [str(_("Endorsement needs a Forum session that was not cancelled."))]
    return []


def has_results_framework(project, ctx: Context) -> list[str]:
    from .models import Indicator

    if not Indicator.objects.filter(result__project=project).exists():
        return [str(_("The results framework needs at least one indicator before implementation."))]
    return []


def results_reported(project, ctx: Context) -> list[str]:
    from .models import Indicator

    missing = Indicator.objects.filter(result__project=project).exclude(updates__status="approved").count()
    if missing:
        return [str(_("%(n)s indicator(s) have no approved update yet.") % {"n": missing})]
    return []


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", _("Submit the proposal"), (S.IDEA, S.RETURNED), S.SUBMITTED, PROPONENT, (proposal_complete,)),
    Transition("screen", _("Start Secretariat screening"), (S.SUBMITTED,), S.SCREENING, SECRETARIAT),
    Transition(
        "send_to_appraisal",
        _("Send to subcommittee appraisal"),
        (S.SCREENING,),
        S.APPRAISAL,
        SECRETARIAT,
        (proposal_complete, has_participant),
    ),
    Transition(
        "return",
        _("Return for revision"),
        (S.SUBMITTED, S.SCREENING, S.APPRAISAL),
        S.RETURNED,
        APPRAISER,
        needs_reason=True,
    ),
    Transition(
        "recommend", _("Recommend for endorsement"), (S.APPRAISAL,), S.RECOMMENDED, APPRAISER, (appraisal_complete,)
    ),
    Transition(
        "decline",
        _("Decline"),
        (S.SUBMITTED, S.SCREENING, S.APPRAISAL, S.RECOMMENDED),
        S.DECLINED,
        SECRETARIAT,
        needs_reason=True,
    ),
    Transition(
        "endorse",
        _("Record endorsement by the Forum"),
        (S.RECOMMENDED,),
        S.ENDORSED,
        SECRETARIAT,
        (forum_session_named,),
        needs_meeting=True,
    ),
    Transition("start", _("Start implementation"), (S.ENDORSED,), S.IMPLEMENTATION, MANAGER, (has_results_framework,)),
    Transition("suspend", _("Suspend"), (S.IMPLEMENTATION,), S.SUSPENDED, SECRETARIAT, needs_reason=True),
    Transition("resume", _("Resume implementation"), (S.SUSPENDED,), S.IMPLEMENTATION, SECRETARIAT),
    Transition("complete", _("Mark completed"), (S.IMPLEMENTATION,), S.COMPLETED, MANAGER),
    Transition("evaluate", _("Record the evaluation"), (S.COMPLETED,), S.EVALUATED, SECRETARIAT, (results_reported,)),
    Transition(
        "withdraw",
        _("Withdraw"),
        (S.IDEA, S.SUBMITTED, S.SCREENING, S.APPRAISAL, S.RETURNED, S.RECOMMENDED),
        S.WITHDRAWN,
        PROPONENT,
    ),
)

MACHINE = Machine(
    TRANSITIONS,
    _("A project that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="projects.Project",
    audit_action="project.transition.{name}",
)
BY_NAME = MACHINE.by_name
get = MACHINE.get
problems = MACHINE.problems
available = MACHINE.available


# --- indicator updates (the results framework) -------------------------------------------------
U = UpdateStatus

UPDATE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", _("Submit"), (U.DRAFT, U.RETURNED), U.SUBMITTED, "results.submit"),
    Transition("approve", _("Approve"), (U.SUBMITTED,), U.APPROVED, "results.review"),
    Transition("return", _("Return"), (U.SUBMITTED,), U.RETURNED, "results.review", needs_reason=True),
    # a returned update that is edited again is a draft again
    Transition("revise", _("Revise"), (U.RETURNED,), U.DRAFT, "results.submit"),
)

UPDATE_MACHINE = Machine(
    UPDATE_TRANSITIONS,
    _("An update that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="projects.IndicatorUpdate",
    audit_action="project.update.{name}",
)
