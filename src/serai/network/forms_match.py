"""The query strings and the form of partner matching and the consortium builder."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core.forms import CountryCodeField, QueryForm
from serai.orgs.models import Helix
from serai.projects.models import ParticipationRole

from .models import WORK_LANGUAGES

KIND_CHOICES = [("", ""), ("org", _("Organisations")), ("profile", _("Profiles"))]
TRADE_SIDES = ("KOR", "KAZ", "KGZ", "TJK", "TKM", "UZB", "CA5")  # CA5: the five Central Asian states together
TRADE_LEVELS = ("hs6", "hs4", "field")


class MatchFilterForm(QueryForm):
    """Filters every match page takes: the partner's country, helix, field and working language."""

    country = CountryCodeField(label=_("Country"))
    helix = forms.ChoiceField(label=_("Helix"), required=False, choices=[("", ""), *Helix.choices])
    field = forms.ChoiceField(label=_("Field"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", ""), *((code, name) for code, name in WORK_LANGUAGES.items())],
    )
    kind = forms.ChoiceField(label=_("Show"), required=False, choices=KIND_CHOICES)

    def __init__(self, *args, field_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", ""), *((c, c) for c in field_codes)]


class FreeQueryForm(MatchFilterForm):
    """The free query: words in any language, and optionally a DAC sector and an HS4 product."""

    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=300)
    sector = forms.RegexField(
        label=_("DAC purpose code"),
        required=False,
        regex=r"\A[0-9]{5}\Z",
        error_messages={"invalid": _("Enter a five-digit DAC purpose code, e.g. 23230.")},
    )
    hs4 = forms.RegexField(
        label=_("HS product (4 digits)"),
        required=False,
        regex=r"\A[0-9]{4}\Z",
        error_messages={"invalid": _("Enter a four-digit HS code, e.g. 8541.")},
    )


class TradeQueryForm(MatchFilterForm):
    """A row of the trade pair page's opportunity table: who exports what to whom."""

    exporter = forms.ChoiceField(label=_("Exporter"), choices=[(c, c) for c in TRADE_SIDES])
    market = forms.ChoiceField(label=_("Market"), choices=[(c, c) for c in TRADE_SIDES])
    level = forms.ChoiceField(label=_("Level"), choices=[(c, c) for c in TRADE_LEVELS])
    code = forms.RegexField(
        label=_("Code"),
        regex=r"\A[0-9a-z-]{2,40}\Z",
        error_messages={"invalid": _("Enter a product or field code from the opportunity table.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("exporter") and data.get("exporter") == data.get("market"):
            self.add_error("market", _("The market must differ from the exporter."))
        level, code = data.get("level"), data.get("code") or ""
        if level in ("hs6", "hs4") and not (code.isdigit() and len(code) == int(level[2])):
            self.add_error("code", _("Enter a %(n)s-digit HS code for this level.") % {"n": level[2]})
        return data


class ConsortiumAddForm(forms.Form):
    """The partners chosen on the consortium page (among the proposal's candidates) and their role."""

    organisations = forms.TypedMultipleChoiceField(
        label=_("Partners to add"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices, initial=ParticipationRole.IMPLEMENTING)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [(pk, str(pk)) for pk in candidates]
        self.fields["organisations"].error_messages["invalid_choice"] = _(
            "Organisation %(value)s is not among the proposed partners; reload the page and choose again."
        )
