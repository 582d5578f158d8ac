from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core.forms import (
    CodeField,
    CountryCodeField,
    MultilineField,
    QueryForm,
    StrictIntegerField,
    date_input,
    formfield,
    number_input,
)
from serai.orgs.models import Helix
from serai.reference.models import Body, CooperationField, DacSector, MemberState

from . import queries, validation
from .models import Project, Scope, Status
from .operations import FUNDING_FIELDS, SectorShare

SECTOR_ROWS = 4


def _optional(choices) -> list[tuple[str, str]]:
    return [("", ""), *choices]


class ProjectFilterForm(QueryForm):
    """The project list's query string (the page and its CSV/XLSX exports)."""

    q = forms.CharField(required=False, max_length=queries.MAX_QUERY)
    country = CountryCodeField()
    field = CodeField()
    subcommittee = CodeField()
    status = forms.ChoiceField(required=False, choices=_optional(Status.choices))
    scope = forms.ChoiceField(required=False, choices=_optional(Scope.choices))
    year = StrictIntegerField(min_value=queries.YEARS[0], max_value=queries.YEARS[1])
    helix = forms.ChoiceField(required=False, choices=_optional(Helix.choices))
    sort = forms.ChoiceField(required=False, choices=_optional((k, k) for k in queries.SORTS), initial="newest")


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    countries = forms.ModelMultipleChoiceField(
        MemberState.objects.order_by("sort_order"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Member states"),
        help_text=_(
            "Korea and one Central Asian state make a bilateral project; Korea and several, a multilateral one."
        ),
    )
    tags_text = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate tags with commas."))
    parent_code = forms.CharField(label=_("Programme (code of the parent project)"), required=False, max_length=30)

    class Meta:
        model = Project
        formfield_callback = formfield
        fields = [
            "title",
            "summary",
            "description",
            "subcommittee",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "budget_amount",
            "budget_currency",
            "usd_rate",
            "usd_rate_date",
        ]
        widgets = {
            f: date_input() for f in ("planned_start", "planned_end", "actual_start", "actual_end", "usd_rate_date")
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # the parent code resolves only among the projects this user may see
        self.hidden_parent = None
        self.fields["subcommittee"].queryset = Body.objects.filter(kind="subcommittee")
        fields = CooperationField.objects.order_by("sort_order")
        dac = DacSector.objects.filter(cooperation_fields__isnull=False).distinct().order_by("code")
        for i in range(SECTOR_ROWS):
            self.fields[f"sector_field_{i}"] = forms.ModelChoiceField(
                fields, required=False, label=_("Cooperation field")
            )
            self.fields[f"sector_dac_{i}"] = forms.ModelChoiceField(dac, required=False, label=_("DAC purpose code"))
            self.fields[f"sector_pct_{i}"] = forms.DecimalField(
                required=False,
                min_value=Decimal("0.01"),
                max_value=100,
                decimal_places=2,
                label=_("Percentage"),
                widget=number_input(step="0.01"),
            )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["countries"].initial = list(self.instance.countries.all())
            self.fields["tags_text"].initial = ", ".join(self.instance.tags or [])
            if self.instance.parent_id and self._visible_projects().filter(pk=self.instance.parent_id).exists():
                self.fields["parent_code"].initial = self.instance.parent.code
            elif self.instance.parent_id:  # a programme the editor may not see: not shown, kept unless replaced
                self.hidden_parent = self.instance.parent
            for i, sector in enumerate(self.instance.sectors.all()[:SECTOR_ROWS]):
                self.fields[f"sector_field_{i}"].initial = sector.field_id
                self.fields[f"sector_dac_{i}"].initial = sector.dac_sector_id
                self.fields[f"sector_pct_{i}"].initial = sector.percentage

    def sector_rows(self):
        return [
            (self[f"sector_field_{i}"], self[f"sector_dac_{i}"], self[f"sector_pct_{i}"]) for i in range(SECTOR_ROWS)
        ]

    def clean_tags_text(self):
        """The tags as a list, checked by the project's own rule (``validation.tag_problem``)."""
        tags = [t.strip() for t in self.cleaned_data["tags_text"].split(",") if t.strip()]
        problem = validation.tag_problem(tags)
        if problem:
            raise forms.ValidationError(problem)
        self.instance.tags = tags  # so the model's clean sees the tags being saved
        return tags

    def _update_errors(self, errors):
        # the model's clean names "tags"; on this form they are typed in "tags_text"
        if hasattr(errors, "error_dict") and "tags" in errors.error_dict:
            errors.error_dict.setdefault("tags_text", []).extend(errors.error_dict.pop("tags"))
        super()._update_errors(errors)

    def _visible_projects(self):
        from .queries import projects

        return projects(self.user)

    def clean_parent_code(self):
        code = self.cleaned_data["parent_code"].strip()
        if not code:
            return self.hidden_parent
        # only among the projects the user may see, with one answer for "none" and "not yours to
        # see", so the field tells nobody which hidden codes exist
        parent = self._visible_projects().filter(code=code).first()
        if parent is None:
            raise forms.ValidationError(_("No project has the code %(code)s.") % {"code": code})
        if self.instance.pk and parent.pk == self.instance.pk:
            raise forms.ValidationError(_("A project cannot be its own programme."))
        return parent

    def clean(self):
        data = super().clean()
        for i in range(SECTOR_ROWS):
            field, pct = data.get(f"sector_field_{i}"), data.get(f"sector_pct_{i}")
            if (field is None) != (pct is None):
                self.add_error(f"sector_pct_{i}", _("Give both the field and its percentage."))
        return data

    def split(self):
        data = dict(self.cleaned_data)
        countries = list(data.pop("countries"))
        sectors = []
        for i in range(SECTOR_ROWS):
            field, dac, pct = data.pop(f"sector_field_{i}"), data.pop(f"sector_dac_{i}"), data.pop(f"sector_pct_{i}")
            if field is not None:
                sectors.append(SectorShare(field=field, dac_sector=dac, percentage=pct))
        tags = data.pop("tags_text")
        data.pop("version", None)
        data["tags"] = tags
        data["parent"] = data.pop("parent_code")
        return data, countries, sectors


class TransitionForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Reason"))
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ParticipationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisations, **kwargs):
        from .models import ParticipationRole

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = ParticipationRole.choices


class FundingSourceForm(forms.ModelForm):
    """A funder's commitment to the project, what it has disbursed, and how IATI classifies the money
    (left blank: the default for the funder's organisation type)."""

    class Meta:
        from .models import FundingSource

        model = FundingSource
        fields = list(FUNDING_FIELDS)  # what the operation accepts, in one place
        widgets = {f: date_input() for f in ("committed_on", "disbursed_on")}
        help_texts = {"flow_type": _("Blank: the default for the funder's organisation type.")}
        labels = {"organisation": _("Organisation")}

    def __init__(self, *args, organisations, **kwargs):
        kwargs.setdefault("auto_id", "funding_%s")  # beside the participation form on the project page
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = False
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "placeholder": "USD"})


class EditorForm(forms.Form):
    """A project editor, by user name; ``remove`` takes them off instead."""

    username = forms.CharField(label=_("User name"), max_length=150)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=name).first()
        if user is None:
            raise forms.ValidationError(_("No account has the user name %(name)s.") % {"name": name})
        return user


class AppraisalForm(forms.Form):
    comment = MultilineField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Comment"))
    completed = forms.BooleanField(required=False, label=_("The appraisal is complete"))

    def __init__(self, *args, **kwargs):
        from .models import APPRAISAL_CRITERIA

        super().__init__(*args, **kwargs)
        for key, label in APPRAISAL_CRITERIA:
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                choices=[("", "—")] + [(str(i), str(i)) for i in range(1, 6)],
                coerce=int,
                required=False,
                empty_value=None,
                label=label,
            )

    def scores(self):
        return {k[6:]: v for k, v in self.cleaned_data.items() if k.startswith("score_") and v is not None}

    @staticmethod
    def initial_for(appraisal) -> dict:
        """The form's values for a saved appraisal: its scores, comment and 'complete' flag (a form
        started from the scores alone would drop the other two when saved again)."""
        if appraisal is None:
            return {}
        return {
            "comment": appraisal.comment,
            "completed": appraisal.completed,
            **{f"score_{k}": v for k, v in appraisal.scores.items()},
        }

    def criteria(self):
        """(bound field, rubric) per criterion, for the form's rubric beside each score."""
        from .models import APPRAISAL_CRITERIA, APPRAISAL_RUBRIC

        return [(self[f"score_{key}"], APPRAISAL_RUBRIC.get(key, {})) for key, _label in APPRAISAL_CRITERIA]


# --- results framework ------------------------------------------------------------------------
class ResultForm(forms.ModelForm):
    class Meta:
        from .models import Result

        model = Result
        formfield_callback = formfield
        fields = ["kind", "title"]


class IndicatorForm(forms.ModelForm):
    result = forms.ModelChoiceField(queryset=None, label=_("Result"))

    def __init__(self, *args, results=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = results
        self.fields["result"].label_from_instance = lambda r: f"{r.get_kind_display()}: {r.title}"
        self.order_fields(["result"])

    class Meta:
        from .models import Indicator

        model = Indicator
        formfield_callback = formfield
        fields = ["title", "unit", "baseline", "target", "aggregation"]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), widget=date_input())


class UpdateForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4, widget=number_input())
    narrative = MultilineField(label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    update = forms.IntegerField(widget=forms.HiddenInput)
    # posted by the page's buttons, never typed
    move = forms.ChoiceField(
        choices=[("submit", _("Submit")), ("approve", _("Approve")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    comment = MultilineField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
