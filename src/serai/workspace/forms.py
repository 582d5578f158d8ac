from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import FILTER_PAGES


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=())
    email = forms.BooleanField(label=_("Also send my notifications by e-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES


class SavedFilterForm(forms.Form):
    page = forms.ChoiceField(choices=list(FILTER_PAGES.items()), widget=forms.HiddenInput)
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of this filter"), max_length=100)
