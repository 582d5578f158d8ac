"""Query strings of the trade evidence pages and exports."""

from __future__ import annotations

from django import forms

from serai.core.forms import CodeField, QueryForm, StrictIntegerField
from serai.trade import codes

from . import queries


def _choices(values, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(required=False, choices=[("", ""), *((v, v) for v in values)], **kwargs)


class TradeForm(QueryForm):
    """Which load a page shows: a dataset and year that are not loaded fall back to the default."""

    dataset = CodeField(max_length=40)
    year = StrictIntegerField(min_value=1900, max_value=2200)


class IndexForm(TradeForm):
    metric = _choices(("tci_out", "tci_in", "turnover"), initial="tci_out")


class PairForm(TradeForm):
    """The pair page and its opportunities export (the same table)."""

    direction = _choices(("out", "in"), initial="out")
    level = _choices(queries.LEVELS, initial="hs6")
    field = _choices(codes.FIELDS)
    top = StrictIntegerField(min_value=1, max_value=500, initial=50)
    by = _choices(("field", "section"), initial="field")
    market = _choices(queries.SIMILARITY_MARKETS)
