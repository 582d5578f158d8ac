from __future__ import annotations

import math

from django import template
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
        note = format_html(
            ' <span class="badge badge-warn" title="{}">{}</span>', _("Machine translation, not reviewed"), _("MT")
        )
    elif flag:
        note = format_html(' <span class="badge" title="{}">{}</span>', _("Translation not reviewed yet"), "*")
    if served != active:
        return format_html('<span lang="{}">{}</span>{}', served, body, note)
    return format_html("{}{}", body, note)


@register.filter
def content(value):
    """An object's own name or text (content, in whatever language it was written), marked as such
    with ``lang=""`` so that it is not read as the interface's words."""
    return format_html('<span lang="">{}</span>', str(value))


@register.filter
def plain(value):
    """Translated text as plain text in the active language (for attributes and titles)."""
    return TranslatedText.coerce(value).get()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def percent(value, digits=0):
    """A share (0–1) as a percentage with ``digits`` decimals (``|percent:1``), in the active
    language's number format; no value is "–". The one percent filter (issue 18)."""
    if value is None or value == "":
        return "–"
    digits = int(digits)
    share = float(value) * 100
    return f"{formats.number_format(round(share) if digits == 0 else share, digits)} %"


# --- money ----------------------------------------------------------------------------------------
# Each language's way of writing a rounded amount of US dollars: the units it counts in (Korean
# counts in 만 10⁴, 억 10⁸ and 조 10¹²; English and Russian in thousands, millions, billions) and
# where the currency goes. Numbers themselves take the language's separators (number_format).
# Languages without an entry write the English form.
MONEY_FORMATS = {
    "en": ([(1e12, "${} tn"), (1e9, "${} bn"), (1e6, "${} m"), (1e3, "${} k")], "${}"),
    "ko": ([(1e12, "{}조 달러"), (1e8, "{}억 달러"), (1e4, "{}만 달러")], "{} 달러"),
    "ru": (
        [
            (1e12, "{} трлн долл. США"),
            (1e9, "{} млрд долл. США"),
            (1e6, "{} млн долл. США"),
            (1e3, "{} тыс. долл. США"),
        ],
        "{} долл. США",
    ),
}
MONEY_SCALES = {"USD": 1, "kUSD": 1000}  # kUSD: thousand USD, BACI's unit


def format_money(amount, unit: str = "USD", language: str | None = None) -> str:
    """``amount`` (in ``unit``: USD, or kUSD for thousand USD) as a short amount of US dollars in
    the language's conventions: en "$5.4 bn", ko "54억 달러", ru "5,4 млрд долл. США"; "–" when
    there is no amount."""
    if amount is None or amount == "":
        return "–"
    try:
        value = float(amount) * MONEY_SCALES[unit]
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(value):
        return "–"
    lang = (language or translation.get_language() or "en").split("-")[0]
    units, plain = MONEY_FORMATS.get(lang, MONEY_FORMATS["en"])
    sign, value = ("−" if value < 0 else ""), abs(value)

    def number(n: float) -> str:
        digits = 0 if n >= 100 or round(n, 1) == round(n) else 1
        with translation.override(lang):
            return formats.number_format(round(n, digits), digits, use_l10n=True, force_grouping=True)

    for size, pattern in units:
        if round(value / size, 1) >= 1:
            return sign + pattern.format(number(value / size))
    return sign + plain.format(number(round(value)))


@register.filter
def money(value, unit="USD"):
    """{{ amount|money }} (USD) or {{ amount|money:"kUSD" }} (thousand USD): see format_money."""
    return format_money(value, unit)
