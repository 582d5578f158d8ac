"""Reads of the staff workspace, for the signed-in user only.

"My work" is read from the things themselves — projects in appraisal, actions, minutes,
results updates — through the domains' own permission-filtered queries, so the workspace
never shows a row the user could not open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation

from serai.access import permissions
from serai.governance import queries as governance_queries
from serai.governance.models import OPEN_ACTION_STATUSES, MeetingStatus, Minutes, MinutesStatus
from serai.projects import queries as project_queries
from serai.projects.models import Appraisal, IndicatorUpdate, Status, UpdateStatus

from .kinds import link, render
from .models import Notification, Preference, SavedFilter

LIMIT = 50  # rows per section of "my work"; the section's count says how many there are


@dataclass
class Section:
    rows: list[Any]
    count: int


@dataclass
class Item:
    """A notification rendered for its reader."""

    notification: Notification
    text: str
    url: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


@dataclass
class MyWork:
    sections: dict[str, Section] = field(default_factory=dict)
    notifications: list[Item] = field(default_factory=list)
    saved_filters: list[SavedFilter] = field(default_factory=list)
    preference: Preference | None = None

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections.values())


def _section(qs: QuerySet) -> Section:
    rows = list(qs[: LIMIT + 1])
    count = len(rows) if len(rows) <= LIMIT else qs.count()
    return Section(rows[:LIMIT], count)


def to_appraise(user: Any) -> QuerySet:
    """Proposals in appraisal by the user's subcommittees (all of them for the Secretariat)
    that the user has not yet appraised in full."""
    p = permissions.principal(user)
    qs = project_queries.for_list(project_queries.projects(user)).filter(status=Status.APPRAISAL)
    if not p.secretariat:
        qs = qs.filter(subcommittee_id__in=p.bodies)
    done = Appraisal.objects.filter(project=OuterRef("pk"), appraiser_id=p.user_id, completed=True)
    return qs.exclude(Exists(done)).order_by("code")


def to_screen(user: Any) -> QuerySet:
    """Submitted proposals waiting for the Secretariat."""
    if not permissions.principal(user).secretariat:
        return project_queries.projects(user).none()
    return (
        project_queries.for_list(project_queries.projects(user))
        .filter(status__in=(Status.SUBMITTED, Status.SCREENING))
        .order_by("code")
    )


def returned_to_me(user: Any) -> QuerySet:
    """Ideas and proposals returned for revision that the user proposed, edits, or (as a focal
    point) shares with their country."""
    p = permissions.principal(user)
    if p.user_id is None:
        return project_queries.projects(user).none()
    mine = Q(created_by_id=p.user_id) | Q(editors__id=p.user_id) | Q(countries__id__in=p.countries)
    return (
        project_queries.for_list(project_queries.projects(user))
        .filter(mine, status__in=(Status.RETURNED, Status.IDEA))
        .distinct()
        .order_by("code")
    )


def updates_to_review(user: Any) -> QuerySet:
    if not permissions.principal(user).secretariat:
        return IndicatorUpdate.objects.none()
    return (
        IndicatorUpdate.objects.filter(status=UpdateStatus.SUBMITTED)
        .select_related("indicator", "indicator__result__project", "period", "author")
        .order_by("updated_at", "id")
    )


def my_actions(user: Any) -> QuerySet:
    return governance_queries.action_tracker(user, mine=True).filter(status__in=OPEN_ACTION_STATUSES)


def minutes_to_review(user: Any) -> QuerySet:
    """Circulated minutes of the user's bodies; for the Secretariat also drafts of held meetings."""
    p = permissions.principal(user)
    qs = Minutes.objects.select_related("meeting", "meeting__body")
    circulated = Q(status__in=(MinutesStatus.CIRCULATED, MinutesStatus.AMENDED))
    if p.secretariat:
        qs = qs.filter(circulated | Q(status=MinutesStatus.DRAFT, meeting__status=MeetingStatus.HELD))
    else:
        qs = qs.filter(circulated, meeting__body_id__in=p.bodies)
    return qs.order_by("meeting__start_date", "id")


def notifications(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user: Any) -> int:
    return notifications(user, unread_only=True).count()


def rendered(rows) -> list[Item]:
    lang = translation.get_language() or settings.LANGUAGE_CODE
    return [Item(n, render(n.kind, n.params, lang), link(n.link_name, n.link_args)) for n in rows]


def saved_filters(user: Any, page: str | None = None) -> QuerySet[SavedFilter]:
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    qs = SavedFilter.objects.filter(user=user)
    return qs.filter(page=page) if page else qs


def saved_filter(user: Any, pk: int) -> SavedFilter | None:
    return saved_filters(user).filter(pk=pk).first()


def preference(user: Any) -> Preference | None:
    return Preference.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None


def my_work(user: Any) -> MyWork:
    work = MyWork()
    for key, qs in (
        ("appraise", to_appraise(user)),
        ("screen", to_screen(user)),
        ("returned", returned_to_me(user)),
        ("updates", updates_to_review(user)),
        ("actions", my_actions(user)),
        ("minutes", minutes_to_review(user)),
    ):
        work.sections[key] = _section(qs)
    work.notifications = rendered(notifications(user)[:10])
    work.saved_filters = list(saved_filters(user))
    work.preference = preference(user)
    return work
