"""The shell's own pages: the 400 page and plotly.js's words. (The audit log and the languages
report need the permission module, which sits above core: they are ``serai.access.audit_views``.)"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults

from .forms import BadQuery


def bad_request(request, exception=None):
    """The 400 page (``handler400``): a query string that does not validate names each bad
    parameter and what it takes; any other bad request gets Django's plain page."""
    if isinstance(exception, BadQuery):
        return render(request, "serai/bad_request.html", {"errors": exception.errors}, status=400)
    return defaults.bad_request(request, exception)


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
