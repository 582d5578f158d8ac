from __future__ import annotations

from django import template
from django.urls import translate_url
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from serai.core.i18n import MACHINE, TranslatedText

register = template.Library()


@register.filter
def tt(value):
    """Render translated text in the active language, marking fallbacks and machine text."""
    text = TranslatedText.coerce(value)
    active = (translation.get_language() or "en").split("-")[0]
    served = text.served_language(active)
    if served is None:
        return ""
    body = text.get(active)
    flag = text.flag(served)
    note = ""
    if flag == MACHINE:
        note = format_html(' <span class="badge badge-warn" title="{}">{}</span>', _("Machine translation, not reviewed"), _("MT"))
    elif flag:
        note = format_html(' <span class="badge" title="{}">{}</span>', _("Translation not reviewed yet"), "*")
    if served != active:
        return format_html('<span lang="{}">{}</span>{}', served, body, note)
    return format_html("{}{}", body, note)


@register.filter
def plain(value):
    """Translated text as plain text in the active language (for attributes and titles)."""
    return TranslatedText.coerce(value).get()


@register.simple_tag(takes_context=True)
def url_in_language(context, lang_code):
    request = context.get("request")
    if request is None:
        return f"/{lang_code}/"
    return translate_url(request.get_full_path(), lang_code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def percent(value):
    """A share (0–1) as a whole percentage in the active locale's number format."""
    if value is None:
        return ""
    return f"{formats.number_format(round(float(value) * 100))} %"
