from django import template

register = template.Library()


@register.filter
def usd(value):
    """Thousand USD (BACI's unit) → "$1.2 bn"."""
    if value is None or value == "":
        return "–"
    amount = float(value) * 1000
    sign, amount = ("−" if amount < 0 else ""), abs(amount)
    for unit, size in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if amount >= size:
            return f"{sign}${amount / size:,.1f} {unit}"
    return f"{sign}${amount:,.0f}"


@register.filter
def percent(value, digits=1):
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.{int(digits)}f} %"
