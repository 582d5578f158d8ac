"""Reads of projects, filtered by the visibility rule. Pages, search, the API, exports and
counts all start from :func:`projects`, so nothing can show a project the user may not see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from serai.access import permissions
from serai.core.search import backend
from serai.orgs.models import Organisation
from serai.orgs.queries import helix_rows
from serai.reference.models import MemberState

from .models import (
    Aggregation,
    Indicator,
    IndicatorUpdate,
    Participation,
    Project,
    ProjectSector,
    ProjectTransition,
    Result,
    Status,
    UpdateStatus,
)

SORTS = {
    "newest": ("-id",),
    "oldest": ("id",),
    "code": ("code",),
    "start": ("planned_start", "id"),
    "-start": ("-planned_start", "-id"),
    "budget": ("budget_usd", "id"),
    "-budget": ("-budget_usd", "-id"),
    "title": ("title__values__en", "id"),
}


# Checks of one project that packages above projects add to its page, shown to those who may edit
# it: {"iati": readiness.for_project}. Each package registers its own in its AppConfig.ready.
PAGE_CHECKS: dict[str, Callable[[Project], Any]] = {}


def register_page_check(name: str, check: Callable[[Project], Any]) -> None:
    PAGE_CHECKS[name] = check


def projects(user: Any) -> QuerySet[Project]:
    return Project.objects.filter(permissions.project_visibility_q(user))


def meetings(user: Any) -> QuerySet:
    """Meetings the user may see (rule ``meeting.view``), for the transition form's Forum session.

    Read through the relation ``ProjectTransition.meeting`` declares: governance sits above
    projects, so this package names no governance module."""
    meeting = ProjectTransition._meta.get_field("meeting").related_model
    return meeting.objects.filter(permissions.meeting_visibility_q(user))


def meeting_or_none(user: Any, pk: int | None):
    """A meeting the user may see, by id (None for no id or one they may not see)."""
    return meetings(user).filter(pk=pk).first() if pk else None


def forum_sessions(user: Any) -> QuerySet:
    return meetings(user).filter(body__kind="forum").order_by("-year", "-number")


def awaiting_endorsement(user: Any) -> QuerySet[Project]:
    """Recommended projects the user can see: what a Forum decision may endorse."""
    return projects(user).filter(status=Status.RECOMMENDED).order_by("code")


def for_list(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("subcommittee").prefetch_related(
        Prefetch("countries", queryset=MemberState.objects.order_by("sort_order")),
        Prefetch("sectors", queryset=ProjectSector.objects.select_related("field", "dac_sector")),
    )


def list_page(qs: QuerySet[Project]) -> QuerySet[Project]:
    """The list's rows: what the table shows, without the long texts and the search document."""
    return for_list(qs).defer("summary", "description", "search_document", "trade_evidence", "tags")


YEARS = (1900, 2200)  # the year filter's range
MAX_QUERY = 200  # the longest search text


@dataclass
class Filters:
    """The list's filters, already validated: by ``forms.ProjectFilterForm`` on pages and exports,
    by ``serializers.ProjectFilterSerializer`` in the API (a bad parameter is a 400 there)."""

    country: str = ""
    field: str = ""
    subcommittee: str = ""
    status: str = ""
    scope: str = ""
    year: int | None = None
    helix: str = ""
    q: str = ""
    sort: str = "newest"

    @classmethod
    def of(cls, cleaned: dict) -> Filters:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in cleaned.items() if k in names and v not in (None, "")})


def filtered(user: Any, f: Filters) -> QuerySet[Project]:
    qs = projects(user)
    if f.country:
        qs = qs.filter(country_links__member_state__iso2=f.country)
    if f.field:
        qs = qs.filter(pk__in=ProjectSector.objects.filter(field__code=f.field).values("project_id"))
    if f.subcommittee:
        qs = qs.filter(subcommittee__code=f.subcommittee)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.scope:
        qs = qs.filter(scope=f.scope)
    if f.year:
        qs = qs.filter(Q(actual_start__year=f.year) | Q(actual_start__isnull=True, planned_start__year=f.year))
    if f.helix:
        qs = qs.filter(pk__in=Participation.objects.filter(organisation__helix=f.helix).values("project_id"))
    search = backend()
    if f.q:
        qs = search.search(qs, f.q)
        if f.sort == "newest":
            return search.rank(qs, f.q)
    return qs.order_by(*SORTS[f.sort])


def detail(user: Any, pk: int) -> Project:
    """A project with what its page shows; ``parent_visible`` says whether the user may see its
    programme (a parent they may not see is never named on the page)."""
    return (
        for_list(projects(user))
        .annotate(parent_visible=Exists(projects(user).filter(pk=OuterRef("parent_id"))))
        .select_related("endorsed_at", "endorsed_at__body", "parent", "created_by")
        .prefetch_related(
            "editors",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation", "organisation__member_state"),
            ),
            Prefetch("transitions", queryset=ProjectTransition.objects.select_related("meeting")),
            "funding_sources__organisation",
            "appraisals",
        )
        .get(pk=pk)
    )


def helix_mix(project: Project) -> list[tuple[str, str, int]]:
    """Participating organisations per helix (an organisation in two roles counts once)."""
    seen: dict[str, set[int]] = {}
    for participation in project.participations.all():
        seen.setdefault(participation.organisation.helix, set()).add(participation.organisation_id)
    return helix_rows({helix: len(orgs) for helix, orgs in seen.items()})


# --- results: progress is computed on read from approved updates --------------------------------
def aggregate(rule: str, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    if rule == Aggregation.SUM:
        return sum(values, Decimal(0))
    if rule == Aggregation.LAST:
        return values[-1]
    if rule == Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    if rule == Aggregation.MAX:
        return max(values)
    raise ValueError(f"unknown aggregation rule {rule!r}")


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actual: Decimal | None
    percent: Decimal | None
    updates: list[IndicatorUpdate]


def results(project: Project) -> list[tuple[Result, list[IndicatorProgress]]]:
    """Each result with its indicators' progress; updates are ordered by period start."""
    out = []
    result_qs = Result.objects.filter(project=project).prefetch_related(
        Prefetch(
            "indicators__updates", queryset=IndicatorUpdate.objects.select_related("period").order_by("period__start")
        )
    )
    for result in result_qs:
        rows = []
        for indicator in result.indicators.all():
            updates = list(indicator.updates.all())
            approved = [u.value for u in updates if u.status == UpdateStatus.APPROVED]
            actual = aggregate(indicator.aggregation, approved)
            span = indicator.target - indicator.baseline
            percent = None
            if actual is not None and span:
                percent = ((actual - indicator.baseline) / span * 100).quantize(Decimal("0.1"))
            rows.append(IndicatorProgress(indicator, actual, percent, updates))
        out.append((result, rows))
    return out


def organisations_for_participation(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.select_related("member_state").order_by("id")


def results_workspace(user: Any, pk: int) -> Project:
    """A project with its results, indicators, periods and every update (for the editing page)."""
    from .models import ReportingPeriod

    return (
        projects(user)
        .prefetch_related(
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("start")),
            Prefetch(
                "results",
                queryset=Result.objects.prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.prefetch_related(
                            Prefetch("updates", queryset=IndicatorUpdate.objects.select_related("author", "reviewer"))
                        ),
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def update_grid(project: Project) -> list[dict]:
    """Per result and indicator, the update (or None) of each reporting period, in period order."""
    periods = list(project.periods.all())
    rows = []
    for result in project.results.all():
        for ind in result.indicators.all():
            by_period = {u.period_id: u for u in ind.updates.all()}
            rows.append({"result": result, "indicator": ind, "cells": [(p, by_period.get(p.pk)) for p in periods]})
    return rows


# --- appraisal ------------------------------------------------------------------------------
def appraisal_table(project: Project) -> dict:
    """Every appraiser's scores side by side: one row per criterion (with its rubric and the mean
    of the scores given), one column per appraisal, then the totals and the comments. The
    caller checks ``appraisal.view`` first."""
    from .models import APPRAISAL_CRITERIA, APPRAISAL_RUBRIC, Appraisal

    appraisals = list(Appraisal.objects.filter(project=project).select_related("appraiser").order_by("id"))
    rows = []
    for key, label in APPRAISAL_CRITERIA:
        scores = [a.scores.get(key) for a in appraisals]
        given = [int(s) for s in scores if s is not None]
        rows.append(
            {
                "key": key,
                "label": label,
                "rubric": APPRAISAL_RUBRIC.get(key, {}),
                "scores": scores,
                "mean": round(sum(given) / len(given), 1) if given else None,
            }
        )
    return {"appraisals": appraisals, "rows": rows}
