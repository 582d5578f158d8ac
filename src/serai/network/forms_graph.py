"""The query string of the collaboration graph's pages: which nodes and edges to keep, and how the
table is sorted."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core.forms import QueryForm, StrictIntegerField
from serai.orgs.models import Helix

from .graph import KINDS, Filters

KIND_LABELS = {
    "project": _("Project co-participation"),
    "delegation": _("Same meeting"),
    "body": _("Seats on the same body"),
    "introduction": _("Accepted introduction"),
    "cofunding": _("Co-funding"),
}
SORTS = ("label", "kind", "country", "helix", "degree", "weighted_degree", "pagerank", "betweenness", "community")
YEAR_MIN, YEAR_MAX = 1990, 2100


class GraphFilterForm(QueryForm):
    country = forms.MultipleChoiceField(label=_("Country"), required=False, widget=forms.CheckboxSelectMultiple)
    helix = forms.MultipleChoiceField(
        label=_("Helix"), required=False, choices=Helix.choices, widget=forms.CheckboxSelectMultiple
    )
    field = forms.ChoiceField(label=_("Field"), required=False)
    kind = forms.MultipleChoiceField(
        label=_("Links"), required=False, choices=list(KIND_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )
    year_from = StrictIntegerField(label=_("From year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    year_to = StrictIntegerField(label=_("To year"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args, countries=(), fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = list(countries)
        self.fields["field"].choices = [("", "—"), *fields]

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", _("The last year is before the first year."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            countries=frozenset(data.get("country") or ()),
            helices=frozenset(data.get("helix") or ()),
            fields=frozenset([data["field"]] if data.get("field") else ()),
            kinds=frozenset(data.get("kind") or ()) & frozenset(KINDS),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
        )


class GraphTableForm(GraphFilterForm):
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        initial="-pagerank",
        choices=[(s, s) for name in SORTS for s in (name, f"-{name}")],
    )
