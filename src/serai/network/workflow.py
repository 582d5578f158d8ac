"""The state machines of cooperation profiles and introductions, declared once here through the
core machine (:mod:`serai.core.workflow`): where each transition starts and ends, who may fire
it, what must hold first, and whether a reason is required.

They decide; they do not write. ``operations.fire_profile`` and ``operations.fire_introduction``
run a transition through the core ``fire`` (which checks the machine, writes the status and
records the audit entry) and tell those concerned.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serai.core import workflow
from serai.core.workflow import Machine, Transition, TransitionError  # noqa: F401 (re-exported)

from .models import IntroductionStatus, ProfileStatus

P = ProfileStatus
I = IntroductionStatus  # noqa: E741


Context = workflow.Context  # the reason (a moderation note, a decline)

# who may fire each transition: rules of serai.access.permissions
_manager = "profile.manage"
_moderator = "profile.moderate"
_decider = "introduction.decide"
_requester = "introduction.withdraw"


# --- guards: each returns the list of what is missing (empty: the transition may go) ----------
def profile_complete(profile, ctx: Context) -> list[str]:
    out = []
    if not profile.title:
        out.append(str(_("Give the profile a title.")))
    if not profile.description:
        out.append(str(_("Describe what is offered or sought.")))
    if not profile.fields.exists():
        out.append(str(_("Choose at least one cooperation field.")))
    return out


def still_valid(profile, ctx: Context) -> list[str]:
    if profile.valid_until is not None and profile.valid_until < timezone.localdate():
        return [str(_("The validity date has passed; set a later date first."))]
    return []


def past_validity(profile, ctx: Context) -> list[str]:
    if profile.valid_until is None or profile.valid_until >= timezone.localdate():
        return [str(_("The profile is still valid."))]
    return []


PROFILE_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit", _("Submit for moderation"), (P.DRAFT,), P.SUBMITTED, _manager, (profile_complete, still_valid)
    ),
    Transition("publish", _("Publish"), (P.SUBMITTED,), P.PUBLISHED, _moderator, (profile_complete, still_valid)),
    Transition("reject", _("Return to draft"), (P.SUBMITTED,), P.DRAFT, _moderator, needs_reason=True),
    Transition("withdraw", _("Withdraw"), (P.DRAFT, P.SUBMITTED, P.PUBLISHED), P.WITHDRAWN, _manager),
    Transition("expire", _("Mark expired"), (P.PUBLISHED,), P.EXPIRED, _moderator, (past_validity,)),
    Transition("reopen", _("Reopen as a draft"), (P.EXPIRED, P.WITHDRAWN), P.DRAFT, _manager),
)

PROFILE_MACHINE = Machine(
    PROFILE_TRANSITIONS,
    _("A profile that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="network.CooperationProfile",
    audit_action="network.profile.transition.{name}",
)


INTRODUCTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", _("Accept the introduction"), (I.REQUESTED,), I.ACCEPTED, _decider),
    Transition("decline", _("Decline"), (I.REQUESTED,), I.DECLINED, _decider, needs_reason=True),
    Transition("withdraw", _("Withdraw the request"), (I.REQUESTED,), I.WITHDRAWN, _requester),
)

INTRODUCTION_MACHINE = Machine(
    INTRODUCTION_TRANSITIONS,
    _("An introduction that is “%(status)s” cannot be moved with “%(transition)s”."),
    model="network.Introduction",
    audit_action="network.introduction.{name}",
)
