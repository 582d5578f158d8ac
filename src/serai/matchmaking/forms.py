"""Matchmaking forms: every input of the pages is parsed here (the operations decide the rules)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from serai.access import permissions
from serai.core.forms import IsoInputsMixin, datetime_input, time_input
from serai.network.models import WORK_LANGUAGES, CooperationProfile
from serai.orgs.models import Helix, Organisation
from serai.people.models import Person
from serai.reference.models import MemberState

from .models import Interpretation, OutcomeResult
from .operations import Registration, TableSpec

LANGUAGE_CHOICES = list(WORK_LANGUAGES.items())
INTERPRETED = [c for c in Interpretation.choices if c[0] != Interpretation.NONE]
_TIME = r"([01]?\d|2[0-3]):[0-5]\d"
_BREAK = re.compile(rf"^\s*({_TIME})\s*[-–]\s*({_TIME})\s*$")


class EventForm(IsoInputsMixin, forms.Form):
    registration_opens = forms.DateTimeField(label=_("Registration opens"), widget=datetime_input())
    registration_closes = forms.DateTimeField(label=_("Registration closes"), widget=datetime_input())
    days = forms.CharField(
        label=_("Meeting days"),
        help_text=_("Dates separated by commas or spaces, e.g. 2026-06-11, 2026-06-12."),
        max_length=400,
    )
    day_start = forms.TimeField(label=_("First slot starts"), widget=time_input())
    day_end = forms.TimeField(label=_("Last slot ends"), widget=time_input())
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240)
    breaks = forms.CharField(
        label=_("Breaks"),
        required=False,
        max_length=400,
        help_text=_("Start and end of each break, separated by commas, e.g. 12:00-13:30, 15:30-15:45."),
    )
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Asia/Seoul")
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    request_limit = forms.IntegerField(label=_("Requests per participant"), min_value=1, max_value=200, initial=10)
    tables = forms.IntegerField(label=_("Number of tables"), min_value=1, max_value=1000, initial=10)
    tables_ko_ru = forms.IntegerField(
        label=_("Tables with Korean ↔ Russian interpretation"), min_value=0, max_value=1000, initial=0
    )
    tables_ko_en = forms.IntegerField(
        label=_("Tables with Korean ↔ English interpretation"), min_value=0, max_value=1000, initial=0
    )
    tables_ru_en = forms.IntegerField(
        label=_("Tables with Russian ↔ English interpretation"), min_value=0, max_value=1000, initial=0
    )

    def clean_days(self) -> list[str]:
        out = []
        for word in re.split(r"[\s,;]+", self.cleaned_data["days"].strip()):
            if not word:
                continue
            try:
                out.append(dt.date.fromisoformat(word).isoformat())
            except ValueError:
                raise ValidationError(_("“%(value)s” is not a date like 2026-06-11.") % {"value": word[:20]}) from None
        if not out:
            raise ValidationError(_("Give at least one meeting day."))
        return sorted(set(out))

    def clean_breaks(self) -> list[list[str]]:
        out = []
        for part in self.cleaned_data["breaks"].split(","):
            if not part.strip():
                continue
            m = _BREAK.match(part)
            if not m:
                raise ValidationError(_("“%(value)s” is not a break like 12:00-13:30.") % {"value": part.strip()[:20]})
            a, b = dt.time.fromisoformat(m.group(1).zfill(5)), dt.time.fromisoformat(m.group(3).zfill(5))
            if a >= b:
                raise ValidationError(_("A break must end after it starts."))
            out.append([a.strftime("%H:%M"), b.strftime("%H:%M")])
        return out

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise ValidationError(_("Unknown time zone.")) from None
        return value

    def clean(self):
        data = super().clean()
        interpreted = sum(data.get(k) or 0 for k in ("tables_ko_ru", "tables_ko_en", "tables_ru_en"))
        if data.get("tables") is not None and interpreted > data["tables"]:
            self.add_error("tables_ko_ru", _("More tables with interpretation than tables."))
        return data

    def values(self) -> dict:
        keys = ("registration_opens", "registration_closes", "days", "day_start", "day_end", "slot_minutes")
        keys += ("breaks", "time_zone", "languages", "request_limit")
        return {k: self.cleaned_data[k] for k in keys}

    def table_specs(self, existing: dict[int, str] | None = None) -> list[TableSpec]:
        """Tables 1..n; the first ones interpreted (ko-ru, then ko-en, then ru-en). Names kept."""
        kinds = []
        for key, code in (("tables_ko_ru", "ko-ru"), ("tables_ko_en", "ko-en"), ("tables_ru_en", "ru-en")):
            kinds += [code] * self.cleaned_data[key]
        n = self.cleaned_data["tables"]
        kinds += [Interpretation.NONE] * (n - len(kinds))
        return [TableSpec(i, (existing or {}).get(i, ""), kinds[i - 1]) for i in range(1, n + 1)]

    @staticmethod
    def initial_for(event) -> dict:
        tables = list(event.tables.all())
        count = {code: sum(1 for t in tables if t.interpretation == code) for code, _l in INTERPRETED}
        return {
            "registration_opens": event.registration_opens,
            "registration_closes": event.registration_closes,
            "days": ", ".join(event.days),
            "day_start": event.day_start,
            "day_end": event.day_end,
            "slot_minutes": event.slot_minutes,
            "breaks": ", ".join(f"{a}-{b}" for a, b in event.breaks),
            "time_zone": event.time_zone,
            "languages": event.languages,
            "request_limit": event.request_limit,
            "tables": len(tables),
            "tables_ko_ru": count["ko-ru"],
            "tables_ko_en": count["ko-en"],
            "tables_ru_en": count["ru-en"],
        }


def _people(user):
    """People the user may register: those whose contacts they may see (their organisation's and
    country's; everyone for the Secretariat), and their own person."""
    return Person.objects.filter(permissions.person_contact_q(user)).select_related("organisation").order_by("id")


class _ParticipantFields(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpretation = forms.ChoiceField(label=_("Interpretation needed"), choices=INTERPRETED, required=False)

    def clean(self):
        data = super().clean()
        if data.get("needs_interpreter") and not data.get("interpretation"):
            self.add_error("interpretation", _("Say which interpretation is needed."))
        return data


class RegistrationForm(_ParticipantFields):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    new_person_name = forms.CharField(label=_("Or a new person: name"), max_length=200, required=False)
    new_person_email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), required=False)
    new_org_name = forms.CharField(label=_("Or a new organisation: name"), max_length=300, required=False)
    new_org_helix = forms.ChoiceField(label=_("Helix"), choices=[("", "—"), *Helix.choices], required=False)
    new_org_country = forms.ModelChoiceField(
        label=_("Country"), queryset=MemberState.objects.order_by("id"), required=False
    )
    profiles = forms.ModelMultipleChoiceField(
        label=_("Cooperation profiles brought"),
        queryset=CooperationProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unavailable_slots = forms.ModelMultipleChoiceField(
        label=_("Slots when you are not available"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["person", "new_person_name", "new_person_email", "organisation", "new_org_name"]

    def __init__(self, *args, event, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(user)
        self.fields["organisation"].queryset = Organisation.objects.order_by("id")
        own_orgs = Organisation.objects.filter(permissions.editable_organisations_q(user)).values("pk")
        self.fields["profiles"].queryset = (
            CooperationProfile.objects.filter(permissions.profile_visibility_q(None))
            .filter(organisation__in=own_orgs)
            .order_by("id")
        )
        self.fields["unavailable_slots"].queryset = event.slots.order_by("starts_at")

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_person_name") or "").strip():
            self.add_error("person", _("Choose a person or enter a new one."))
        if not data.get("organisation"):
            if not (data.get("new_org_name") or "").strip():
                self.add_error("organisation", _("Choose an organisation or enter a new one."))
            elif not data.get("new_org_helix"):
                self.add_error("new_org_helix", _("Choose the new organisation's helix."))
        return data

    def registration(self) -> Registration:
        d = self.cleaned_data
        return Registration(
            person=d.get("person"),
            organisation=d.get("organisation"),
            new_person=None
            if d.get("person")
            else {"name": _text(d["new_person_name"]), "email": d.get("new_person_email") or ""},
            new_organisation=None
            if d.get("organisation")
            else {
                "name": _text(d["new_org_name"]),
                "helix": d["new_org_helix"],
                "member_state": d.get("new_org_country"),
            },
            profiles=list(d.get("profiles") or []),
            languages=d.get("languages") or [],
            needs_interpreter=bool(d.get("needs_interpreter")),
            interpretation=d.get("interpretation") or Interpretation.NONE,
            unavailable_slots=list(d.get("unavailable_slots") or []),
        )


def _text(value: str) -> dict:
    lang = (translation.get_language() or "en").split("-")[0]
    return {"values": {lang: value.strip()}, "source": lang}


class DelegateForm(_ParticipantFields):
    """One row of a focal point's delegation."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    new_person_name = forms.CharField(label=_("Or a new person: name"), max_length=200, required=False)
    new_person_email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(user)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            permissions.editable_organisations_q(user)
        ).order_by("id")

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_person_name") or "").strip():
            self.add_error("person", _("Choose a person or enter a new one."))
        return data

    def registration(self) -> Registration:
        d = self.cleaned_data
        return Registration(
            person=d.get("person"),
            organisation=d["organisation"],
            new_person=None
            if d.get("person")
            else {"name": _text(d["new_person_name"]), "email": d.get("new_person_email") or ""},
            languages=d.get("languages") or [],
            needs_interpreter=bool(d.get("needs_interpreter")),
            interpretation=d.get("interpretation") or Interpretation.NONE,
        )


class _DelegationFormSet(forms.BaseFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"user": self.user}


DelegationFormSet = forms.formset_factory(
    DelegateForm, formset=_DelegationFormSet, extra=5, max_num=50, validate_max=True, absolute_max=50
)


class RequestForm(forms.Form):
    requester = forms.TypedChoiceField(label=_("On behalf of"), coerce=int, choices=())
    requested = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    message = forms.CharField(
        label=_("Message"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, mine, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].choices = [(p.pk, str(p)) for p in mine]


class MoveForm(forms.Form):
    """A workflow step on a request, participant, meeting or event: its name and a reason."""

    name = forms.CharField(max_length=40, widget=forms.HiddenInput)  # posted by the step's button
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class OutcomeForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    result = forms.ChoiceField(label=_("Outcome"), choices=OutcomeResult.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectIdeaForm(forms.Form):
    title = forms.CharField(label=_("Project idea title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
