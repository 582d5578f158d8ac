"""Forms of the cooperation network: every query parameter and every posted value is read here."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core.forms import CodeField, CountryCodeField, MultilineField, QueryForm, date_input, formfield
from serai.orgs.models import Helix
from serai.reference.models import CooperationField, DacSector, MemberState

from . import queries, workflow
from .models import WORK_LANGUAGES, CooperationProfile, ProfileKind, ProfileStatus

HS4 = re.compile(r"\d{4}")


def _optional(choices) -> list[tuple[str, str]]:
    return [("", ""), *choices]


class ProfileFilterForm(QueryForm):
    """The profile list's query string (the page and the API)."""

    q = forms.CharField(required=False, max_length=queries.MAX_QUERY)
    kind = forms.ChoiceField(required=False, choices=_optional(ProfileKind.choices))
    country = CountryCodeField()
    target = CountryCodeField()
    field = CodeField()
    helix = forms.ChoiceField(required=False, choices=_optional(Helix.choices))
    seeks = forms.ChoiceField(required=False, choices=_optional(Helix.choices))
    language = forms.ChoiceField(required=False, choices=_optional(WORK_LANGUAGES.items()))


class ProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hs4_text = forms.CharField(
        label=_("HS products (4 digits)"),
        required=False,
        max_length=400,
        help_text=_(
            "Four-digit HS codes separated by commas, e.g. 8541, 8504: the products the trade evidence covers."
        ),
    )
    seeks_helix = forms.MultipleChoiceField(
        label=_("Partner types sought"), choices=Helix.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    fields = forms.ModelMultipleChoiceField(
        CooperationField.objects.order_by("sort_order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Cooperation fields"),
    )
    target_countries = forms.ModelMultipleChoiceField(
        MemberState.objects.order_by("sort_order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Target countries"),
        help_text=_("Leave empty for any member state."),
    )
    dac_sectors = forms.ModelMultipleChoiceField(
        DacSector.objects.filter(cooperation_fields__isnull=False).distinct().order_by("code"),
        required=False,
        label=_("DAC purpose codes"),
    )

    class Meta:
        model = CooperationProfile
        formfield_callback = formfield
        fields = ["kind", "title", "description", "valid_until"]
        widgets = {"valid_until": date_input()}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:  # creating: choose the organisation
            self.fields["organisation"] = forms.ModelChoiceField(organisations, label=_("Organisation"))
            self.order_fields(["organisation"])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["hs4_text"].initial = ", ".join(self.instance.hs4 or [])
            self.fields["seeks_helix"].initial = list(self.instance.seeks_helix or [])
            self.fields["fields"].initial = list(self.instance.fields.all())
            self.fields["target_countries"].initial = list(self.instance.target_countries.all())
            self.fields["dac_sectors"].initial = list(self.instance.dac_sectors.all())

    def clean_hs4_text(self):
        codes = [c.strip() for c in re.split(r"[,\s;]+", self.cleaned_data["hs4_text"]) if c.strip()]
        bad = [c for c in codes if not HS4.fullmatch(c)]
        if bad:
            raise forms.ValidationError(_("Not a four-digit HS code: %(codes)s.") % {"codes": ", ".join(bad)})
        return codes

    def _update_errors(self, errors):
        # the model names "hs4"; on this form it is typed in "hs4_text"
        if hasattr(errors, "error_dict") and "hs4" in errors.error_dict:
            errors.error_dict.setdefault("hs4_text", []).extend(errors.error_dict.pop("hs4"))
        super()._update_errors(errors)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "valid_until": data["valid_until"],
            "hs4": data["hs4_text"],
            "seeks_helix": list(data["seeks_helix"]),
            "fields": list(data["fields"]),
            "target_countries": list(data["target_countries"]),
            "dac_sectors": list(data["dac_sectors"]),
        }


class ProfileTransitionForm(forms.Form):
    name = forms.ChoiceField(  # the pressed button's step, named as the workflow names it
        label=_("Step"),
        choices=[
            (n, workflow.PROFILE_MACHINE.by_name[n].label)
            for n in ("submit", "publish", "reject", "withdraw", "reopen")
        ],
    )
    reason = MultilineField(required=False, max_length=2000, label=_("Note"))


class InterestForm(forms.Form):
    requester_org = forms.ModelChoiceField(queryset=None, label=_("On behalf of"))
    message = MultilineField(
        required=False,
        max_length=4000,
        label=_("Message"),
        help_text=_("What you are looking for; the organisation's editors read it."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_org"].queryset = organisations


class DecisionForm(forms.Form):
    name = forms.ChoiceField(  # the pressed button's step
        label=_("Step"),
        choices=[(n, workflow.INTRODUCTION_MACHINE.by_name[n].label) for n in ("accept", "decline", "withdraw")],
    )
    reason = MultilineField(required=False, max_length=2000, label=_("Reason"))


class ExpertiseForm(forms.Form):
    fields = forms.ModelMultipleChoiceField(
        CooperationField.objects.order_by("sort_order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Fields of expertise"),
    )
    keywords = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Keywords"),
        help_text=_("Free words, in any language, separated by commas."),
    )
    languages = forms.MultipleChoiceField(
        choices=list(WORK_LANGUAGES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Working languages"),
    )
    listed = forms.BooleanField(
        required=False,
        label=_("List this person in the cooperation network"),
        help_text=_("Only with the person's consent. Contact details stay hidden until an introduction is accepted."),
    )


STATUS_CHOICES = ProfileStatus.choices
