"""Forms of the day's desk: check-in and no-show of a meeting, a table change, a participant's
arrival. Validation of the input only; what may happen is the workflow's and the operations'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AttendForm(forms.Form):
    name = forms.ChoiceField(
        label=_("Attendance"), choices=[("check_in", _("Check in")), ("no_show", _("Mark as no-show"))]
    )
    no_show_by = forms.TypedChoiceField(label=_("Who did not come"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        sides = [meeting.request.requester, meeting.request.requested] if meeting is not None else []
        self.sides = {s.pk: s for s in sides}
        self.fields["no_show_by"].choices = [("", _("Both or unknown"))] + [(s.pk, str(s.person.name)) for s in sides]


class MoveForm(forms.Form):
    table = forms.ModelChoiceField(label=_("New table"), queryset=None, empty_label=None)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = event.tables.all() if event is not None else None


class ArrivalForm(forms.Form):
    day = forms.DateField(label=_("Day"))
