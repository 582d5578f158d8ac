from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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


class QuickSelectMixin:
    """A ``<select>`` written in Python, the same markup as Django's templates (``select.html``,
    ``select_option.html``, ``attrs.html``) without a template render per option: a page with a
    few hundred options (the projects a decision may endorse) spent most of its time there."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        wanted = set(self.format_value(value))
        written = "".join(  # as django/forms/widgets/attrs.html, in the same order
            f" {key}" if item is True else f' {key}="{conditional_escape(str(item))}"'
            for key, item in attrs.items()
            if item is not False
        )
        parts = [format_html('<select name="{}"', name), written, ">"]
        chosen = False

        def option(option_value, label):
            nonlocal chosen
            option_value = "" if option_value is None else str(option_value)
            selected = (not chosen or self.allow_multiple_selected) and option_value in wanted
            chosen = chosen or selected
            mark = " selected" if selected else ""
            return f'<option value="{conditional_escape(option_value)}"{mark}>{conditional_escape(label)}</option>'

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(option(v, sub) for v, sub in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass


QUICK = {forms.Select: QuickSelect, forms.SelectMultiple: QuickSelectMultiple}


def listed_choices(formfield_, rows, label=str):
    """Offer ``rows`` (``(pk, *columns)`` tuples read with ``values_list``) as the choices of a
    model choice field's widget, without a model instance per option; the field still validates
    against its queryset."""
    choices = [("", formfield_.empty_label)] if getattr(formfield_, "empty_label", None) is not None else []
    choices += [(row[0], label(*row[1:])) for row in rows]
    formfield_.widget.choices = choices


def quick_selects(form):
    """Switch the form's plain select widgets to the quick ones (same markup, same choices)."""
    for formfield_ in form.fields.values():
        quick = QUICK.get(type(formfield_.widget))
        if quick is not None:
            formfield_.widget.__class__ = quick
    return form


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
