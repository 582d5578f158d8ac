"""Trade evidence pages: thin — parse, call evidence.queries, render."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serai.access import permissions
from serai.core import downloads, fragments
from serai.core.forms import parse_query
from serai.core.templatetags.serai_tags import format_money
from serai.reference import queries as reference_queries
from serai.trade import codes
from serai.trade.errors import TradeError

from . import charts, queries
from .forms import IndexForm, PairForm


def _money_kusd(value) -> str:
    return format_money(value, "kUSD")


def _index_number(value) -> str:
    return number_format(value, 1)


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _field_names(request) -> dict[str, str]:
    lang = get_language()
    out = {f.code: f.name.get(lang) for f in reference_queries.cooperation_fields(request.user)}
    out[codes.OTHER] = _("Other goods")
    return out


def _names(request) -> dict[str, str]:
    lang = get_language()
    out = {m.iso3: m.name.get(lang) for m in reference_queries.member_states(request.user)}
    out["CA5"] = _("Central Asia (the five)")
    return out


def trade_index(request):
    asked = parse_query(IndexForm, request)
    ctx = queries.context(asked["dataset"] or None, asked["year"])
    names = _names(request)
    metric = asked["metric"]
    rows = queries.overview(ctx) if ctx else []
    key = {"tci_out": "tci_reporter_to_partner", "tci_in": "tci_partner_to_reporter", "turnover": "turnover"}[metric]
    fmt = _money_kusd if metric == "turnover" else _index_number
    values = {queries.ISO_NUMERIC[r["iso3"]]: r[key] for r in rows}
    by_numeric = {num: names.get(iso, iso) for iso, num in queries.ISO_NUMERIC.items()}
    eci = queries.complexity_trend()
    eci_chart = (
        charts.line(
            eci["years"],
            {names.get(k, k): v for k, v in eci["series"].items()},
            _("Economic complexity index (HS2, real BACI panel)"),
            _("ECI"),
        )
        if eci
        else None
    )
    return render(
        request,
        "evidence/index.html",
        {
            "ctx": ctx,
            "rows": rows,
            "names": names,
            "metric": metric,
            "map": charts.choropleth(values, by_numeric, queries.ISO_NUMERIC["KOR"], fmt) if ctx else None,
            "eci": eci,
            "eci_chart": eci_chart,
            "partners": queries.PARTNERS,
        },
    )


def _ranking_params(asked: dict, partner: str) -> dict:
    direction, level, field, top = asked["direction"], asked["level"], asked["field"], asked["top"]
    exporter, market = ("KOR", partner) if direction == "out" else (partner, "KOR")
    return {"direction": direction, "level": level, "field": field, "top": top, "exporter": exporter, "market": market}


def trade_pair(request, partner: str):
    """Korea and one partner's trade. Kept in the viewer's fragments (``serai.core.fragments``) by
    the trade load it shows (a load is not an audited write) until an audited write."""
    partner = partner.upper()
    if partner not in queries.PARTNERS:
        raise Http404
    asked = parse_query(PairForm, request)
    ctx = queries.context(asked["dataset"] or None, asked["year"])
    return fragments.page(
        request,
        f"trade-{partner}",
        lambda: _trade_pair(request, partner, asked, ctx),
        vary=ctx.key if ctx is not None else "",
    )


def _trade_pair(request, partner: str, asked: dict, ctx):
    names = _names(request)
    if ctx is None or not queries.covers(ctx, partner):
        return render(request, "evidence/pair.html", {"ctx": None, "partner": partner, "names": names})
    if not queries.present(ctx, partner):
        return render(
            request,
            "evidence/pair.html",
            {"ctx": ctx, "absent": True, "partner": partner, "names": names, "partners": queries.PARTNERS},
        )
    params = _ranking_params(asked, partner)
    names_, field_names = tuple(names.items()), _field_names(request)
    can_propose = permissions.can(request.user, "project.propose", None)
    query = request.GET.urlencode()
    # The body depends only on the trade load, the language, the parameters, the reference names
    # and whether the viewer may propose: kept rendered in this process (a new load has a new key).
    key = (
        ctx.key,
        tuple(ctx.years),
        ctx.version,
        partner,
        tuple(sorted(params.items())),
        asked["by"],
        asked["market"],
        get_language(),
        can_propose,
        names_,
        tuple(field_names.items()),
        query,
    )
    body = _PAIR_BODIES.get(key)
    if body is None:
        body = _pair_body(ctx, partner, asked, params, names, field_names, can_propose, query)
        _remember(key, body)
    return render(
        request,
        "evidence/pair.html",
        {
            "ctx": ctx,
            "partner": partner,
            "names": names,
            "partners": queries.PARTNERS,
            "params": params,
            "rank": partner != "CA5",  # the opportunity table (and its propose buttons) is shown
            "can_propose": can_propose,
            "body": mark_safe(body),  # rendered by our own template, escaped there
        },
    )


_PAIR_BODIES: OrderedDict = OrderedDict()  # key → the pair page's rendered body, newest last
PAIR_BODIES_KEPT = 64


def _remember(key, body: str) -> None:
    _PAIR_BODIES[key] = body
    _PAIR_BODIES.move_to_end(key)
    while len(_PAIR_BODIES) > PAIR_BODIES_KEPT:
        try:
            _PAIR_BODIES.popitem(last=False)
        except KeyError:  # emptied by another thread meanwhile
            break


def _pair_body(ctx, partner, asked, params, names, field_names, can_propose, query) -> str:
    data = queries.pair(ctx, partner)
    rank = None
    if partner != "CA5":
        rank = queries.ranking(
            ctx, params["exporter"], params["market"], level=params["level"], field=params["field"], top=params["top"]
        )
    gravity = (
        queries.export_potential(
            ctx, params["exporter"], params["market"], level=params["level"], field=params["field"], top=params["top"]
        )
        if partner != "CA5"
        else None
    )
    trend = data["trend"]
    kor, other = names.get("KOR", "KOR"), names.get(partner, partner)
    trend_chart = charts.line(
        trend["years"],
        {  # a year where a side is absent is a gap, not zero
            f"{kor} → {other}": [r["exports"] * 1000 if r["exports"] is not None else None for r in trend["rows"]],
            f"{other} → {kor}": [r["imports"] * 1000 if r["imports"] is not None else None for r in trend["rows"]],
        },
        _("Trade, USD"),
        "USD",
    )
    tci_chart = charts.line(
        trend["years"],
        {
            f"{kor} → {other}": [r["tci_reporter_to_partner"] for r in trend["rows"]],
            f"{other} → {kor}": [r["tci_partner_to_reporter"] for r in trend["rows"]],
        },
        _("Trade complementarity index"),
        "TCI",
    )
    by = data["by_field"] if asked["by"] != "section" else data["by_section"]
    bloc = queries.bloc(ctx, asked["market"] or None) if partner == "CA5" else None
    sector_chart = charts.bars(
        [field_names.get(r["group"], r["group"]) for r in by],
        {
            f"{kor} → {other}": [r["reporter_to_partner"] for r in by],
            f"{other} → {kor}": [r["partner_to_reporter"] for r in by],
        },
        _("Complementarity by sector (sums to the index)"),
        "TCI",
    )
    context = {
        "ctx": ctx,
        "partner": partner,
        "names": names,
        "data": data,
        "s": data["summary"],
        "rank": rank,
        "potential": gravity,
        "params": params,
        "levels": queries.LEVEL_LABELS,
        "fields": codes.FIELDS,
        "field_names": field_names,
        "by": asked["by"],
        "trend_chart": trend_chart,
        "tci_chart": tci_chart,
        "sector_chart": sector_chart,
        "partners": queries.PARTNERS,
        "query": query,
        "can_propose": can_propose,
        # product names beside the codes (English: marked lang="en" on pages in other languages)
        "product_names": queries.product_names(ctx, params["level"]) if rank else {},
        "matrix_names": queries.product_names(ctx, "hs4") if bloc else {},
        "names_lang": queries.NAMES_LANGUAGE
        if (get_language() or "en").split("-")[0] != queries.NAMES_LANGUAGE
        else "",
        "bloc": bloc,
    }
    return render_to_string("evidence/_pair_body.html", context)


def trade_export(request, partner: str, fmt: str):
    """CSV or XLSX of exactly the opportunities table shown with the same parameters."""
    partner = partner.upper()
    if partner not in queries.PARTNERS or partner == "CA5" or fmt not in downloads.FORMATS:
        raise Http404
    asked = parse_query(PairForm, request)
    ctx = queries.context(asked["dataset"] or None, asked["year"])
    if ctx is None or not queries.covers(ctx, partner):
        raise Http404
    p = _ranking_params(asked, partner)
    rank = queries.ranking(ctx, p["exporter"], p["market"], level=p["level"], field=p["field"], top=p["top"])
    columns = (
        ["code", "product", "field", "rca", "supply_share", "demand", "ease", "potential", "actual", "untapped"]
        if p["level"] == "hs6"
        else ["code", "products", "demand", "potential", "actual", "untapped"]
    )
    names = queries.product_names(ctx, p["level"])
    if p["level"] in ("hs4", "hs2", "section"):
        columns.insert(1, "product")
    note = f"{ctx.dataset} {ctx.year} ({ctx.source}, {ctx.version}); values in thousand USD" + (
        "; SYNTHETIC DATA - not real trade figures" if ctx.synthetic else ""
    )
    name = f"serai-opportunities-{p['exporter']}-{p['market']}-{ctx.year}-{p['level']}"
    rows = ({**row, "product": names.get(row["code"], "")} for row in rank.rows)
    return downloads.table_response(
        fmt, name, columns, ([row.get(c) for c in columns] for row in rows), note=note, sheet="opportunities", bom=False
    )


@login_required
@require_POST
def trade_propose(request):
    """Keep a snapshot of one opportunity (recomputed here, not taken from the form) and open the
    proposal form pre-filled with it."""
    permissions.require(request.user, "project.propose", None)
    ctx = queries.context(request.POST.get("dataset"), _int(request.POST.get("year")))
    exporter, market = request.POST.get("exporter", "").upper(), request.POST.get("market", "").upper()
    level, code = request.POST.get("level", "hs6"), request.POST.get("code", "")
    if ctx is None or level not in queries.LEVELS or {exporter, market} - set(codes.SIX):
        raise Http404
    try:
        snapshot = queries.evidence_snapshot(ctx, exporter, market, level, code)
    except TradeError:
        raise Http404 from None
    token = secrets.token_urlsafe(12)
    request.session[f"trade-evidence-{token}"] = snapshot
    return redirect(f"{reverse('project_create')}?evidence={token}")


def methods(request):
    import markdown

    text = (Path(__file__).resolve().parent.parent / "trade" / "docs" / "methods.md").read_text("utf-8")
    html = markdown.markdown(text, extensions=["attr_list", "toc", "tables"])
    return render(request, "evidence/methods.html", {"html": html})
