from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FILTER_PAGES


class SavedFilterForm(forms.Form):
    page = forms.ChoiceField(choices=list(FILTER_PAGES.items()), widget=forms.HiddenInput)
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of this filter"), max_length=100)
