"""Reads of meetings, filtered by permission."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from serai.access import permissions

from .models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    AgendaItem,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingStatus,
)


def meetings(user: Any) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("body", "host_country")
    if not permissions.principal(user).secretariat:
        qs = qs.filter(Q(status=MeetingStatus.HELD) | Q(status=MeetingStatus.PLANNED))
    return qs


def meeting_or_none(user: Any, pk: int | None) -> Meeting | None:
    """A meeting the user may see, by id (None for no id or one they may not see)."""
    return meetings(user).filter(pk=pk).first() if pk else None


def forum_sessions(user: Any) -> QuerySet[Meeting]:
    return meetings(user).filter(body__kind="forum").order_by("-year", "-number")


def decisions(user: Any) -> QuerySet[Decision]:
    """Adopted decisions for everyone; drafts for the Secretariat and the body's members."""
    p = permissions.principal(user)
    qs = Decision.objects.select_related("meeting", "meeting__body", "agenda_item")
    if not p.secretariat:
        qs = qs.filter(Q(status=DecisionStatus.ADOPTED) | Q(status=DecisionStatus.DRAFT, meeting__body_id__in=p.bodies))
    return qs


def actions(user: Any) -> QuerySet[ActionItem]:
    if not permissions.can(user, "action.view"):
        return ActionItem.objects.none()
    return ActionItem.objects.select_related("meeting", "meeting__body", "owner_country", "owner_organisation",
                                             "owner_person", "decision")


def meeting_page(user: Any, pk: int) -> dict:
    """A meeting with its agenda (nested), the decisions and actions the user may see, and the
    actions still open from the same body's earlier meetings (the carry-over)."""
    meeting = meetings(user).get(pk=pk)
    items = list(meeting.agenda_items.all())
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def tree(parent_id=None, depth=0):
        for item in children.get(parent_id, []):
            yield item, depth
            yield from tree(item.pk, depth + 1)

    return {
        "meeting": meeting,
        "agenda": list(tree()),
        "decisions": list(decisions(user).filter(meeting=meeting).prefetch_related("projects")),
        "actions": list(actions(user).filter(meeting=meeting).prefetch_related("updates")),
        "carried_over": list(carried_over(user, meeting)),
    }


def carried_over(user: Any, meeting: Meeting) -> QuerySet[ActionItem]:
    """Actions of the same body's earlier meetings that are still open or in progress."""
    earlier = Q(meeting__year__lt=meeting.year)
    if meeting.start_date:
        earlier |= Q(meeting__start_date__lt=meeting.start_date)
    return (actions(user).filter(meeting__body=meeting.body, status__in=OPEN_ACTION_STATUSES)
            .filter(earlier).exclude(meeting=meeting).prefetch_related("updates").order_by("due_date", "id"))


def action_tracker(user: Any, *, owner_country: str = "", status: str = "", overdue: bool = False,
                   mine: bool = False) -> QuerySet[ActionItem]:
    qs = actions(user)
    if owner_country:
        qs = qs.filter(owner_country__iso2=owner_country.upper())
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())
    if mine:
        p = permissions.principal(user)
        qs = qs.filter(Q(owner_country_id__in=p.countries) | Q(owner_organisation_id__in=p.organisations)
                       | Q(owner_person__user_id=p.user_id))
    return qs.order_by("due_date", "id")
