"""Query strings of the portal's pages."""

from __future__ import annotations

from django import forms

from serai.core.forms import QueryForm

from . import queries


class HomeForm(QueryForm):
    """``/?map=budget``: what the dashboard's map shows."""

    map = forms.ChoiceField(
        required=False, choices=[("", ""), *((k, k) for k in queries.MAP_METRICS)], initial="projects"
    )


class SearchForm(QueryForm):
    q = forms.CharField(required=False, max_length=200)
