from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core.forms import formfield

from .models import ActionItem, ActionStatus, AgendaItem, Decision


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        formfield_callback = formfield
        fields = ["parent", "title"]

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["parent"].required = False


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        formfield_callback = formfield
        fields = ["number", "kind", "agenda_item", "text", "projects"]

    def __init__(self, *args, meeting=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["projects"].queryset = projects
        self.fields["projects"].required = False


class ActionForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        formfield_callback = formfield
        fields = ["title", "decision", "owner_country", "owner_organisation", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(meeting=meeting).select_related("meeting__body")

    def owner(self):
        return self.cleaned_data.get("owner_country") or self.cleaned_data.get("owner_organisation")


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.ModelForm):
    class Meta:
        from .models import Meeting

        model = Meeting
        formfield_callback = formfield
        fields = ["body", "number", "year", "start_date", "end_date", "host_country", "host_city", "theme", "status"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}), "end_date": forms.DateInput(attrs={"type": "date"})}
