from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=())
    email = forms.BooleanField(label=_("Also send my notifications by e-mail"), required=False)
    remind_due = forms.BooleanField(label=_("Remind me before my actions' due dates"), required=False)
    remind_overdue = forms.BooleanField(label=_("Tell me when an action of mine becomes overdue"), required=False)
    weekly_digest = forms.BooleanField(
        label=_("Send me a weekly digest of my open actions and coming meetings"), required=False
    )

    REMINDERS = ("remind_due", "remind_overdue", "weekly_digest")  # serai sendreminders reads these switches

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
