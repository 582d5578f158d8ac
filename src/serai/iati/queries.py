"""Reads for IATI: the public projects that may be exported, organisations, the landscape."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from serai.access import permissions
from serai.orgs.models import Organisation
from serai.projects import queries as project_queries
from serai.projects.models import Indicator, Participation, Project, ProjectSector, Result

from .models import ImportRun, LandscapeActivity


def exportable(country: str | None = None, *, include_demo: bool = False) -> QuerySet[Project]:
    """Public projects (what anyone may see), with everything the export reads. Demo content
    (``is_demo``) is never published; ``include_demo`` is for checking the demo's own files."""
    qs = project_queries.projects(AnonymousUser())
    if not include_demo:
        qs = qs.filter(is_demo=False)
    if country:
        qs = qs.filter(countries__iso2=country.upper())
    return with_export_data(qs.order_by("code")).distinct()


def with_export_data(qs: QuerySet[Project]) -> QuerySet[Project]:
    """The prefetches the export reads: a constant number of queries for any number of projects."""
    return qs.select_related("iati_publication").prefetch_related(
        "countries",
        Prefetch("sectors", queryset=ProjectSector.objects.select_related("dac_sector", "field")),
        Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
        "funding_sources__organisation",
        "periods",
        Prefetch(
            "results",
            queryset=Result.objects.prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related("updates"))
            ),
        ),
    )


def organisations() -> QuerySet[Organisation]:
    """The organisations of the organisation file besides the Secretariat: every one with an IATI
    identifier, demo content left out."""
    from . import export

    qs = Organisation.objects.exclude(iati_identifier="").filter(is_demo=False)
    if export.publisher_id():
        qs = qs.exclude(iati_identifier=export.publisher_id())
    return qs.order_by("iati_identifier")


def organisations_without_identifier() -> QuerySet[Organisation]:
    return Organisation.objects.filter(iati_identifier="", is_demo=False)


def organisation_records():
    """The organisation file's records: the Secretariat (reporting organisation) first, then the others."""
    from serai.governance.models import PriorityArea, WorkPlan, WorkPlanStatus

    from . import export

    plans = WorkPlan.objects.filter(status=WorkPlanStatus.ADOPTED).prefetch_related(
        Prefetch("areas", queryset=PriorityArea.objects.prefetch_related("activities"))
    )
    own = Organisation.objects.filter(iati_identifier=export.publisher_id()).first() if export.publisher_id() else None
    reporting = export.secretariat(plans, own)
    yield reporting
    for org in organisations().iterator(chunk_size=500):
        yield export.organisation_record(org, reporting.reporting_org)


def landscape(user: Any) -> QuerySet[LandscapeActivity]:
    if not permissions.can(user, "landscape.view"):
        return LandscapeActivity.objects.none()
    return LandscapeActivity.objects.select_related("project").defer("raw_xml")


def filtered_landscape(
    user: Any, *, country: str = "", sector: str = "", donor: str = "", q: str = ""
) -> QuerySet[LandscapeActivity]:
    qs = landscape(user)
    if country:
        qs = qs.filter(country_codes__contains=f" {country.upper()} ")
    if sector:
        qs = qs.filter(sector_codes__contains=f" {sector} ")
    if donor:
        qs = qs.filter(Q(reporting_org_ref=donor) | Q(reporting_org_name__icontains=donor))
    if q:
        qs = qs.filter(Q(identifier__icontains=q) | Q(title__icontains=q))
    return qs


def runs(user: Any) -> QuerySet[ImportRun]:
    if not permissions.can(user, "landscape.view"):
        return ImportRun.objects.none()
    return ImportRun.objects.select_related("actor").defer("reasons")


def summary(user: Any, qs: QuerySet[LandscapeActivity]) -> dict:
    """Who funds what, where: activities per cooperation field × member state (beside the Serai
    projects the user can see in the same cell — an empty landscape cell next to Serai projects,
    or the reverse, is a gap), and the donors by number of activities and budget."""
    from collections import defaultdict
    from decimal import Decimal

    from serai.reference.models import CooperationField, DacSector, MemberState

    states = list(MemberState.objects.filter(is_anchor=False).order_by("sort_order"))
    fields = list(CooperationField.objects.order_by("sort_order"))
    field_of_dac = dict(
        DacSector.objects.filter(cooperation_fields__isnull=False).values_list("code", "cooperation_fields__code")
    )
    cells: dict[tuple[str, str], int] = defaultdict(int)
    donors: dict[tuple[str, str], list] = {}
    for countries, sectors, ref, name, budget in qs.values_list(
        "country_codes", "sector_codes", "reporting_org_ref", "reporting_org_name", "total_budget_usd"
    ):
        row_fields = {field_of_dac.get(code) for code in sectors.split()} - {None}
        for iso in countries.split():
            for f in row_fields:
                cells[(f, iso)] += 1
        entry = donors.setdefault((ref, name), [0, Decimal(0)])
        entry[0] += 1
        entry[1] += budget or 0
    serai = defaultdict(int)
    for field_code, iso in (
        project_queries.projects(user).values_list("sectors__field__code", "countries__iso2").distinct()
    ):
        if field_code and iso:
            serai[(field_code, iso)] += 1
    matrix = [
        {
            "field": f,
            "cells": [
                {"iso": s.iso2, "landscape": cells.get((f.code, s.iso2), 0), "serai": serai.get((f.code, s.iso2), 0)}
                for s in states
            ],
        }
        for f in fields
    ]
    top = sorted(
        ({"ref": r, "name": n, "activities": c, "budget_usd": b} for (r, n), (c, b) in donors.items()),
        key=lambda d: (-d["activities"], d["ref"]),
    )[:15]
    return {"states": states, "matrix": matrix, "donors": top}


def ready_activities(country: str | None = None, *, include_demo: bool = False):
    """The IATI activities of the public projects with no blocking readiness problem (the export)."""
    from . import export, readiness

    for project in exportable(country, include_demo=include_demo).iterator(chunk_size=200):
        activity = export.from_project(project)
        if not readiness.blocking(readiness.check(activity)):
            yield activity


def readiness_rows(projects=None) -> list[dict]:
    """Public projects (one page of :func:`exportable`, or all of them) with their readiness
    problems and the IATI ruleset's findings (the readiness report)."""
    from . import export, readiness

    rows = []
    for project in exportable() if projects is None else projects:
        activity = export.from_project(project)
        problems = readiness.check(activity) + readiness.ruleset_problems(activity)
        rows.append({"project": project, "problems": problems, "ready": not readiness.blocking(problems)})
    return rows
