"""Pages: a meeting's briefing packs and records (choose, generate, follow the progress, download)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from serai.access import permissions
from serai.governance import queries as governance

from . import jobs, operations, queries
from .forms import GenerateForm
from .models import ReportStatus

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _meeting(request, pk):
    meeting = governance.meeting_or_none(request.user, pk)
    if meeting is None:
        raise Http404
    return meeting


@require_http_methods(["GET", "POST"])
def meeting_reports(request, pk: int):
    meeting = _meeting(request, pk)
    may_generate = permissions.can(request.user, "report.generate")
    form = None
    if may_generate:
        form = GenerateForm(request.POST or None, user=request.user, meeting=meeting)
        if request.method == "POST" and form.is_valid():
            c = form.cleaned_data
            try:
                operations.request_report(
                    request.user,
                    meeting,
                    kind=c["kind"],
                    fmt=c["format"],
                    language=c["language"],
                    audience=c["audience"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(reverse("reports:meeting", args=[meeting.pk]))
    elif request.method == "POST":
        raise PermissionDenied
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "reports/meeting_reports.html",
        {
            "meeting": meeting,
            "form": form,
            "reports": queries.meeting_reports(request.user, meeting),
            "stages": jobs.STAGES,
        },
        status=status,
    )


def report_status(request, pk: int):
    """The report's row (htmx polls it while the report is queued or being generated)."""
    report = queries.report_or_none(request.user, pk)
    if report is None:
        raise Http404
    return render(request, "reports/_report_row.html", {"report": report, "stages": jobs.STAGES})


def report_download(request, pk: int):
    report = queries.report_or_none(request.user, pk)
    if report is None or report.status != ReportStatus.DONE:
        raise Http404
    path = jobs.path_of(report)
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=report.download_name, content_type=CONTENT_TYPES[report.format]
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
