"""Query strings of the IATI pages and files."""

from __future__ import annotations

from django import forms

from serai.core.forms import CodeField, CountryCodeField, QueryForm


class ActivitiesFileForm(QueryForm):
    """``activities.xml?country=KZ``"""

    country = CountryCodeField()


class LandscapeFilterForm(QueryForm):
    country = CountryCodeField()
    sector = CodeField(max_length=20)
    donor = forms.CharField(required=False, max_length=200)
    q = forms.CharField(required=False, max_length=200)
