from django import template
from django.utils import formats

register = template.Library()


@register.filter
def percent(value, digits=1):
    """A share (0–1) as a percentage with ``digits`` decimals, in the active language's number format."""
    if value is None or value == "":
        return "–"
    return f"{formats.number_format(float(value) * 100, int(digits))} %"
