"""The control room's forms: every parameter a page reads or a button posts is parsed here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableFormField
from serai.core.forms import QueryForm, StrictIntegerField
from serai.projects import workflow
from serai.projects.models import Status


def _optional(choices) -> list[tuple[str, str]]:
    return [("", _("All")), *choices]


class BoardFilterForm(QueryForm):
    """The board's filters; a value that names no country, field or subcommittee is a 400."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    field = forms.ChoiceField(label=_("Cooperation field"), required=False)
    subcommittee = forms.ChoiceField(label=_("Subcommittee"), required=False)

    def __init__(self, *args, states=(), fields=(), subcommittees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _optional((s.iso2, str(s.name)) for s in states)
        self.fields["field"].choices = _optional((f.code, str(f.name)) for f in fields)
        self.fields["subcommittee"].choices = _optional((b.code, str(b.name)) for b in subcommittees)


class MoveForm(forms.Form):
    """A card's move: a transition by name (the buttons) or the column it was dropped on (drag and
    drop), with the reason and, for an endorsement, the Forum session."""

    name = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    target = forms.ChoiceField(required=False, widget=forms.HiddenInput, choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea)
    meeting = StrictIntegerField(label=_("Forum session"), min_value=1, max_value=2**31 - 1)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(t.name, t.label) for t in workflow.MACHINE.transitions]

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("target"):
            raise forms.ValidationError(_("Name the move: a transition or the column to move the card to."))
        return data


class CompletionCsvForm(forms.Form):
    """Which table of the action completion page to download."""

    by = forms.ChoiceField(
        label=_("Table"),
        choices=[
            ("country", _("By country")),
            ("body", _("By body")),
            ("meeting", _("By meeting")),
            ("session", _("Over the Forum's sessions")),
            ("owner", _("Overdue by owner")),
        ],
    )


class AgendaRenameForm(forms.Form):
    title = TranslatableFormField(label=_("Title"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class AgendaEditForm(forms.Form):
    """One agenda edit posted from the agenda page: the item, and what to do with it."""

    item = StrictIntegerField(label=_("Agenda item"), min_value=1, max_value=2**31 - 1, required=True)
    op = forms.ChoiceField(
        label=_("Change"),
        choices=[("up", _("Move up")), ("down", _("Move down")), ("rename", _("Rename")), ("delete", _("Delete"))],
    )


class MinutesFromAgendaForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the minutes"), required=False)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *settings.CONTENT_LANGUAGES]
