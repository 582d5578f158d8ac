from __future__ import annotations

from django import forms

from serai.core.forms import CountryCodeField, QueryForm, formfield

from .models import Person


class PersonFilterForm(QueryForm):
    """The people list's query string."""

    country = CountryCodeField()


class PersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        formfield_callback = formfield
        model = Person
        fields = ["name", "position", "organisation", "member_state", "email", "phone", "fields", "is_public"]
        widgets = {"fields": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.select_related("member_state")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def split(self) -> tuple[dict, list]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("fields", "version")}
        return data, list(self.cleaned_data["fields"])
