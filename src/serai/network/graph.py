"""The collaboration graph's measures (PURE: no Django import; igraph does the work).

Nodes are organisations and people; an edge says two of them worked together, with its kind
(``project`` co-participation, ``delegation`` to the same meeting, a seat on the same ``body``,
an accepted ``introduction``, ``cofunding``), the years it covers and its evidence (references
such as ``"project:12"``). :func:`build` keeps the edges that pass the filters and folds the ones
between the same two nodes into one weighted edge (weight = number of pieces of evidence);
:func:`measures` computes per node:

* **degree** — distinct neighbours; **weighted degree** — the sum of the weights;
* **PageRank** — weighted, damping 0.85 (igraph's PRPACK; the same as networkx's ``pagerank``);
* **betweenness** — over unweighted shortest paths (hops), counted once per unordered pair like
  networkx's ``betweenness_centrality(normalized=False)``. Exact (Brandes) when the graph is small
  (``nodes × edges ≤ EXACT_WORK``); otherwise estimated from ``PIVOTS`` source nodes drawn at
  random with a fixed seed (Brandes–Pich): the dependencies accumulated from the pivots, scaled
  by ``n / k`` — networkx's ``betweenness_centrality(k=...)`` estimator, computed by igraph's
  subset betweenness (``sources=pivots``). :attr:`Measures.betweenness_exact` says which;
* **community** — Leiden, optimising modularity on the weights, ``LEIDEN_ITERATIONS`` passes
  (igraph's default is 2), with a fixed seed.

**Brokers** (:func:`brokers`) between Korea and each Central Asian country C: a node's *bridge
score* is the share of shortest paths between a Korean node and a node of C that pass through it,
averaged over all (KR, C) pairs (subset betweenness with sources = Korean nodes, targets = C's
nodes; the endpoints themselves score nothing on their own pair). When there are more Korean
nodes than ``EXACT_WORK`` allows, ``BROKER_SOURCES`` Korean sources are drawn with a fixed seed and the score
is their sample's average.

**Helix balance** (:func:`helix_balance`): for each country, the share of each helix among that
country's organisations in the (filtered) graph, and the evenness of the mix (Shannon entropy
divided by ln 6, the number of helices: 1 = all six equally present, 0 = one helix only).

Filters (:class:`Filters`) keep nodes by country, helix and field and edges by kind and years;
an edge needs both ends kept, and an edge with no years is dropped when a year range is asked
for (it cannot be said to fall in it). Nodes left without any edge are not part of the graph.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import igraph as ig
import numpy as np

KINDS = ("project", "delegation", "body", "introduction", "cofunding")
NODE_KINDS = ("organisation", "person")
HELICES = ("government", "industry", "research", "academia", "international", "ngo")
KOREA = "KR"
CENTRAL_ASIA = ("KZ", "KG", "TJ", "TM", "UZ")
EXACT_WORK = 50_000_000  # nodes × edges up to which betweenness is exact
PIVOTS = 64  # pivots of the betweenness estimate
BROKER_SOURCES = 8  # most Korean sources per country for the brokers on a large graph
EVIDENCE_KEPT = 20  # pieces of evidence kept per folded edge (the weight counts them all)
SEED = 15
LEIDEN_ITERATIONS = 2


@dataclass(frozen=True)
class Node:
    id: str  # "org:12", "person:7"
    kind: str  # one of NODE_KINDS
    country: str = ""  # ISO alpha-2
    helix: str = ""  # one of HELICES ("" unknown)
    fields: frozenset[str] = frozenset()  # cooperation field codes
    label: str = ""


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str  # one of KINDS
    years: tuple[int, int] | None = None  # first and last year
    evidence: tuple[str, ...] = ()  # "project:12", "meeting:3", "body:2", "introduction:9", "iati:XM-1"


@dataclass(frozen=True)
class Filters:
    countries: frozenset[str] = frozenset()  # empty: any
    helices: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    year_from: int | None = None
    year_to: int | None = None

    def keeps_node(self, node: Node) -> bool:
        if self.countries and node.country not in self.countries:
            return False
        if self.helices and node.helix not in self.helices:
            return False
        return not self.fields or bool(self.fields & node.fields)

    def keeps_edge(self, edge: Edge) -> bool:
        if self.kinds and edge.kind not in self.kinds:
            return False
        if self.year_from is None and self.year_to is None:
            return True
        if edge.years is None:
            return False
        first, last = edge.years
        return (self.year_from is None or last >= self.year_from) and (self.year_to is None or first <= self.year_to)


@dataclass
class Link:
    """One folded edge of the graph: every piece of evidence between two nodes."""

    a: str
    b: str
    weight: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # kind -> pieces of evidence
    first: int | None = None
    last: int | None = None
    evidence: list[str] = field(default_factory=list)  # the first EVIDENCE_KEPT


_NO_YEAR = 1 << 30


@dataclass
class Graph:
    """The filtered graph: ``g`` is the igraph graph; vertex i is ``nodes[i]``, edge j joins
    ``src[j]`` and ``dst[j]`` with ``weight[j]``. The folded edges' details (kinds, years,
    evidence) are read from the raw edges only when asked for (:attr:`links`)."""

    g: ig.Graph
    nodes: list[Node]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    raw: list[Edge]  # the raw edges kept
    owner: np.ndarray  # the folded edge of each raw edge
    _links: list[Link] | None = None

    @property
    def index(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.nodes)}

    @property
    def links(self) -> list[Link]:
        if self._links is None:
            links = [Link(self.nodes[a].id, self.nodes[b].id) for a, b in zip(self.src.tolist(), self.dst.tolist())]
            for e, j in zip(self.raw, self.owner.tolist()):
                link = links[j]
                pieces = max(1, len(e.evidence))
                link.weight += pieces
                link.kinds[e.kind] = link.kinds.get(e.kind, 0) + pieces
                if e.years is not None:
                    link.first = e.years[0] if link.first is None else min(link.first, e.years[0])
                    link.last = e.years[1] if link.last is None else max(link.last, e.years[1])
                room = EVIDENCE_KEPT - len(link.evidence)
                if room > 0 and e.evidence:
                    link.evidence.extend(e.evidence[:room])
            self._links = links
        return self._links


def build(
    nodes: Iterable[Node], edges: Iterable[Edge], filters: Filters | None = None, *, isolated: bool = False
) -> Graph:
    """The graph of the edges that pass ``filters`` between nodes that pass them, folded per pair
    (NumPy does the folding: a few passes over the edges, no per-edge Python objects made).
    Nodes left without an edge are dropped unless ``isolated``."""
    filters = filters or Filters()
    kept = [n for n in nodes if filters.keeps_node(n)]
    index = {n.id: i for i, n in enumerate(kept)}
    edges = list(edges)
    if filters.kinds or filters.year_from is not None or filters.year_to is not None:
        edges = [e for e in edges if filters.keeps_edge(e)]
    get = index.get
    a = np.fromiter((get(e.a, -1) for e in edges), dtype=np.int64, count=len(edges))
    b = np.fromiter((get(e.b, -1) for e in edges), dtype=np.int64, count=len(edges))
    ok = (a >= 0) & (b >= 0) & (a != b)
    sel = np.flatnonzero(ok)
    a, b = a[sel], b[sel]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    n = max(len(kept), 1)
    keys, owner = np.unique(lo * n + hi, return_inverse=True)
    owner = owner.reshape(-1)
    raw = [edges[i] for i in sel.tolist()]
    pieces = np.fromiter((len(e.evidence) or 1 for e in raw), dtype=np.float64, count=len(raw))
    weight = np.bincount(owner, weights=pieces, minlength=len(keys))
    if isolated:
        used = np.arange(len(kept), dtype=np.int64)
    else:  # the nodes with an edge, in input order
        used = np.unique(np.concatenate([keys // n, keys % n]))
    src = np.searchsorted(used, keys // n)
    dst = np.searchsorted(used, keys % n)
    g = ig.Graph(n=len(used), edges=list(zip(src.tolist(), dst.tolist())), directed=False)
    g.es["weight"] = weight.tolist()
    return Graph(g=g, nodes=[kept[i] for i in used.tolist()], src=src, dst=dst, weight=weight, raw=raw, owner=owner)


@dataclass
class Measures:
    degree: list[int]
    weighted_degree: list[float]
    pagerank: list[float]
    betweenness: list[float]
    community: list[int]
    betweenness_exact: bool
    pivots: int  # 0 when exact
    communities: int
    modularity: float


def _seeded(seed: int):
    """Run igraph's random steps from ``seed`` (restored afterwards)."""

    class _Ctx:
        def __enter__(self):
            ig.set_random_number_generator(random.Random(seed))

        def __exit__(self, *exc):
            ig.set_random_number_generator(random)

    return _Ctx()


def betweenness(
    g: ig.Graph, *, exact_work: int = EXACT_WORK, pivots: int = PIVOTS, seed: int = SEED
) -> tuple[list[float], int]:
    """Betweenness (unweighted, each unordered pair once) and the pivots used (0 = exact)."""
    n = g.vcount()
    if n == 0:
        return [], 0
    if n * max(g.ecount(), 1) <= exact_work or n <= pivots:
        return g.betweenness(directed=False), 0
    sources = sorted(random.Random(seed).sample(range(n), pivots))
    scale = n / pivots
    return [b * scale for b in g.betweenness(directed=False, sources=sources)], pivots


def measures(graph: Graph, *, exact_work: int = EXACT_WORK, pivots: int = PIVOTS, seed: int = SEED) -> Measures:
    g = graph.g
    if g.vcount() == 0:
        return Measures([], [], [], [], [], True, 0, 0, 0.0)
    weights = g.es["weight"]
    between, used = betweenness(g, exact_work=exact_work, pivots=pivots, seed=seed)
    with _seeded(seed):
        parts = g.community_leiden(objective_function="modularity", weights=weights, n_iterations=LEIDEN_ITERATIONS)
    # communities numbered by size (0 = largest), ties by first member, so the numbers are stable
    sizes = sorted(range(len(parts)), key=lambda c: (-len(parts[c]), parts[c][0] if parts[c] else 0))
    renumber = {c: i for i, c in enumerate(sizes)}
    return Measures(
        degree=g.degree(),
        weighted_degree=g.strength(weights=weights),
        pagerank=g.pagerank(weights=weights, directed=False, damping=0.85),
        betweenness=between,
        community=[renumber[c] for c in parts.membership],
        betweenness_exact=used == 0,
        pivots=used,
        communities=len(parts),
        modularity=g.modularity(parts.membership, weights=weights),
    )


@dataclass
class Broker:
    node: Node
    score: float  # share of the (KR, C) shortest paths through the node, averaged over the pairs


def brokers(
    graph: Graph,
    *,
    top: int = 5,
    sources: int = BROKER_SOURCES,
    exact_work: int = EXACT_WORK,
    seed: int = SEED,
    countries: Sequence[str] = CENTRAL_ASIA,
    home: str = KOREA,
) -> dict[str, list[Broker]]:
    """For each country of ``countries`` present in the graph with Korea: the ``top`` nodes with the
    highest bridge score between Korean nodes and that country's nodes (see the module docstring).
    Every Korean node is a source while ``Korean nodes × edges × countries ≤ exact_work``; beyond,
    ``sources`` Korean nodes drawn with a fixed seed."""
    g = graph.g
    korean = [i for i, n in enumerate(graph.nodes) if n.country == home]
    out: dict[str, list[Broker]] = {}
    if not korean:
        return out
    if len(korean) * max(g.ecount(), 1) * len(countries) > exact_work and len(korean) > sources:
        korean = sorted(random.Random(seed).sample(korean, sources))
    for country in countries:
        theirs = [i for i, n in enumerate(graph.nodes) if n.country == country]
        if not theirs:
            continue
        raw = g.betweenness(directed=False, sources=korean, targets=theirs)
        pairs = len(korean) * len(theirs)
        ranked = sorted((i for i, s in enumerate(raw) if s > 0), key=lambda i: (-raw[i], graph.nodes[i].id))[:top]
        out[country] = [Broker(graph.nodes[i], 2 * raw[i] / pairs) for i in ranked]
    return out


@dataclass
class HelixBalance:
    country: str
    organisations: int
    counts: dict[str, int]
    shares: dict[str, float]
    evenness: float  # Shannon entropy / ln(len(HELICES)); 0 one helix, 1 all equally


def helix_balance(graph: Graph) -> list[HelixBalance]:
    """Per country (sorted by code), the helix mix of its organisations in the graph."""
    counts: dict[str, dict[str, int]] = {}
    for node in graph.nodes:
        if node.kind != "organisation" or not node.country:
            continue
        per = counts.setdefault(node.country, {h: 0 for h in HELICES})
        if node.helix in per:
            per[node.helix] += 1
    out = []
    for country in sorted(counts):
        per = counts[country]
        total = sum(per.values())
        shares = {h: (c / total if total else 0.0) for h, c in per.items()}
        entropy = -sum(s * math.log(s) for s in shares.values() if s > 0)
        out.append(HelixBalance(country, total, per, shares, entropy / math.log(len(HELICES))))
    return out


def top_nodes(graph: Graph, m: Measures, limit: int) -> Graph:
    """The subgraph of the ``limit`` nodes with the highest PageRank (ties by id): what a page draws."""
    if graph.g.vcount() <= limit:
        return graph
    keep = sorted(range(len(graph.nodes)), key=lambda i: (-m.pagerank[i], graph.nodes[i].id))[:limit]
    ids = {graph.nodes[i].id for i in keep}
    return build(
        [graph.nodes[i] for i in sorted(keep)], [e for e in graph.raw if e.a in ids and e.b in ids], isolated=True
    )


def layout(graph: Graph, *, seed: int = SEED, size: float = 1000.0) -> list[tuple[float, float]]:
    """Positions for drawing, scaled into a ``size`` square: Fruchterman–Reingold (igraph's grid
    variant beyond 1,000 nodes), DrL beyond 5,000 nodes."""
    g = graph.g
    n = g.vcount()
    if n == 0:
        return []
    with _seeded(seed):
        if n > 5000:
            coords = g.layout_drl(weights=g.es["weight"]).coords
        else:
            coords = g.layout_fruchterman_reingold(niter=300 if n > 1000 else 500, grid="auto", weights=None).coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    x0, y0 = min(xs), min(ys)
    return [(round((x - x0) / span * size, 1), round((y - y0) / span * size, 1)) for x, y in coords]


# --- GraphML ------------------------------------------------------------------------------------
_XML_BAD = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0xFFFE: None, 0xFFFF: None}


def xml_text(value) -> str:
    """``value`` as text XML 1.0 can carry: control characters dropped (lxml escapes the rest)."""
    text = str(value)
    text = text.translate(_XML_BAD)
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


NODE_KEYS = (
    ("label", "string"),
    ("kind", "string"),
    ("country", "string"),
    ("helix", "string"),
    ("fields", "string"),
    ("degree", "int"),
    ("weighted_degree", "double"),
    ("pagerank", "double"),
    ("betweenness", "double"),
    ("community", "int"),
)
EDGE_KEYS = (
    ("weight", "double"),
    ("kinds", "string"),
    ("first_year", "int"),
    ("last_year", "int"),
    ("evidence", "string"),
)


def graphml(graph: Graph, m: Measures, *, labels: dict[str, str] | None = None) -> bytes:
    """The graph with its measures as GraphML (UTF-8), written with lxml: every text escaped."""
    from lxml import etree

    ns = "http://graphml.graphdrawing.org/xmlns"
    root = etree.Element(f"{{{ns}}}graphml", nsmap={None: ns})
    for domain, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for name, kind in keys:
            etree.SubElement(
                root,
                f"{{{ns}}}key",
                id=f"{domain[0]}_{name}",
                attrib={"for": domain, "attr.name": name, "attr.type": kind},
            )
    body = etree.SubElement(root, f"{{{ns}}}graph", id="serai", edgedefault="undirected")
    labels = labels or {}

    def data(parent, key, value):
        el = etree.SubElement(parent, f"{{{ns}}}data", key=key)
        el.text = xml_text(value)

    for i, node in enumerate(graph.nodes):
        el = etree.SubElement(body, f"{{{ns}}}node", id=xml_text(node.id))
        values = (
            labels.get(node.id, node.label),
            node.kind,
            node.country,
            node.helix,
            " ".join(sorted(node.fields)),
            m.degree[i],
            m.weighted_degree[i],
            m.pagerank[i],
            m.betweenness[i],
            m.community[i],
        )
        for (name, _), value in zip(NODE_KEYS, values, strict=True):
            data(el, f"n_{name}", value)
    for j, link in enumerate(graph.links):
        el = etree.SubElement(body, f"{{{ns}}}edge", id=f"e{j}", source=xml_text(link.a), target=xml_text(link.b))
        data(el, "e_weight", link.weight)
        data(el, "e_kinds", " ".join(sorted(link.kinds)))
        if link.first is not None:
            data(el, "e_first_year", link.first)
            data(el, "e_last_year", link.last)
        data(el, "e_evidence", " ".join(link.evidence))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)
