"""Home page and the audit log. Views are thin: validate, call queries/operations, render."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults

from serai.access import permissions

from . import audit, audit_labels
from .forms import BadQuery, QueryForm, parse_query
from .models import AuditEntry
from .paging import paginate, query_without_page


def bad_request(request, exception=None):
    """The 400 page (``handler400``): a query string that does not validate names each bad
    parameter and what it takes; any other bad request gets Django's plain page."""
    if isinstance(exception, BadQuery):
        return render(request, "serai/bad_request.html", {"errors": exception.errors}, status=400)
    return defaults.bad_request(request, exception)


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
    from .languages import completeness

    permissions.require(request.user, "language.view")
    return render(request, "serai/languages.html", {"languages": completeness()})


# plotly.js's own words (the mode bar's buttons and two hints), in the page's language: plotly.js
# ships locale files only in its full npm package, which is not here, so the dictionary is ours
# and goes through gettext like every other string (read by serai/charts.js)
PLOTLY_STRINGS = {
    "Download plot as a PNG": _lazy("Download the chart as a PNG image"),
    "Download plot": _lazy("Download the chart"),
    "Zoom": _lazy("Zoom"),
    "Pan": _lazy("Pan"),
    "Box Select": _lazy("Select a box"),
    "Lasso Select": _lazy("Lasso select"),
    "Zoom in": _lazy("Zoom in"),
    "Zoom out": _lazy("Zoom out"),
    "Autoscale": _lazy("Autoscale"),
    "Reset axes": _lazy("Reset the axes"),
    "Reset": _lazy("Reset"),
    "Reset view": _lazy("Reset the view"),
    "Reset views": _lazy("Reset the views"),
    "Toggle Spike Lines": _lazy("Show or hide spike lines"),
    "Show closest data on hover": _lazy("Show the closest data on hover"),
    "Compare data on hover": _lazy("Compare data on hover"),
    "Toggle show closest data on hover": _lazy("Show or hide the closest data on hover"),
    "Double-click to zoom back out": _lazy("Double-click to zoom back out"),
    "Double-click on legend to isolate one trace": _lazy("Double-click on the legend to show one series only"),
}


def chart_locale(request):
    """plotly.js's words in the language of the URL, as JSON (serai/charts.js registers them)."""
    from django.http import JsonResponse
    from django.utils import translation

    response = JsonResponse(
        {"name": translation.get_language(), "dictionary": {key: str(text) for key, text in PLOTLY_STRINGS.items()}}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
