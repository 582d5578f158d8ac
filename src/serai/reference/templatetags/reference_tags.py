"""How reference data is shown.

The OECD DAC purpose names come from the IATI Sector codelist, which publishes them in English
and French only (../shared/data/iati/codelists; no Korean or Russian names exist in any source we
have). On a Korean or Russian page a name is therefore shown in English and marked so
(``lang="en"``): a content fallback, as ``|tt`` marks translated text served in another language.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()

DAC_NAME_LANGUAGE = "en"  # the language of DacSector.name (the codelist's English narrative)


@register.filter
def dac_name(sector):
    """A DAC purpose code's name, marked as English on a page in another language."""
    if sector is None:
        return ""
    active = (translation.get_language() or "en").split("-")[0]
    if active == DAC_NAME_LANGUAGE:
        return sector.name
    return format_html('<span lang="{}">{}</span>', DAC_NAME_LANGUAGE, sector.name)
