"""The collaboration graph: the drawing (cytoscape.js, positions computed here), the table of
nodes with their measures, the brokers and helix balance tables, and the GraphML and CSV exports.
Thin: parse the filters (a 400 naming a bad one), read the viewer's nodes and edges through
:mod:`serai.network.graph_edges` (every source through its domain's permission-filtered query),
compute with :mod:`serai.network.graph`, render.

Nothing is computed twice for the same view of the data: the nodes and edges are cached per viewer,
language and content version (the newest audit entry: every write moves it, so nothing stale is
shown), and the measures, brokers, helix balance and drawing per filter on top."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from serai.core.downloads import table_response
from serai.core.forms import parse_query
from serai.core.pagecache import content_version
from serai.core.paging import paginate, query_without_page
from serai.orgs.models import Helix
from serai.reference.models import CooperationField, MemberState

from . import graph as G
from . import graph_edges
from .forms_graph import KIND_LABELS, GraphFilterForm, GraphTableForm

DRAW_LIMIT = 2000  # nodes drawn (those with the highest PageRank); the table lists every node
DRAW_EDGES = 4000  # links drawn: each drawn node's strongest, then the strongest others (exports hold all)
TIMEOUT = 3600
HELIX_LABELS = dict(Helix.choices)
NODE_KIND_LABELS = {"organisation": gettext_lazy("organisation"), "person": gettext_lazy("person")}


def _viewer(user: Any) -> str:
    return f"u{user.pk}" if getattr(user, "is_authenticated", False) else "anon"


def _choices() -> tuple[list, list]:
    countries = [(m.iso2, str(m.name)) for m in MemberState.objects.order_by("sort_order", "iso2")]
    fields = [(f.code, str(f.name)) for f in CooperationField.objects.order_by("code")]
    return countries, fields


def _form(request, form_class=GraphFilterForm):
    countries, fields = _choices()
    data = parse_query(form_class, request, countries=countries, fields=fields)
    form = form_class(request.GET, countries=countries, fields=fields)
    form.is_valid()  # already validated by parse_query; kept for rendering and filters()
    return form, data


def _collected(user, version: int):
    key = f"network-graph:data:{_viewer(user)}:{get_language()}:{version}"
    found = cache.get(key)
    if found is None:
        found = graph_edges.collect(user)
        cache.set(key, found, TIMEOUT)
    return found


def _filter_key(filters: G.Filters) -> str:
    text = repr(
        (
            sorted(filters.countries),
            sorted(filters.helices),
            sorted(filters.fields),
            sorted(filters.kinds),
            filters.year_from,
            filters.year_to,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _graph(user, filters: G.Filters, version: int):
    nodes, edges, labels = _collected(user, version)
    graph = G.build(nodes, edges, filters)
    return graph, G.measures(graph), labels


def strongest(links: list, limit: int) -> list:
    """At most ``limit`` links to draw: every node's strongest link first, then the others by weight."""
    if len(links) <= limit:
        return links
    order = sorted(range(len(links)), key=lambda j: (-links[j].weight, links[j].a, links[j].b))
    best: dict[str, int] = {}
    for j in order:
        best.setdefault(links[j].a, j)
        best.setdefault(links[j].b, j)
    chosen = set(list(dict.fromkeys(best.values()))[:limit])
    for j in order:
        if len(chosen) >= limit:
            break
        chosen.add(j)
    return [links[j] for j in sorted(chosen)]


def result(user, filters: G.Filters) -> dict:
    """Everything the page, the table and the JSON show for these filters, as plain data (cached)."""
    version = content_version()
    key = f"network-graph:result:{_viewer(user)}:{get_language()}:{version}:{_filter_key(filters)}"
    found = cache.get(key)
    if found is not None:
        return found
    graph, m, labels = _graph(user, filters, version)
    rows = [
        {
            "id": n.id,
            "label": labels.get(n.id, n.id),
            "kind": n.kind,
            "country": n.country,
            "helix": n.helix,
            "degree": m.degree[i],
            "weighted_degree": m.weighted_degree[i],
            "pagerank": m.pagerank[i],
            "betweenness": m.betweenness[i],
            "community": m.community[i],
        }
        for i, n in enumerate(graph.nodes)
    ]
    drawn = G.top_nodes(graph, m, DRAW_LIMIT)
    coords = G.layout(drawn)
    index = {row["id"]: row for row in rows}
    elements = {
        "nodes": [
            {
                "id": n.id,
                "label": index[n.id]["label"],
                "kind": n.kind,
                "country": n.country,
                "helix": n.helix,
                "pagerank": index[n.id]["pagerank"],
                "community": index[n.id]["community"],
                "x": x,
                "y": y,
            }
            for n, (x, y) in zip(drawn.nodes, coords, strict=True)
        ],
        "edges": [
            {
                "source": link.a,
                "target": link.b,
                "weight": link.weight,
                "kinds": sorted(link.kinds),
                "first": link.first,
                "last": link.last,
            }
            for link in strongest(drawn.links, DRAW_EDGES)
        ],
    }
    brokers = [
        {
            "country": country,
            "rows": [
                {
                    "id": b.node.id,
                    "label": labels.get(b.node.id, b.node.id),
                    "country": b.node.country,
                    "helix": b.node.helix,
                    "score": b.score,
                }
                for b in found_brokers
            ],
        }
        for country, found_brokers in G.brokers(graph).items()
    ]
    balance = [
        {
            "country": hb.country,
            "organisations": hb.organisations,
            "evenness": hb.evenness,
            "shares": [(h, hb.counts[h], hb.shares[h]) for h in G.HELICES],
        }
        for hb in G.helix_balance(graph)
    ]
    found = {
        "rows": rows,
        "elements": elements,
        "brokers": brokers,
        "balance": balance,
        "stats": {
            "nodes": len(graph.nodes),
            "edges": graph.g.ecount(),
            "drawn": len(drawn.nodes),
            "drawn_edges": len(elements["edges"]),
            "exact": m.betweenness_exact,
            "pivots": m.pivots,
            "communities": m.communities,
            "modularity": m.modularity,
        },
    }
    cache.set(key, found, TIMEOUT)
    return found


@require_GET
def graph_page(request):
    form, _data = _form(request)
    data = result(request.user, form.filters())
    return render(
        request,
        "network/graph.html",
        {
            "form": form,
            "stats": data["stats"],
            "brokers": data["brokers"],
            "balance": data["balance"],
            "helices": [(h, HELIX_LABELS[h]) for h in G.HELICES],
            "kind_labels": KIND_LABELS,
            "query": request.GET.urlencode(),
            "draw_limit": DRAW_LIMIT,
        },
    )


@require_GET
def graph_json(request):
    form, _data = _form(request)
    data = result(request.user, form.filters())
    return JsonResponse({"elements": data["elements"], "stats": data["stats"]})


def _sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    name = sort.lstrip("-")
    if name in ("label", "kind", "country", "helix"):
        return sorted(rows, key=lambda r: (str(r[name]).casefold(), r["id"]), reverse=sort.startswith("-"))
    return sorted(rows, key=lambda r: (r[name], r["id"]), reverse=sort.startswith("-"))


@require_GET
def graph_table(request):
    form, data = _form(request, GraphTableForm)
    found = result(request.user, form.filters())
    sort = data.get("sort") or "-pagerank"
    page = paginate(request, _sorted_rows(found["rows"], sort), per_page=50)
    for row in page.object_list:
        row["helix_label"] = HELIX_LABELS.get(row["helix"], row["helix"])
        row["kind_label"] = NODE_KIND_LABELS.get(row["kind"], row["kind"])
    params = request.GET.copy()
    params.pop("sort", None)
    params.pop("page", None)
    return render(
        request,
        "network/graph_table.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "stats": found["stats"],
            "query": query_without_page(request),
            "filter_query": params.urlencode(),
            "columns": [
                ("label", _("Name")),
                ("kind", _("Kind")),
                ("country", _("Country")),
                ("helix", _("Helix")),
                ("degree", _("Degree")),
                ("weighted_degree", _("Weighted degree")),
                ("pagerank", _("PageRank")),
                ("betweenness", _("Betweenness")),
                ("community", _("Community")),
            ],
        },
    )


@require_GET
def graph_graphml(request):
    form, _data = _form(request)
    graph, m, labels = _graph(request.user, form.filters(), content_version())
    response = HttpResponse(G.graphml(graph, m, labels=labels), content_type="application/graphml+xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="serai-network.graphml"'
    return response


@require_GET
def graph_nodes_csv(request):
    form, _data = _form(request)
    rows = result(request.user, form.filters())["rows"]
    header = [
        _("id"),
        _("Name"),
        _("Kind"),
        _("Country"),
        _("Helix"),
        _("Degree"),
        _("Weighted degree"),
        _("PageRank"),
        _("Betweenness"),
        _("Community"),
    ]
    body = (
        [
            r["id"],
            r["label"],
            r["kind"],
            r["country"],
            r["helix"],
            r["degree"],
            r["weighted_degree"],
            f"{r['pagerank']:.6g}",
            f"{r['betweenness']:.6g}",
            r["community"],
        ]
        for r in rows
    )
    return table_response("csv", "serai-network-nodes", header, body)


@require_GET
def graph_edges_csv(request):
    form, _data = _form(request)
    graph, _m, labels = _graph(request.user, form.filters(), content_version())
    header = [
        _("source"),
        _("source name"),
        _("target"),
        _("target name"),
        _("weight"),
        _("links"),
        _("first year"),
        _("last year"),
        _("evidence"),
    ]
    body = (
        [
            link.a,
            labels.get(link.a, link.a),
            link.b,
            labels.get(link.b, link.b),
            link.weight,
            " ".join(sorted(link.kinds)),
            link.first or "",
            link.last or "",
            " ".join(link.evidence),
        ]
        for link in graph.links
    )
    return table_response("csv", "serai-network-edges", header, body)
