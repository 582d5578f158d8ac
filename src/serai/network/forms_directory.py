"""Forms of the directory pages: the import upload and confirmation, the funnel's parameters."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from serai.core import uploads
from serai.core.forms import QueryForm

from . import importer
from .funnel import DIMENSIONS


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Organisations, profiles, or both (an XLSX workbook with a sheet of each). The next page shows "
            "what would be written; nothing is written until you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = Path(upload.name).name
        uploads.check_name(name, importer.EXTENSIONS, field=None)
        uploads.check_size(name, upload.size, field=None)
        return upload


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)


class FunnelCsvForm(QueryForm):
    by = forms.ChoiceField(choices=[(d, d) for d in DIMENSIONS], required=False, initial="country")
