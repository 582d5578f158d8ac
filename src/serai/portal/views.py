"""The public portal's pages: thin — read the portal queries, build chart JSON, render."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import downloads, pagecache
from serai.core.forms import parse_query
from serai.core.i18n import TranslatedText
from serai.core.templatetags.serai_tags import format_money
from serai.evidence import charts
from serai.evidence import queries as evidence_queries
from serai.governance import queries as governance_queries
from serai.orgs import queries as org_queries
from serai.people import queries as people_queries
from serai.reference import queries as reference_queries
from serai.trade import codes as trade_codes

from . import queries
from .forms import HomeForm, SearchForm


def _label(value) -> str:
    return TranslatedText.coerce(value).get() if isinstance(value, (dict, TranslatedText)) else str(value)


def _chart(by: str, rows) -> dict:
    """A breakdown as a bar chart (colours per request: a field's own colour) and its table."""
    labels = [_label(r.label) for r in rows]
    figure = charts.bars(
        labels, {_("Projects"): [r.projects for r in rows]}, str(queries.BREAKDOWNS[by]), _("Projects")
    )
    if by == "field":
        figure["data"][0]["marker"] = {"color": [r.colour or "#3f84bf" for r in rows]}
    return {"id": by, "caption": queries.BREAKDOWNS[by], "figure": figure, "rows": list(zip(labels, rows))}


def home(request):
    """The dashboard; for anonymous visitors its body is a cached fragment."""
    metric = parse_query(HomeForm, request)["map"]  # a bad parameter answers 400
    trade_ctx = evidence_queries.context(None, None)
    body = pagecache.render_body(
        request,
        "home",
        "portal/_home_body.html",
        lambda: _home(request, trade_ctx, metric),
        also=trade_ctx.key if trade_ctx else "",
    )
    return render(request, "portal/home.html", {"body": body})


def _home(request, trade_ctx, metric: str) -> dict:
    user = request.user
    states = list(reference_queries.member_states(user))
    # read once, used by several parts: the projects grouped by status, subcommittee and year
    # (headline figures and three breakdowns), the bodies (a breakdown and the list), the
    # organisations by helix (their number and the mix)
    groups = queries.project_groups(user)
    bodies = list(reference_queries.bodies(user))
    helix = org_queries.helix_counts(user)
    names = {s.iso_numeric: s.name.get() for s in states}
    if metric == "trade" and trade_ctx:
        rows = evidence_queries.overview(trade_ctx)
        # the trade intensity index (Korea's exports to the partner relative to the partner's share
        # of world imports), as the tab says; complementarity is on the trade pages
        values = {evidence_queries.ISO_NUMERIC[r["iso3"]]: r["intensity_reporter_to_partner"] for r in rows}

        def fmt(v):
            return number_format(v, 2)

        the_map = charts.choropleth(values, names, evidence_queries.ISO_NUMERIC["KOR"], fmt)
    else:
        metric = "budget" if metric == "budget" else "projects"
        values = queries.map_values(user, metric, states)
        fmt = format_money if metric == "budget" else (lambda v: number_format(round(v), force_grouping=True))
        the_map = charts.choropleth(values, names, None, fmt)
    return {
        "figures": queries.headline(user, groups, organisations=sum(helix.values())),
        "map": the_map,
        "metric": metric,
        "metrics": queries.MAP_METRICS,
        "trade_loaded": trade_ctx is not None,
        "ctx": trade_ctx if metric == "trade" else None,  # the synthetic-data warning above the trade map
        # the table beside the map: the same values, written as the map writes them
        "map_rows": [(s, None if values.get(s.iso_numeric) is None else fmt(values[s.iso_numeric])) for s in states],
        "charts": [_chart(by, queries.breakdown(user, by, groups=groups, bodies=bodies)) for by in queries.BREAKDOWNS],
        "next_meeting": governance_queries.next_meeting(user),
        "open_actions": list(
            governance_queries.action_tracker(user, status="").filter(status__in=("open", "in_progress"))[:5]
        ),
        "decisions": list(
            governance_queries.decisions(user).filter(status="adopted").order_by("-adopted_on", "-id")[:5]
        ),
        "member_states": states,
        "bodies": bodies,
        "helix_mix": org_queries.helix_rows(helix),
    }


def chart_csv(request, by: str):
    if by not in queries.BREAKDOWNS:
        raise Http404
    rows = queries.breakdown(request.user, by)
    return downloads.table_response(
        "csv",
        f"serai-projects-by-{by}",
        [by, "projects", "budget_usd"],
        ([_label(r.label), r.projects, r.budget_usd] for r in rows),
    )


def field_detail(request, code: str):
    field = get_object_or_404(reference_queries.cooperation_fields(request.user), code=code)
    ctx = evidence_queries.context(None, None)
    return render(
        request,
        "portal/field_detail.html",
        {
            "field": field,
            "projects": queries.field_projects(request.user, field),
            "organisations": list(org_queries.organisations(request.user).filter(fields=field)[:50]),
            # trade in this field's HS products, where the field has any (tourism or education have none)
            "partners": evidence_queries.PARTNERS if ctx and field.code in trade_codes.FIELDS else [],
            "trade_loaded": ctx is not None,
            "priority_areas": list(
                field.priority_areas.select_related("plan").filter(plan__in=governance_queries.work_plans(request.user))
            ),
        },
    )


def search(request):
    text = parse_query(SearchForm, request)["q"]

    def page() -> dict:
        results = queries.search(request.user, text) if text else {}
        return {
            "q": text,
            "results": results,
            "total": sum(len(g["items"]) for g in results.values()),
            "can_see_actions": permissions.can(request.user, "action.view"),
        }

    body = pagecache.render_body(request, "search", "portal/_search_body.html", page)
    return render(request, "portal/search.html", {"q": text, "body": body})


def member_state_list(request):
    return render(
        request, "portal/member_state_list.html", {"member_states": reference_queries.member_states(request.user)}
    )


def member_state_detail(request, iso2: str):
    """A member state's page; for anonymous visitors its body is cached."""
    state = get_object_or_404(reference_queries.member_states(request.user), iso2=iso2.upper())

    def page() -> dict:
        return {
            "state": state,
            # the list shows names and helices only: no fields prefetched, no country joined
            "organisations": org_queries.organisations(request.user)
            .filter(member_state=state)
            .select_related(None)
            .prefetch_related(None)
            .only("id", "name", "helix")[:50],
            "helix_mix": org_queries.helix_mix(request.user, state),
            "people": people_queries.people(request.user).filter(member_state=state)[:50],
            "hosted": governance_queries.meetings(request.user).filter(host_country=state),
            **queries.country_page(request.user, state),
        }

    trade_ctx = evidence_queries.context(None, None)
    body = pagecache.render_body(
        request,
        f"country:{state.iso2}",
        "portal/_member_state_body.html",
        page,
        also=trade_ctx.key if trade_ctx else "",
    )
    return render(request, "portal/member_state_detail.html", {"state": state, "body": body})
