"""Reads of the user's desk, for the signed-in user only.

"My work" is read from the things themselves — projects in appraisal, actions, minutes,
results updates — through the domains' own permission-filtered queries, so the desk
never shows a row the user could not open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Window

from serai.access import permissions
from serai.governance import queries as governance_queries
from serai.governance.models import ActionStatus, Minutes, MinutesStatus
from serai.projects import queries as project_queries
from serai.projects.models import Appraisal, IndicatorUpdate, Status, UpdateStatus
from serai.workspace.models import Preference, SavedFilter
from serai.workspace.queries import Item, notifications, preference, rendered, saved_filters

LIMIT = 50  # rows per section of "my work"; the section's count says how many there are


@dataclass
class Section:
    rows: list[Any]
    count: int


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
    """The first ``LIMIT`` rows and how many there are, in one query (a window count over the
    whole filtered set, taken before the limit)."""
    rows = list(qs.annotate(section_total=Window(Count("pk")))[:LIMIT])
    return Section(rows, rows[0].section_total if rows else 0)


def _project_rows(qs: QuerySet) -> QuerySet:
    """What a project row of "my work" shows (code, title, status, subcommittee): no long texts,
    no countries or sectors."""
    return qs.select_related("subcommittee").only("id", "code", "title", "status", "subcommittee__name")


def to_appraise(user: Any) -> QuerySet:
    """Proposals in appraisal by the user's subcommittees (all of them for the Secretariat)
    that the user has not yet appraised in full."""
    qs = (
        _project_rows(project_queries.projects(user))
        .filter(status=Status.APPRAISAL)
        .filter(permissions.project_appraisal_q(user))
    )
    done = Appraisal.objects.filter(
        project=OuterRef("pk"), appraiser_id=permissions.principal(user).user_id, completed=True
    )
    return qs.exclude(Exists(done)).order_by("code")


def to_screen(user: Any) -> QuerySet:
    """Submitted proposals waiting for the Secretariat."""
    if not permissions.can(user, "project.steer"):
        return project_queries.projects(user).none()
    return (
        _project_rows(project_queries.projects(user))
        .filter(status__in=(Status.SUBMITTED, Status.SCREENING))
        .order_by("code")
    )


def returned_to_me(user: Any) -> QuerySet:
    """Ideas and proposals returned for revision that the user proposed, edits, or (as a focal
    point) shares with their country."""
    return (
        _project_rows(project_queries.projects(user))
        .filter(permissions.project_proponent_q(user), status__in=(Status.RETURNED, Status.IDEA))
        .order_by("code")
    )


def updates_to_review(user: Any) -> QuerySet:
    if not permissions.can(user, "results.review"):
        return IndicatorUpdate.objects.none()
    return (
        IndicatorUpdate.objects.filter(status=UpdateStatus.SUBMITTED)
        .select_related("indicator", "indicator__result__project", "period", "author")
        .order_by("updated_at", "id")
    )


def my_actions(user: Any) -> QuerySet:
    return governance_queries.action_tracker(user, mine=True).open()


def minutes_to_review(user: Any) -> QuerySet:
    """Circulated minutes of the user's bodies; for the Secretariat also drafts of held meetings."""
    return (
        Minutes.objects.select_related("meeting", "meeting__body")
        .filter(permissions.minutes_review_q(user))
        .order_by("meeting__start_date", "id")
    )


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


def status_labels() -> dict[str, dict[str, str]]:
    """The status names the page shows, per kind of row, in the active language (read once per
    page: ``get_status_display`` hashes every choice of the field on every call)."""
    return {
        "project": {value: str(label) for value, label in Status.choices},
        "action": {value: str(label) for value, label in ActionStatus.choices},
        "minutes": {value: str(label) for value, label in MinutesStatus.choices},
    }
