"""The cooperation network's directory pages: the export (CSV/XLSX), the Secretariat's bulk
import (upload → dry-run report → confirm) and the funnel dashboard. Thin: validate, call the
importer / directory / funnel modules, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core import downloads
from serai.core.forms import parse_query

from . import directory, funnel, importer
from .forms_directory import ConfirmImportForm, FunnelCsvForm, ImportForm


def directory_index(request):
    return render(
        request,
        "network/directory_index.html",
        {
            "can_import": permissions.can(request.user, "network.import"),
            "formats": downloads.FORMATS,
        },
    )


def directory_export(request, what: str, fmt: str):
    if what not in directory.KINDS or fmt not in downloads.FORMATS:
        raise Http404
    header, rows = directory.export(request.user, what)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return downloads.table_response(fmt, f"serai-network-{what}-{stamp}", header, rows, sheet=what)


def _may_import(request) -> None:
    if not permissions.can(request.user, "network.import"):
        raise PermissionDenied


@login_required
def directory_import(request):
    """GET: the upload form. POST: stage the file, run a dry run, show its report and (when every
    row is valid) the confirmation."""
    _may_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = importer.run(request.user, [(upload.name, data)], dry_run=True)
        confirm = (
            ConfirmImportForm(initial={"token": importer.stage(request.user, upload.name, data)}) if report.ok else None
        )
        return render(request, "network/directory_import_report.html", {"report": report, "confirm": confirm})
    return render(request, "network/directory_import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def directory_import_confirm(request):
    _may_import(request)
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        return render(
            request, "network/directory_import.html", {"form": ImportForm(), "problem": form.errors}, status=400
        )
    try:
        name, data = importer.unstage(request.user, form.cleaned_data["token"], remove=True)
    except importer.ImportError_ as exc:
        return render(request, "network/directory_import.html", {"form": ImportForm(), "problem": str(exc)}, status=400)
    report = importer.run(request.user, [(name, data)])
    return render(
        request,
        "network/directory_import_report.html",
        {"report": report, "confirm": None},
        status=200 if report.ok else 400,
    )


def funnel_page(request):
    result = funnel.funnel(request.user)
    charts = [
        {
            "id": "funnel-country",
            "by": "country",
            "figure": funnel.chart(result.by_country, ""),
            "rows": result.by_country,
        },
        {"id": "funnel-field", "by": "field", "figure": funnel.chart(result.by_field, ""), "rows": result.by_field},
    ]
    return render(
        request,
        "network/funnel.html",
        {
            "funnel": result,
            "charts": charts,
            "stages": [funnel.STAGE_LABELS[s] for s in funnel.STAGES],
            "signed_in": request.user.is_authenticated,
        },
    )


def funnel_csv(request):
    by = parse_query(FunnelCsvForm, request)["by"]  # a bad parameter answers 400
    result = funnel.funnel(request.user)
    rows = ([r.key, funnel.label_text(r.label), *r.values] for r in [*result.rows(by), result.total])
    return downloads.table_response("csv", f"serai-network-funnel-by-{by}", [by, "name", *funnel.STAGES], rows)
