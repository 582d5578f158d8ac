"""Reads of meetings, filtered by permission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from serai.access import permissions
from serai.reference import queries as reference_queries

from .models import (
    ActionItem,
    ActionStatus,
    ActivityStatus,
    AgendaItem,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Membership,
    Minutes,
    Participant,
    WorkPlan,
    WorkPlanActivity,
)


def meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("body", "host_country", "chair").filter(
        permissions.meeting_visibility_q(user)
    )


def meeting_or_none(user: Any, pk: int | None) -> Meeting | None:
    """A meeting the user may see, by id (None for no id or one they may not see)."""
    return meetings(user).filter(pk=pk).first() if pk else None


def forum_sessions(user: Any) -> QuerySet[Meeting]:
    return meetings(user).filter(body__kind="forum").order_by("-year", "-number")


def decisions(user: Any) -> QuerySet[Decision]:
    """Adopted decisions for everyone; drafts for the Secretariat and the body's members."""
    return Decision.objects.select_related("meeting", "meeting__body", "agenda_item").filter(
        permissions.decision_visibility_q(user)
    )


def actions(user: Any) -> QuerySet[ActionItem]:
    if not permissions.can(user, "action.view"):
        return ActionItem.objects.none()
    return ActionItem.objects.select_related(
        "meeting", "meeting__body", "owner_country", "owner_organisation", "owner_person", "decision"
    )


def meeting_page(user: Any, pk: int) -> dict:
    """A meeting with its agenda (nested, each item with its ``numbering``), the decisions and actions the user may see, and the
    actions still open from the same body's earlier meetings (the carry-over)."""
    meeting = meetings(user).get(pk=pk)
    items = list(meeting.agenda_items.all())
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def tree(parent_id=None, depth=0, prefix=""):
        for n, item in enumerate(children.get(parent_id, []), start=1):
            item.numbering = f"{prefix}{n}."  # hierarchical: 2., 2.1., 2.1.1.
            yield item, depth
            yield from tree(item.pk, depth + 1, item.numbering)

    minutes = Minutes.objects.filter(meeting=meeting).first()
    return {
        "meeting": meeting,
        "agenda": list(tree()),
        "delegations": delegations(user, meeting),
        "documents": list(documents(user).filter(meeting=meeting)),
        "minutes": minutes if minutes is not None and permissions.can(user, "minutes.view", minutes) else None,
        "internal": permissions.can(user, "participant.view"),  # sees names and the online link
        "decisions": list(decisions(user).filter(meeting=meeting).prefetch_related("projects")),
        "actions": list(actions(user).filter(meeting=meeting).prefetch_related("updates")),
        "carried_over": list(carried_over(user, meeting)),
    }


def carried_over(user: Any, meeting: Meeting) -> QuerySet[ActionItem]:
    """Actions of the same body's earlier meetings that are still open or in progress."""
    earlier = Q(meeting__year__lt=meeting.year)
    if meeting.start_date:
        earlier |= Q(meeting__start_date__lt=meeting.start_date)
    return (
        actions(user)
        .open()
        .filter(meeting__body=meeting.body)
        .filter(earlier)
        .exclude(meeting=meeting)
        .prefetch_related("updates")
        .order_by("due_date", "id")
    )


def action_tracker(
    user: Any, *, owner_country: str = "", status: str = "", overdue: bool = False, mine: bool = False
) -> QuerySet[ActionItem]:
    qs = actions(user)
    if owner_country:
        qs = qs.filter(owner_country__iso2=owner_country.upper())
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.overdue()
    if mine:
        qs = qs.filter(permissions.action_owner_q(user))
    return qs.order_by("due_date", "id")


def documents(user: Any) -> QuerySet[MeetingDocument]:
    """Public documents of held or planned meetings; all of a body's documents for its members."""
    return MeetingDocument.objects.select_related("meeting", "agenda_item").filter(
        permissions.document_visibility_q(user)
    )


def document_or_none(user: Any, pk: int) -> MeetingDocument | None:
    return documents(user).filter(pk=pk).first()


@dataclass
class Delegation:
    """The people a country (or an organisation) sent to a meeting. ``members`` are those the
    viewer may see by name; the counts cover everyone."""

    label: Any
    everyone: list[Participant] = field(default_factory=list)
    members: list[Participant] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.everyone)

    @property
    def attended(self) -> int:
        return sum(m.attendance in ("attended", "online") for m in self.everyone)


def delegations(user: Any, meeting: Meeting) -> list[Delegation]:
    """Participants grouped by delegation. People with a role see everyone's name; the public
    sees which delegations came, how many attended, and the names of people listed publicly."""
    named = permissions.can(user, "participant.view")
    groups: dict[tuple, Delegation] = {}
    for person in Participant.objects.filter(meeting=meeting).select_related("country", "organisation", "person"):
        key = ("c", person.country_id) if person.country_id else ("o", person.organisation_id)
        group = groups.setdefault(key, Delegation(person.country or person.organisation))
        group.everyone.append(person)
        if named or (person.person_id and person.person.is_public):
            group.members.append(person)
    return list(groups.values())


# --- bodies' membership --------------------------------------------------------------------------
def memberships(user: Any, body, *, on: dt.date | None = None) -> dict[str, list[Membership]]:
    """The body's members, current and past; people not listed publicly are named only to
    those who may see them."""
    on = on or timezone.localdate()
    rows = list(
        Membership.objects.filter(body=body)
        .select_related("person", "country", "organisation")
        .order_by("position", "country__sort_order", "start_date")
    )
    for row in rows:
        row.visible = permissions.can(user, "person.view", row.person)
    past = [m for m in rows if m.end_date is not None and m.end_date < on]
    return {"current": [m for m in rows if m.current(on)], "past": sorted(past, key=lambda m: m.end_date, reverse=True)}


def seats(user: Any) -> QuerySet[Membership]:
    """Seats on the bodies the user may see (with their body), e.g. to end one by its id."""
    return Membership.objects.filter(body__in=reference_queries.bodies(user)).select_related("body")


@dataclass
class RoleHolders:
    """Who holds the subcommittee-member role on a body without (or beside) a seat. ``people``
    are their entries in the people register, each with ``visible`` (may the viewer see the name);
    ``unregistered`` counts the logins that have no entry (a user name is never shown)."""

    people: list = field(default_factory=list)
    unregistered: int = 0

    def __bool__(self) -> bool:
        return bool(self.people or self.unregistered)


def role_holders(user: Any, body, *, seated: list[Membership] = ()) -> RoleHolders:
    """The active users holding the subcommittee-member role on ``body``, less those already
    listed with a current seat (``seated``)."""
    from serai.access.models import Role, RoleAssignment
    from serai.people.models import Person

    seated_users = {m.person.user_id for m in seated if m.person.user_id}
    users = (
        set(
            RoleAssignment.objects.filter(role=Role.SUBCOMMITTEE_MEMBER, body=body, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        - seated_users
    )
    people = list(Person.objects.filter(user_id__in=users).order_by("id"))
    for person in people:
        person.visible = permissions.can(user, "person.view", person)
    return RoleHolders(people=people, unregistered=len(users) - len(people))


# --- minutes -------------------------------------------------------------------------------------
def minutes_page(user: Any, meeting_pk: int) -> dict:
    meeting = meetings(user).get(pk=meeting_pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and not permissions.can(user, "minutes.view", minutes):
        raise Meeting.DoesNotExist
    if minutes is None and not permissions.can(user, "minutes.edit", meeting):
        raise Meeting.DoesNotExist
    # The drafts (every revision's text, diff, author and note) stay with the body's members and
    # the Secretariat; everyone else reads the adopted text only.
    internal = permissions.can(user, "body.view_internal", meeting.body)
    revisions = list(minutes.revisions.select_related("author")) if minutes and internal else []
    return {"meeting": meeting, "minutes": minutes, "revisions": revisions, "can_see_revisions": internal}


def circulation_recipients(meeting: Meeting) -> QuerySet:
    """Who is told when the meeting's minutes are circulated: the body's members with a login (by
    role or by a current seat)."""
    from serai.workspace.recipients import holders

    return holders(bodies=[meeting.body_id])


# --- work plans ----------------------------------------------------------------------------------
def work_plans(user: Any) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.select_related("adopted_at", "adopted_at__body").filter(
        permissions.workplan_visibility_q(user)
    )


def activity_progress(activity: WorkPlanActivity) -> float | None:
    """Done is 1, cancelled counts for nothing (None); otherwise the share of its action items
    that are done (dropped ones left out), or 0.5 for an activity in progress without actions."""
    if activity.status == ActivityStatus.DONE:
        return 1.0
    if activity.status == ActivityStatus.CANCELLED:
        return None
    live = [a for a in activity.actions.all() if a.status != ActionStatus.DROPPED]
    if live:
        return sum(a.status == ActionStatus.DONE for a in live) / len(live)
    return 0.5 if activity.status == ActivityStatus.IN_PROGRESS else 0.0


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def work_plan_page(user: Any, year: int) -> dict:
    """A plan's priority areas and activities with progress computed from them and their actions,
    and the budget per area and currency."""
    plan = work_plans(user).get(year=year)
    areas = list(
        plan.areas.prefetch_related(
            "fields",
            Prefetch(
                "activities",
                queryset=WorkPlanActivity.objects.prefetch_related(
                    "actions", Prefetch("projects", queryset=_visible_projects(user))
                ).order_by("id"),
            ),
        )
    )
    everything: list[float] = []
    totals: dict[str, Decimal] = {}
    for area in areas:
        progress = []
        area.budget_totals: dict[str, Decimal] = {}
        for activity in area.activities.all():
            activity.progress = activity_progress(activity)
            if activity.progress is not None:
                progress.append(activity.progress)
            if activity.budget is not None and activity.status != ActivityStatus.CANCELLED:
                for budget in (area.budget_totals, totals):
                    budget[activity.currency] = budget.get(activity.currency, 0) + activity.budget
        area.progress = _mean(progress)
        everything.extend(progress)
    return {
        "plan": plan,
        "areas": areas,
        "progress": _mean(everything),
        "budget_totals": totals,
        "plans": list(work_plans(user).values_list("year", flat=True)),
    }


def _visible_projects(user: Any):
    from serai.projects import queries as project_queries

    return project_queries.projects(user).only("id", "code", "title", "status")


# --- the Forum timeline --------------------------------------------------------------------------
def timeline(user: Any, *, until: int | None = None) -> list[dict]:
    """One row per year from the Forum's first session to this year: the session(s), the other
    bodies' meetings, adopted decisions, the projects they endorsed and the work plan."""
    until = until or timezone.localdate().year
    rows = list(meetings(user).order_by("start_date", "number"))
    forum = [m for m in rows if m.body.kind == "forum"]
    first = min([m.year for m in forum] or [until])
    decided = dict(
        decisions(user)
        .filter(status=DecisionStatus.ADOPTED)
        .values_list("meeting__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    endorsed = dict(
        decisions(user)
        .filter(status=DecisionStatus.ADOPTED)
        .values_list("meeting__year")
        .annotate(n=Count("projects", distinct=True))
        .order_by()
    )
    plans = {p.year: p for p in work_plans(user)}
    years = []
    for year in range(until, first - 1, -1):
        years.append(
            {
                "year": year,
                "sessions": [m for m in forum if m.year == year],
                "meetings": [m for m in rows if m.year == year and m.body.kind != "forum"],
                "decisions": decided.get(year, 0),
                "endorsed": endorsed.get(year, 0),
                "plan": plans.get(year),
            }
        )
    return years


def next_meeting(user: Any, *, body_kind: str | None = "forum") -> Meeting | None:
    qs = meetings(user).filter(status=MeetingStatus.PLANNED)
    if body_kind:
        qs = qs.filter(body__kind=body_kind)
    return qs.order_by("start_date", "year").first()


def overdue_by_owner(user: Any) -> list[tuple[Any, list[ActionItem]]]:
    """Overdue actions grouped by their owner (a country, organisation or person)."""
    groups: dict[tuple, list[ActionItem]] = {}
    for action in action_tracker(user, overdue=True):
        owner = action.owner
        groups.setdefault((type(owner).__name__, owner.pk), []).append(action)
    return sorted(((items[0].owner, items) for items in groups.values()), key=lambda g: -len(g[1]))
