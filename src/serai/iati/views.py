"""IATI pages and files: thin — call queries/operations, render or stream."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core.audit import SystemActor
from serai.core.forms import parse_query
from serai.core.paging import paginate, query_without_page
from serai.projects import queries as project_queries

from . import export, operations, queries, readiness
from .forms import ActivitiesFileForm, LandscapeFilterForm


def _xml(stream, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _blocked() -> HttpResponse:
    """Publishing is blocked until the Secretariat sets its publisher identifier: 503, said plainly
    (a harvester retries later instead of taking an empty or invalid file for the data)."""
    response = HttpResponse(readiness.BLOCKED_MESSAGE() + "\n", status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "86400"
    return response


def activities_xml(request):
    """All public projects that are ready, as one IATI 2.03 activity file (?country=KZ filters)."""
    country = parse_query(ActivitiesFileForm, request)["country"] or None
    if not export.publisher_id():
        return _blocked()
    operations.record_publications(SystemActor("iati feed"), queries.exportable(country))
    return _xml(
        export.stream_activities(queries.ready_activities(country)),
        f"serai-activities{'-' + country if country else ''}.xml",
    )


def organisations_xml(request):
    """The Secretariat (the reporting organisation) and every organisation with an IATI identifier."""
    if not export.publisher_id():
        return _blocked()
    return _xml(export.stream_organisations(queries.organisation_records()), "serai-organisations.xml")


def project_xml(request, pk: int):
    if not export.publisher_id():
        return _blocked()
    project = get_object_or_404(queries.exportable().filter(pk=pk))
    if readiness.blocking(readiness.check(export.from_project(project))):
        raise Http404(_("This project is not ready for IATI publishing; see its readiness report."))
    operations.record_publications(SystemActor("iati feed"), queries.exportable().filter(pk=pk))
    activity = export.from_project(queries.exportable().get(pk=pk))  # with its recorded identifier
    return _xml(export.stream_activities([activity]), f"{activity.identifier}.xml")


def readiness_report(request):
    """One page of public projects at a time (all of them at once cost tens of MB per request)."""
    page = paginate(request, queries.exportable())
    rows = queries.readiness_rows(page.object_list)
    return render(
        request,
        "iati/readiness.html",
        {
            "rows": rows,
            "page": page,
            "query": query_without_page(request),
            "ready": sum(r["ready"] for r in rows),
            "general": readiness.publisher_problems(),
            "orgs_without_id": queries.organisations_without_identifier().count(),
            "publishing": bool(export.publisher_id()),  # no link to a file that answers 503
        },
    )


@login_required
def landscape(request):
    if not permissions.can(request.user, "landscape.view"):
        raise PermissionDenied
    f = parse_query(LandscapeFilterForm, request)
    qs = queries.filtered_landscape(request.user, **f).order_by("-start", "identifier")
    return render(
        request,
        "iati/landscape.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "f": f,
            "summary": queries.summary(request.user, queries.filtered_landscape(request.user, **f)),
            "runs": queries.runs(request.user)[:5],
        },
    )


@login_required
def landscape_detail(request, pk: int):
    activity = get_object_or_404(queries.landscape(request.user), pk=pk)
    return render(
        request,
        "iati/landscape_detail.html",
        {
            "a": activity,
            "can_link": permissions.can(request.user, "landscape.link"),
            "projects": project_queries.projects(request.user).order_by("code").only("id", "code", "title")[:500],
        },
    )


@login_required
@require_POST
def landscape_link(request, pk: int):
    activity = get_object_or_404(queries.landscape(request.user), pk=pk)
    project = None
    if request.POST.get("project"):
        project = get_object_or_404(project_queries.projects(request.user), pk=request.POST["project"])
    operations.link_activity(request.user, activity, project)
    messages.success(request, _("The link was saved."))
    return redirect("iati_landscape_detail", pk=activity.pk)
