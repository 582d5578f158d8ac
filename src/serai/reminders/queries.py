"""Reads for reminders, digests and personal calendars: which actions are due or overdue, whose
they are, and a person's own actions and meetings (through governance's permission-filtered queries).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from serai.access import permissions
from serai.governance import queries as governance_queries
from serai.governance.models import ActionItem, Meeting, MeetingStatus
from serai.workspace.models import Preference
from serai.workspace.recipients import holders

from .models import CalendarFeed

#: Days before a due date on which a reminder goes (``SERAI_REMINDER_DAYS``, e.g. "7,1").
DEFAULT_DAYS = (7, 1)
#: An action overdue for longer than this when reminders start is left to the weekly digest.
DEFAULT_OVERDUE_WINDOW = 14
#: Meetings a digest announces: those starting within this many days.
DIGEST_HORIZON = 14


def reminder_days() -> list[int]:
    """The thresholds, largest first (a setting; 7 and 1 by default)."""
    days = getattr(settings, "SERAI_REMINDER_DAYS", DEFAULT_DAYS)
    return sorted({int(d) for d in days if int(d) >= 0}, reverse=True)


def overdue_window() -> int:
    return int(getattr(settings, "SERAI_REMINDER_OVERDUE_WINDOW", DEFAULT_OVERDUE_WINDOW))


def digest_weekday() -> int:
    """The weekday from which the weekly digest goes (0 = Monday); a missed day sends it the next."""
    return int(getattr(settings, "SERAI_DIGEST_WEEKDAY", 0))


def threshold(days_left: int, days: list[int]) -> int | None:
    """The reminder an action ``days_left`` from its due date is owed: the smallest threshold it has
    reached (a job that missed the 7-day day sends the 7-day reminder late, never two at once)."""
    reached = [d for d in days if days_left <= d]
    return min(reached) if reached and days_left >= 0 else None


def _open_actions() -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.open()
        .filter(due_date__isnull=False)
        .select_related("meeting", "meeting__body", "owner_country", "owner_organisation", "owner_person")
    )


def due_soon(today: dt.date) -> list[tuple[ActionItem, int]]:
    """Open actions due within the largest threshold, with the threshold each is owed."""
    days = reminder_days()
    if not days:
        return []
    rows = _open_actions().filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days[0]))
    out = []
    for action in rows.order_by("due_date", "pk"):
        d = threshold((action.due_date - today).days, days)
        if d is not None:
            out.append((action, d))
    return out


def newly_overdue(today: dt.date) -> QuerySet[ActionItem]:
    """Open actions whose due date passed within the overdue window."""
    start = today - dt.timedelta(days=overdue_window())
    return _open_actions().overdue(today).filter(due_date__gte=start).order_by("due_date", "pk")


def owners(action: ActionItem) -> QuerySet:
    """The users an action is owed by: its country's focal points, its organisation's editors, or
    its person's login."""
    if action.owner_country_id:
        return holders(countries=[action.owner_country_id])
    if action.owner_organisation_id:
        return holders(organisations=[action.owner_organisation_id])
    return holders(persons=[action.owner_person_id])


def wanting(users, field: str) -> list[Any]:
    """``users`` who have not switched this kind of reminder off (``field`` of their preference)."""
    users = list(users)
    off = set(
        Preference.objects.filter(user_id__in=[u.pk for u in users], **{field: False}).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk not in off]


def digest_readers() -> QuerySet:
    """Active users who may have something to read in a digest (a role, or a person in the network),
    without those who switched the digest off."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(serai_roles__isnull=False) | Q(person__isnull=False) | Q(is_superuser=True))
        .exclude(serai_preference__weekly_digest=False)
        .distinct()
        .order_by("pk")
    )


# --- a person's own work ------------------------------------------------------------------------
def my_actions(user: Any) -> QuerySet[ActionItem]:
    """The user's open actions (their country's, organisation's or own), as governance shows them."""
    return governance_queries.action_tracker(user, mine=True).open()


def my_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings that concern the user: every one for the Secretariat; otherwise their bodies'
    meetings, those they take part in and (with a role) the Forum's sessions."""
    p = permissions.principal(user)
    qs = governance_queries.meetings(user).exclude(status=MeetingStatus.CANCELLED)
    if p.secretariat:
        return qs
    mine = Q(body_id__in=p.bodies) | Q(participants__person__user_id=p.user_id)
    if p.countries or p.organisations or p.bodies:
        mine |= Q(body__kind="forum")
    ids = qs.filter(mine).values("pk")
    return governance_queries.meetings(user).filter(pk__in=ids)


def upcoming_meetings(user: Any, today: dt.date, days: int = DIGEST_HORIZON) -> QuerySet[Meeting]:
    return my_meetings(user).filter(start_date__gte=today, start_date__lte=today + dt.timedelta(days=days))


# --- personal calendar feeds -------------------------------------------------------------------
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed whose secret is ``token`` (None when unknown or revoked, or its user inactive)."""
    if not token or len(token) > 200:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_of(user: Any) -> CalendarFeed | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=user).first()
