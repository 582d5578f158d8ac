from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.reference.models import MemberState

from .audience import ReportAudience, parse
from .models import Audience, ReportFormat, ReportKind


def audience_choices(user, meeting) -> list[tuple[str, str]]:
    """The audiences ``user`` may generate a report for (``report.generate``)."""
    from .operations import probe

    options = [ReportAudience(Audience.PUBLIC), ReportAudience(Audience.SECRETARIAT)]
    options += [ReportAudience(Audience.DELEGATION, s) for s in MemberState.objects.order_by("sort_order", "iso3")]
    language = get_language() or settings.LANGUAGE_CODE
    return [(a.key, a.label(language)) for a in options if permissions.can(user, "report.generate", probe(meeting, a))]


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=ReportKind.choices)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(ReportFormat.PDF, gettext_lazy("PDF")), (ReportFormat.DOCX, gettext_lazy("DOCX"))],
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"))  # choices: the content languages, by name
    audience = forms.ChoiceField(label=gettext_lazy("Audience"))

    def __init__(self, *args, user=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.CONTENT_LANGUAGES  # each language's own name
        self.fields["audience"].choices = audience_choices(user, meeting)

    def clean_audience(self) -> ReportAudience:
        audience = parse(self.cleaned_data["audience"])
        if audience is None:
            raise forms.ValidationError(_("Choose an audience."))
        return audience
