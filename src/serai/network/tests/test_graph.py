"""serai.network.graph's measures against networkx (the oracle) on small graphs; no database."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from lxml import etree

from serai.network import graph as G


def _random(n=40, m=90, seed=3, countries=("KR", "KZ", "UZ", "KG")):
    rng = random.Random(seed)
    nodes = [
        G.Node(
            f"org:{i}",
            "organisation",
            countries[i % len(countries)],
            G.HELICES[i % 6],
            frozenset({"energy" if i % 2 else "water"}),
            label=f"Org {i}",
        )
        for i in range(n)
    ]
    edges = []
    for j in range(m):
        a, b = rng.sample(range(n), 2)
        year = 2015 + j % 8
        edges.append(G.Edge(f"org:{a}", f"org:{b}", G.KINDS[j % 5], (year, year + 1), (f"project:{j}",)))
    return nodes, edges


def _nx(graph: G.Graph) -> nx.Graph:
    h = nx.Graph()
    h.add_nodes_from(range(len(graph.nodes)))
    for a, b, w in zip(graph.src.tolist(), graph.dst.tolist(), graph.weight.tolist(), strict=True):
        h.add_edge(a, b, weight=w)
    return h


def test_degree_pagerank_betweenness_agree_with_networkx():
    graph = G.build(*_random())
    m = G.measures(graph)
    h = _nx(graph)
    assert m.betweenness_exact and m.pivots == 0
    assert m.degree == [h.degree(i) for i in range(len(graph.nodes))]
    assert m.weighted_degree == pytest.approx([h.degree(i, weight="weight") for i in range(len(graph.nodes))])
    pr = nx.pagerank(h, alpha=0.85, weight="weight", tol=1e-12)
    assert m.pagerank == pytest.approx([pr[i] for i in range(len(graph.nodes))], abs=1e-6)
    bc = nx.betweenness_centrality(h, normalized=False)
    assert m.betweenness == pytest.approx([bc[i] for i in range(len(graph.nodes))], abs=1e-9)
    assert len(set(m.community)) == m.communities and 0 < m.modularity < 1


def test_betweenness_estimate_is_networkx_pivot_estimator():
    """Beyond the exact budget: the Brandes–Pich estimate from seeded pivots, as networkx computes it
    from the same sources (subset betweenness from the pivots to everyone, scaled by n / k)."""
    graph = G.build(*_random(n=60, m=150))
    between, used = G.betweenness(graph.g, exact_work=0, pivots=10, seed=7)
    assert used == 10
    n = len(graph.nodes)
    pivots = sorted(random.Random(7).sample(range(n), 10))
    ref = nx.betweenness_centrality_subset(_nx(graph), pivots, list(range(n)), normalized=False)
    assert between == pytest.approx([ref[i] * n / 10 for i in range(n)], abs=1e-9)


def test_folding_weights_years_and_evidence():
    nodes = [
        G.Node("org:1", "organisation", "KR"),
        G.Node("org:2", "organisation", "KZ"),
        G.Node("org:3", "organisation", "UZ"),
    ]
    edges = [
        G.Edge("org:1", "org:2", "project", (2018, 2020), ("project:1",)),
        G.Edge("org:2", "org:1", "delegation", (2016, 2016), ("meeting:4", "meeting:5")),
        G.Edge("org:3", "org:3", "project", (2019, 2019), ("project:9",)),
    ]  # a loop: dropped
    graph = G.build(nodes, edges)
    assert [n.id for n in graph.nodes] == ["org:1", "org:2"]  # org:3 has no edge left
    (link,) = graph.links
    assert (link.a, link.b, link.weight, link.first, link.last) == ("org:1", "org:2", 3, 2016, 2020)
    assert link.kinds == {"project": 1, "delegation": 2}
    assert link.evidence == ["project:1", "meeting:4", "meeting:5"]


def test_filters_country_helix_field_kind_years():
    nodes, edges = _random()
    f = G.Filters(countries=frozenset({"KR", "KZ"}), year_from=2017, year_to=2018, kinds=frozenset({"project"}))
    graph = G.build(nodes, edges, f)
    assert graph.nodes and {n.country for n in graph.nodes} <= {"KR", "KZ"}
    for link in graph.links:
        assert set(link.kinds) == {"project"} and link.last >= 2017 and link.first <= 2018
    assert not G.build(nodes, edges, G.Filters(helices=frozenset({"nothing"}))).nodes
    water = G.build(nodes, edges, G.Filters(fields=frozenset({"water"})))
    assert water.nodes and all("water" in n.fields for n in water.nodes)
    # an edge without years cannot be placed in a year range
    undated = [G.Edge("org:0", "org:1", "body", None, ("body:1",))]
    assert G.build(nodes, undated).links and not G.build(nodes, undated, G.Filters(year_from=2000)).links


def test_brokers_find_the_bridge_between_korea_and_each_country():
    #  KR a - b KR ; b - x (a bridge of any country) ; x - k1 KZ, x - u1 UZ ; k1 - k2 KZ
    nodes = [
        G.Node("a", "organisation", "KR"),
        G.Node("b", "organisation", "KR"),
        G.Node("x", "organisation", "CN"),
        G.Node("k1", "organisation", "KZ"),
        G.Node("k2", "organisation", "KZ"),
        G.Node("u1", "organisation", "UZ"),
    ]
    pairs = [("a", "b"), ("b", "x"), ("x", "k1"), ("x", "u1"), ("k1", "k2")]
    graph = G.build(nodes, [G.Edge(a, b, "project", (2020, 2020), ("p",)) for a, b in pairs])
    found = G.brokers(graph)
    assert set(found) == {"KZ", "UZ"}
    # KR–KZ pairs: (a,k1) (a,k2) (b,k1) (b,k2): x lies on all four; b on the two from a; k1 on the two to k2
    kz = {br.node.id: br.score for br in found["KZ"]}
    assert kz == pytest.approx({"x": 1.0, "b": 0.5, "k1": 0.5})
    assert found["KZ"][0].node.id == "x"
    uz = {br.node.id: br.score for br in found["UZ"]}
    assert uz == pytest.approx({"x": 1.0, "b": 0.5})


def test_helix_balance_shares_and_evenness():
    nodes = [
        G.Node("o1", "organisation", "KZ", "academia"),
        G.Node("o2", "organisation", "KZ", "industry"),
        G.Node("o3", "organisation", "KZ", "academia"),
        G.Node("o4", "organisation", "KR", "government"),
        G.Node("p1", "person", "KZ", "academia"),
    ]
    edges = [G.Edge("o1", "o2", "project"), G.Edge("o3", "o4", "project"), G.Edge("p1", "o4", "body")]
    (kr, kz) = G.helix_balance(G.build(nodes, edges))
    assert (kz.country, kz.organisations, kz.counts["academia"], kz.counts["industry"]) == ("KZ", 3, 2, 1)
    assert kz.shares["academia"] == pytest.approx(2 / 3)
    assert kr.evenness == 0.0 and 0 < kz.evenness < 1


def test_top_nodes_layout_and_graphml_escape_text():
    nodes, edges = _random(n=30, m=60)
    nodes[0] = G.Node("org:0", "organisation", "KR", "academia", label='<b>"A&B"</b>\x01\x0b')
    graph = G.build(nodes, edges)
    m = G.measures(graph)
    top = G.top_nodes(graph, m, 10)
    assert len(top.nodes) == 10
    best = sorted(range(len(graph.nodes)), key=lambda i: -m.pagerank[i])[:10]
    assert {n.id for n in top.nodes} == {graph.nodes[i].id for i in best}
    coords = G.layout(top)
    assert len(coords) == 10 and all(0 <= x <= 1000 and 0 <= y <= 1000 for x, y in coords)
    doc = etree.fromstring(G.graphml(graph, m))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(doc.findall(".//g:node", ns)) == len(graph.nodes)
    assert len(doc.findall(".//g:edge", ns)) == len(graph.links)
    labels = [d.text for d in doc.findall(".//g:node/g:data[@key='n_label']", ns)]
    assert '<b>"A&B"</b>' in labels  # escaped on the way out, read back as the same text; control characters gone
