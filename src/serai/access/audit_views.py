"""The audit log's pages and the interface-languages report: core's records, shown to those the
permission module lets see them (``audit.view``, ``language.view``). Thin views."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from serai.core import audit, audit_labels
from serai.core.forms import QueryForm, parse_query
from serai.core.models import AuditEntry
from serai.core.paging import paginate, query_without_page

from . import permissions


class AuditQueryForm(QueryForm):
    action = forms.CharField(required=False, max_length=100)


@login_required
def audit_log(request):
    permissions.require(request.user, "audit.view")
    qs = AuditEntry.objects.select_related("actor", "content_type")
    action = parse_query(AuditQueryForm, request)["action"]
    if action:
        qs = qs.filter(action__startswith=action)
    page = paginate(request, qs, 50)
    return render(
        request,
        "serai/audit_log.html",
        {
            "page": page,
            "rows": audit_labels.present(page.object_list),
            "action": action,
            "query": query_without_page(request),
        },
    )


@login_required
def object_audit_log(request, model: str, pk: str):
    permissions.require(request.user, "audit.view")
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404("unknown kind of object") from None
    try:  # an id the model's key does not take ("abc" for a number) is no object, not a 500
        key = model_class._meta.pk.to_python(pk)
    except ValidationError:
        raise Http404("no such object") from None
    obj = get_object_or_404(model_class, pk=key)
    return render(
        request,
        "serai/audit_object.html",
        {"object": obj, "rows": audit_labels.present(audit.entries_for(obj).select_related("content_type"))},
    )


@login_required
def languages(request):
    """How complete each interface language is (for the Secretariat)."""
    from serai.core.languages import completeness

    permissions.require(request.user, "language.view")
    return render(request, "serai/languages.html", {"languages": completeness()})
