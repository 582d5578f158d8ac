"""One page of trade figures per Central Asian country, for printed reports.

:func:`brief` reads Korea ↔ country figures from ``serai.trade`` through ``evidence.queries`` (the
web layer's one door into the trade store, cached per load) and draws two vector charts with
:mod:`serai.reports.charts`. Its dict is what ``reports/_trade_brief.html`` renders; the briefing
pack includes that partial once per country, and the country brief PDF can include it as it is::

    {% include "reports/_trade_brief.html" with brief=brief %}

Figures are in thousand USD (BACI). A year whose data is synthetic is labelled so (``synthetic``),
and a country without trade recorded is "no data", never zeros.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from serai.evidence import queries as evidence
from serai.reference.models import CooperationField, MemberState
from serai.trade import codes
from serai.trade.errors import TradeError

from . import charts

COUNTRIES = codes.CENTRAL_ASIA
TOP_FIELDS = 6


def trade_context() -> evidence.Context | None:
    """The dataset and year the briefs show (the evidence pages' default), or None without data."""
    return evidence.context()


def fingerprint_part(ctx: evidence.Context | None) -> list:
    """What identifies the figures a brief shows: the load (its path holds the load id) and version."""
    return ["trade", None] if ctx is None else ["trade", ctx.dataset, ctx.year, ctx.key, ctx.version, ctx.synthetic]


def _names(language: str) -> tuple[dict[str, str], dict[str, str]]:
    countries = {m.iso3: m.name.get(language) for m in MemberState.objects.all()}
    fields = {f.code: f.name.get(language) for f in CooperationField.objects.all()}
    fields[codes.OTHER] = _("Other goods")
    return countries, fields


def brief(
    iso3: str, language: str, *, ctx: evidence.Context | None = None, names=None, with_charts: bool = True
) -> dict[str, Any]:
    """The brief of one country in ``language``: figures, trend, complementarity by field, charts."""
    with translation.override(language):
        country_names, field_names = names or _names(language)
        out: dict[str, Any] = {"iso3": iso3, "name": country_names.get(iso3, iso3), "language": language}
        if ctx is None:
            ctx = trade_context()
        if ctx is None or not evidence.covers(ctx, iso3):
            return out | {"available": False, "reason": _("No trade data is loaded.")}
        out |= {"dataset": ctx.dataset, "year": ctx.year, "synthetic": ctx.synthetic, "source": ctx.source}
        if not evidence.present(ctx, iso3):
            return out | {"available": False, "reason": _("No trade recorded for %(year)s.") % {"year": ctx.year}}
        try:
            data = evidence.pair(ctx, iso3)
        except TradeError as exc:
            return out | {"available": False, "reason": " ".join(str(exc).split())}
        summary = data["summary"]
        rows = data["trend"]["rows"]
        fields = sorted(data["by_field"], key=lambda r: -(r["reporter_to_partner"] + r["partner_to_reporter"]))[
            :TOP_FIELDS
        ]
        field_rows = [
            {
                "name": field_names.get(r["group"], r["group"]),
                "korea_to_partner": r["reporter_to_partner"],
                "partner_to_korea": r["partner_to_reporter"],
            }
            for r in fields
        ]
        out |= {
            "available": True,
            "summary": summary,
            "trend": rows,
            "cagr": data["trend"]["cagr"],
            "fields": field_rows,
        }
        if not with_charts:
            return out
        exports_label, imports_label = _("Korea's exports"), _("Korea's imports")
        trend_chart = charts.line(
            [r["year"] for r in rows],
            {exports_label: [r["exports"] for r in rows], imports_label: [r["imports"] for r in rows]},
            title=_("Korea ↔ %(country)s, thousand USD") % {"country": out["name"]},
            width=6.6,
            height=2.5,
        )
        field_chart = charts.bar(
            [r["name"] for r in field_rows],
            {
                _("Korea → partner"): [r["korea_to_partner"] for r in field_rows],
                _("Partner → Korea"): [r["partner_to_korea"] for r in field_rows],
            },
            title=_("Complementarity by field"),
            width=6.6,
            height=2.6,
            horizontal=True,
        )
        return out | {"trend_chart": trend_chart, "field_chart": field_chart}


def briefs(
    language: str, *, ctx: evidence.Context | None = None, progress=None, with_charts: bool = True
) -> list[dict[str, Any]]:
    """The brief of each Central Asian country, in the Forum's order."""
    ctx = ctx if ctx is not None else trade_context()
    names = _names(language)
    out = []
    for n, iso3 in enumerate(COUNTRIES):
        out.append(brief(iso3, language, ctx=ctx, names=names, with_charts=with_charts))
        if progress:
            progress(n + 1, len(COUNTRIES))
    return out
