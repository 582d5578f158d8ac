"""Home page and the audit log. Views are thin: validate, call queries/operations, render."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from serai.access import permissions

from . import audit
from .models import AuditEntry
from .paging import paginate, query_without_page


@login_required
def audit_log(request):
    permissions.require(request.user, "audit.view")
    qs = AuditEntry.objects.select_related("actor", "content_type")
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    return render(
        request,
        "serai/audit_log.html",
        {"page": paginate(request, qs, 50), "action": action, "query": query_without_page(request)},
    )


@login_required
def object_audit_log(request, model: str, pk: str):
    permissions.require(request.user, "audit.view")
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404("unknown kind of object") from None
    obj = get_object_or_404(model_class, pk=pk)
    return render(
        request,
        "serai/audit_object.html",
        {"object": obj, "entries": audit.entries_for(obj).select_related("content_type")},
    )


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
