from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableFormField
from serai.core.forms import CountryCodeField, FlagField, MultilineField, QueryForm, date_input, formfield
from serai.people.models import Person

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingDocument,
    Membership,
    Participant,
    PriorityArea,
    WorkPlan,
    WorkPlanActivity,
)

DATE = date_input()  # ISO dates in every language (see serai.core.forms.input_widget)


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        formfield_callback = formfield
        fields = ["parent", "title"]
        labels = {"parent": _("Under the agenda item")}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["parent"].required = False


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        formfield_callback = formfield
        fields = ["number", "kind", "agenda_item", "text", "projects"]
        labels = {"agenda_item": _("Agenda item")}

    def __init__(self, *args, meeting=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["projects"].queryset = projects
        self.fields["projects"].required = False


def decision_label(decision: Decision) -> str:
    """A decision by its own number and the start of its text (the meeting is the page's already)."""
    text = Truncator(str(decision.text)).chars(80)
    return f"§{decision.number} · {text}" if decision.number else text


OWNER_FIELDS = ("owner_country", "owner_organisation", "owner_person")


class ActionForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        formfield_callback = formfield
        fields = ["title", "decision", "owner_country", "owner_organisation", "owner_person", "due_date", "activity"]
        labels = {"decision": _("Decision")}
        widgets = {"due_date": DATE}

    def __init__(self, *args, meeting=None, people=None, **kwargs):
        """``people``: the people the editor may see (the owners offered); none if not given."""
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(meeting=meeting).order_by("number", "id")
        self.fields["decision"].label_from_instance = decision_label
        self.fields["owner_person"].queryset = people if people is not None else Person.objects.none()
        self.fields["owner_person"].label_from_instance = lambda person: str(person.name)
        self.fields["activity"].queryset = (
            WorkPlanActivity.objects.filter(area__plan__year=meeting.year)
            if meeting
            else (WorkPlanActivity.objects.none())
        )

    def owner(self):
        return next(self.cleaned_data[name] for name in OWNER_FIELDS if self.cleaned_data.get(name) is not None)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = MultilineField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.ModelForm):
    # the version the editor started from (optimistic concurrency); anything but a number is a form error
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Meeting
        formfield_callback = formfield
        fields = [
            "body",
            "number",
            "year",
            "start_date",
            "end_date",
            "host_country",
            "host_city",
            "theme",
            "status",
            "chair",
            "mode",
            "online_link",
            "summary",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        formfield_callback = formfield
        fields = ["person", "position", "country", "organisation", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}


class EndMembershipForm(forms.Form):
    """The last day of a member's term (today by default)."""

    end_date = forms.DateField(label=_("term ends"), widget=DATE)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        formfield_callback = formfield
        fields = ["country", "organisation", "person", "name", "position", "role", "attendance"]


class AttendanceForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Participant._meta.get_field("attendance").choices)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = MeetingDocument
        formfield_callback = formfield
        fields = ["title", "kind", "language", "agenda_item", "is_public", "file"]

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["language"].widget = forms.Select(
            choices=[("", "—"), ("en", "English"), ("ko", "한국어"), ("ru", "Русский")]
        )


class ConfirmAdoptionForm(forms.Form):
    """Adopting a decision or minutes cannot be undone: the form asks for a ticked box."""

    confirm = forms.BooleanField(
        required=True,
        label=_("I confirm the adoption"),
        error_messages={"required": _("Tick the box to confirm the adoption: it cannot be undone.")},
    )


class WithdrawDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class MinutesForm(forms.Form):
    text = TranslatableFormField(label=_("Minutes"), multiline=True, required=False)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class WorkPlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        formfield_callback = formfield
        fields = ["year", "title"]


class PriorityAreaForm(forms.ModelForm):
    class Meta:
        model = PriorityArea
        formfield_callback = formfield
        fields = ["title", "fields"]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = WorkPlanActivity
        formfield_callback = formfield
        fields = ["area", "title", "projects", "budget_line", "budget", "currency", "due_date", "status"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, plan=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = PriorityArea.objects.filter(plan=plan)
        self.fields["projects"].queryset = projects
        self.fields["projects"].required = False


class ActivityStatusForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanActivity._meta.get_field("status").choices)


class AdoptPlanForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Adopted at the Forum session"), queryset=Meeting.objects.none())

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = sessions


class ActionTrackerFilterForm(QueryForm):
    """The action tracker's query string."""

    country = CountryCodeField()
    status = forms.ChoiceField(required=False, choices=[("", ""), *ActionStatus.choices])
    overdue = FlagField()
    mine = FlagField()
    format = forms.ChoiceField(required=False, choices=[("", ""), ("xlsx", "xlsx")])
