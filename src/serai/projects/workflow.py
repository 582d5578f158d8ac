"""The project state machine. Each transition is declared once here: where it starts, where it
ends, who may fire it, what must hold first, and whether a reason is required.

It decides; it does not write. ``operations.fire_transition`` runs a transition: it checks
the rule below, changes the status, records the timeline row and the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from serai.access import permissions
from serai.core.workflow import Machine, Transition, TransitionError  # noqa: F401 (re-exported)

from .models import Status
from .validation import proposal_problems

S = Status


@dataclass(frozen=True)
class Context:
    """What a transition may need beyond the project: the reason and the Forum session."""

    reason: str = ""
    meeting: Any = None


_is_editor = permissions._project_editor
_is_country_focal_point = permissions._project_focal_point


def _proponent(p, project) -> bool:
    return p.secretariat or _is_editor(p, project) or _is_country_focal_point(p, project)


def _secretariat(p, project) -> bool:
    return p.secretariat


def _appraiser(p, project) -> bool:
    return p.secretariat or (project.subcommittee_id is not None and project.subcommittee_id in p.bodies)


def may_appraise(user: Any, project) -> bool:
    """Whether ``user`` appraises ``project`` (the Secretariat or a member of its subcommittee)."""
    return _appraiser(permissions.principal(user), project)


def _manager(p, project) -> bool:
    return p.secretariat or _is_editor(p, project)


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
    Transition("submit", _("Submit the proposal"), (S.IDEA, S.RETURNED), S.SUBMITTED, _proponent, (proposal_complete,)),
    Transition("screen", _("Start Secretariat screening"), (S.SUBMITTED,), S.SCREENING, _secretariat),
    Transition(
        "send_to_appraisal",
        _("Send to subcommittee appraisal"),
        (S.SCREENING,),
        S.APPRAISAL,
        _secretariat,
        (proposal_complete, has_participant),
    ),
    Transition(
        "return",
        _("Return for revision"),
        (S.SUBMITTED, S.SCREENING, S.APPRAISAL),
        S.RETURNED,
        _appraiser,
        needs_reason=True,
    ),
    Transition(
        "recommend", _("Recommend for endorsement"), (S.APPRAISAL,), S.RECOMMENDED, _appraiser, (appraisal_complete,)
    ),
    Transition(
        "decline",
        _("Decline"),
        (S.SUBMITTED, S.SCREENING, S.APPRAISAL, S.RECOMMENDED),
        S.DECLINED,
        _secretariat,
        needs_reason=True,
    ),
    Transition(
        "endorse",
        _("Record endorsement by the Forum"),
        (S.RECOMMENDED,),
        S.ENDORSED,
        _secretariat,
        (forum_session_named,),
        needs_meeting=True,
    ),
    Transition("start", _("Start implementation"), (S.ENDORSED,), S.IMPLEMENTATION, _manager, (has_results_framework,)),
    Transition("suspend", _("Suspend"), (S.IMPLEMENTATION,), S.SUSPENDED, _secretariat, needs_reason=True),
    Transition("resume", _("Resume implementation"), (S.SUSPENDED,), S.IMPLEMENTATION, _secretariat),
    Transition("complete", _("Mark completed"), (S.IMPLEMENTATION,), S.COMPLETED, _manager),
    Transition("evaluate", _("Record the evaluation"), (S.COMPLETED,), S.EVALUATED, _secretariat, (results_reported,)),
    Transition(
        "withdraw",
        _("Withdraw"),
        (S.IDEA, S.SUBMITTED, S.SCREENING, S.APPRAISAL, S.RETURNED, S.RECOMMENDED),
        S.WITHDRAWN,
        _proponent,
    ),
)

MACHINE = Machine(TRANSITIONS, _("A project that is “%(status)s” cannot be moved with “%(transition)s”."))
BY_NAME = MACHINE.by_name
get = MACHINE.get
problems = MACHINE.problems
available = MACHINE.available
