from __future__ import annotations

from django import forms

from serai.core.forms import CodeField, CountryCodeField, QueryForm, formfield

from .models import Helix, Organisation


class OrganisationFilterForm(QueryForm):
    """The registry's query string."""

    helix = forms.ChoiceField(required=False, choices=[("", ""), *Helix.choices])
    country = CountryCodeField()
    field = CodeField()


class OrganisationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        formfield_callback = formfield
        model = Organisation
        fields = [
            "name",
            "acronym",
            "helix",
            "iati_type",
            "iati_identifier",
            "member_state",
            "other_country",
            "fields",
            "website",
            "description",
        ]
        widgets = {"fields": forms.CheckboxSelectMultiple}

    def __init__(self, *args, allowed_states=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_states is not None:
            self.fields["member_state"].queryset = allowed_states
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def split(self) -> tuple[dict, list]:
        """Field values for the operation, and the many-to-many fields of work."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("fields", "version")}
        return data, list(self.cleaned_data["fields"])
