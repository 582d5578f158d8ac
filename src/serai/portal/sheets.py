"""One-page PDFs from two public pages: a member state's country brief and a project's fact sheet.

Each is rendered in the page's language (the URL's) through :mod:`serai.core.pdf` and shows only
what the viewer may see: it starts from the same permission-filtered queries as the page (an
anonymous visitor gets public content; a project sheet answers 404 to whoever may not see the
project). The country brief of a Central Asian state includes the trade brief of
:mod:`serai.reports.trade_brief` (figures, two vector charts and the table behind them).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from serai.core import pdf
from serai.governance import queries as governance_queries
from serai.projects import queries as project_queries
from serai.projects.models import Project
from serai.reference import queries as reference_queries
from serai.reports import trade_brief

from . import queries

PROJECT_ROWS = 12  # projects listed on a country brief (the counts say how many there are)


def _language(request) -> str:
    return translation.get_language() or request.LANGUAGE_CODE


def country_brief(request, iso2: str):
    state = get_object_or_404(reference_queries.member_states(request.user), iso2=iso2.upper())
    language = _language(request)
    projects = queries.country_projects(request.user, state)
    rows = (projects["bilateral"] + projects["multilateral"])[:PROJECT_ROWS]
    brief = None
    if not state.is_anchor and state.iso3 in trade_brief.COUNTRIES:
        brief = trade_brief.brief(state.iso3, language)
    context = {
        "state": state,
        "projects": rows,
        "counts": projects["counts"],
        "more": max(0, (projects["counts"]["bilateral"] or 0) + (projects["counts"]["multilateral"] or 0) - len(rows)),
        "actions": list(
            governance_queries.action_tracker(request.user).filter(
                owner_country=state, status__in=("open", "in_progress")
            )[:6]
        ),
        "brief": brief,
        "public": not request.user.is_authenticated,
        "today": timezone.localdate(),
    }
    document = pdf.render_pdf("portal/pdf/country_brief.html", context, language=language)
    return pdf.pdf_response(document, f"serai-country-{state.iso2.lower()}-{language}.pdf")


def project_sheet(request, pk: int):
    try:
        project = project_queries.detail(request.user, pk)
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    language = _language(request)
    context = {
        "project": project,
        "results": project_queries.results(project)[:4],
        "today": timezone.localdate(),
    }
    document = pdf.render_pdf("portal/pdf/project_sheet.html", context, language=language)
    return pdf.pdf_response(document, f"serai-{project.code}-{language}.pdf")
