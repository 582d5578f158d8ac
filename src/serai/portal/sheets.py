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

from serai.core import pagecache, pdf
from serai.governance import queries as governance_queries
from serai.projects import queries as project_queries
from serai.projects.models import Project
from serai.reference import queries as reference_queries
from serai.reports import trade_brief

from . import queries

PROJECT_ROWS = 12  # projects listed on a country brief (the counts say how many there are)


def _language(request) -> str:
    return translation.get_language() or request.LANGUAGE_CODE


def _country_brief_pdf(request, state, language: str) -> bytes:
    projects = queries.country_projects(request.user, state)
    rows = (projects["bilateral"] + projects["multilateral"])[:PROJECT_ROWS]
    counts = projects["counts"]
    brief = None
    if not state.is_anchor and state.iso3 in trade_brief.COUNTRIES:
        brief = trade_brief.brief(state.iso3, language)
    context = {
        "state": state,
        "projects": rows,
        "counts": counts,
        "more": max(0, (counts["bilateral"] or 0) + (counts["multilateral"] or 0) - len(rows)),
        "actions": list(
            governance_queries.action_tracker(request.user).filter(
                owner_country=state, status__in=("open", "in_progress")
            )[:6]
        ),
        "brief": brief,
        "public": not request.user.is_authenticated,
        "today": timezone.localdate(),
    }
    return pdf.render_pdf("portal/pdf/country_brief.html", context, language=language)


def country_brief(request, iso2: str):
    """The brief as a PDF; anonymous visitors share one render per language until the content, the
    trade data load or the day (printed on it) changes (:mod:`serai.core.pagecache`)."""
    state = get_object_or_404(reference_queries.member_states(request.user), iso2=iso2.upper())
    language = _language(request)
    ctx = trade_brief.trade_context()
    key = pagecache.public_key(request, f"brief.pdf:{state.iso2}", f"{timezone.localdate()}:{ctx.key if ctx else ''}")
    document = pagecache.fragment(request, key, lambda: _country_brief_pdf(request, state, language))
    return pdf.pdf_response(document, f"serai-country-{state.iso2.lower()}-{language}.pdf")


def _project_sheet_pdf(request, project, language: str) -> bytes:
    context = {
        "project": project,
        "results": project_queries.results(project)[:4],
        "today": timezone.localdate(),
    }
    return pdf.render_pdf("portal/pdf/project_sheet.html", context, language=language)


def project_sheet(request, pk: int):
    """The fact sheet as a PDF, for whoever may see the project (404 otherwise); anonymous visitors
    share one render per language like the brief."""
    try:
        project = project_queries.detail(request.user, pk)
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    language = _language(request)
    key = pagecache.public_key(request, f"factsheet.pdf:{project.pk}", str(timezone.localdate()))
    document = pagecache.fragment(request, key, lambda: _project_sheet_pdf(request, project, language))
    return pdf.pdf_response(document, f"serai-{project.code}-{language}.pdf")
