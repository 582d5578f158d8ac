"""Benchmark of the collaboration graph (issue 15):  bench/run network-graph  [--quick] [--no-browser]

1. Measures on a generated graph of 50,000 organisations and 500,000 edges (structure: organisations
   cluster by country and field, a few per country bridge to Korea), serai.network.graph (igraph)
   beside networkx on the same folded graph: build, degree, PageRank, betweenness (the same number
   of sampled pivots; networkx's time for its pivots is measured on PIVOTS_NX pivots and scaled
   linearly to the same count, since each pivot is one BFS and networkx needs minutes per few
   dozen), communities (Leiden vs networkx's Louvain), brokers and helix balance.
   Goal: all measures for the whole graph in < 10 s.
2. The graph page drawn cold in chromium with 2,000 nodes: a SQLite database in a temporary
   directory with generated public projects, the page, its JSON and the static files fetched
   through Django's test client (server times printed), then served to a fresh chromium context
   from memory (Playwright routes) with the real headers (CSP included); the time from navigation
   to the first painted frame after cytoscape.js has built the graph. Goal: < 1.5 s.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

N_NODES = 50_000
N_EDGES = 500_000
PIVOTS_NX = 4
COUNTRIES = ("KR", "KZ", "KG", "TJ", "TM", "UZ")
FIELDS = ("energy", "water", "health", "ict", "agriculture", "education", "transport", "environment")


def generate(n_nodes: int, n_edges: int, seed: int = 15):
    from serai.network import graph as G

    rng = random.Random(seed)
    nodes = []
    for i in range(n_nodes):
        country = COUNTRIES[0] if rng.random() < 0.4 else rng.choice(COUNTRIES[1:])
        nodes.append(
            G.Node(
                f"org:{i}",
                "organisation",
                country,
                rng.choice(G.HELICES),
                frozenset(rng.sample(FIELDS, rng.randint(1, 2))),
            )
        )
    by_group: dict[tuple[str, str], list[int]] = {}
    for i, n in enumerate(nodes):
        for f in n.fields:
            by_group.setdefault((n.country, f), []).append(i)
    groups = list(by_group.values())
    edges = []
    for j in range(n_edges):
        r = rng.random()
        if r < 0.7:  # inside a country-field cluster
            g = rng.choice(groups)
            a, b = rng.choice(g), rng.choice(g)
        elif r < 0.9:  # across countries in the same field (a project with a Korean partner, mostly)
            f = rng.choice(FIELDS)
            a = rng.choice(by_group.get(("KR", f), [0]))
            b = rng.choice(by_group.get((rng.choice(COUNTRIES[1:]), f), [1]))
        else:
            a, b = rng.randrange(n_nodes), rng.randrange(n_nodes)
        year = rng.randint(2008, 2026)
        edges.append(
            G.Edge(f"org:{a}", f"org:{b}", G.KINDS[j % 5], (year, year + rng.randint(0, 3)), (f"project:{j}",))
        )
    return nodes, edges


CPU: dict[str, float] = {}  # label -> CPU seconds of this process (igraph and networkx run on one core)


def timed(label: str, fn, results: dict):
    """Wall time into ``results``, this process's CPU time into ``CPU``: on a shared machine the CPU
    time is what the step costs on one idle core (both libraries compute on one thread)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    results[label] = time.perf_counter() - t0
    CPU[label] = time.process_time() - c0
    print(f"  {label:<48} {results[label]:8.2f} s wall, {CPU[label]:8.2f} s CPU", flush=True)
    return out


def measures_part(quick: bool) -> dict:
    import networkx as nx

    from serai.network import graph as G

    n_nodes, n_edges = (5_000, 50_000) if quick else (N_NODES, N_EDGES)
    print(f"generating {n_nodes:,} organisations and {n_edges:,} edges", flush=True)
    nodes, edges = generate(n_nodes, n_edges)
    ours: dict[str, float] = {}
    print("serai.network.graph (igraph):")
    graph = timed("build (filter, fold, igraph graph)", lambda: G.build(nodes, edges), ours)
    m = timed("measures (degree, PageRank, betweenness, Leiden)", lambda: G.measures(graph), ours)
    timed("brokers KR <-> each Central Asian country", lambda: G.brokers(graph), ours)
    timed("helix balance", lambda: G.helix_balance(graph), ours)
    g = graph.g
    weights = g.es["weight"]
    parts = {}
    parts_cpu = {}
    for label, fn in (
        ("degree", lambda: g.degree()),
        ("weighted degree", lambda: g.strength(weights=weights)),
        ("PageRank", lambda: g.pagerank(weights=weights, directed=False)),
        (f"betweenness ({m.pivots} pivots)" if m.pivots else "betweenness (exact)", lambda: G.betweenness(g)),
        (
            "Leiden communities",
            lambda: g.community_leiden(objective_function="modularity", weights=weights, n_iterations=2),
        ),
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        parts[label] = time.perf_counter() - t0
        parts_cpu[label] = time.process_time() - c0
    for label, seconds in parts.items():
        print(f"    of which {label:<39} {seconds:8.2f} s wall, {parts_cpu[label]:8.2f} s CPU")
    total = ours["build (filter, fold, igraph graph)"] + ours["measures (degree, PageRank, betweenness, Leiden)"]
    whole = total + ours["brokers KR <-> each Central Asian country"] + ours["helix balance"]
    total_cpu = CPU["build (filter, fold, igraph graph)"] + CPU["measures (degree, PageRank, betweenness, Leiden)"]
    whole_cpu = total_cpu + CPU["brokers KR <-> each Central Asian country"] + CPU["helix balance"]
    print(
        f"  graph: {g.vcount():,} nodes, {g.ecount():,} folded edges; betweenness "
        f"{'exact' if m.betweenness_exact else f'from {m.pivots} pivots'}; {m.communities} communities, "
        f"modularity {m.modularity:.3f}"
    )
    print(
        f"  build + measures {total:.2f} s wall / {total_cpu:.2f} s CPU; with brokers and helix balance "
        f"{whole:.2f} s wall / {whole_cpu:.2f} s CPU (goal < 10 s)"
    )

    print("networkx (anchor, same folded graph):")
    theirs: dict[str, float] = {}
    src, dst, w = graph.src.tolist(), graph.dst.tolist(), graph.weight.tolist()

    def nx_build():
        h = nx.Graph()
        h.add_nodes_from(range(g.vcount()))
        h.add_weighted_edges_from(zip(src, dst, w, strict=True))
        return h

    h = timed("nx build", nx_build, theirs)
    timed("nx degree + weighted degree", lambda: (dict(h.degree()), dict(h.degree(weight="weight"))), theirs)
    timed("nx PageRank", lambda: nx.pagerank(h, weight="weight"), theirs)
    k = m.pivots or g.vcount()
    sample = min(PIVOTS_NX, k)
    t0, c0 = time.perf_counter(), time.process_time()
    nx.betweenness_centrality(h, k=sample, normalized=False, seed=15)
    per, per_cpu = (time.perf_counter() - t0) / sample, (time.process_time() - c0) / sample
    label = f"betweenness ({k} pivots, scaled from {sample})"
    theirs[label], CPU["nx " + label] = per * k, per_cpu * k
    print(
        f"  betweenness: {per:.2f} s per pivot measured on {sample}; x {k} pivots = {per * k:8.2f} s wall, "
        f"{per_cpu * k:8.2f} s CPU"
    )
    timed("nx Louvain communities", lambda: nx.community.louvain_communities(h, weight="weight", seed=15), theirs)
    nx_total = sum(theirs.values())
    nx_cpu = sum(v for key, v in CPU.items() if key.startswith("nx "))
    print(
        f"  networkx total {nx_total:.1f} s wall / {nx_cpu:.1f} s CPU; ratio networkx / ours (build + measures, CPU) "
        f"= {nx_cpu / total_cpu:.0f}x"
    )
    return {
        "ours": ours,
        "parts": parts,
        "parts_cpu": parts_cpu,
        "theirs": theirs,
        "total": total,
        "whole": whole,
        "nx_total": nx_total,
        "total_cpu": total_cpu,
        "whole_cpu": whole_cpu,
        "nx_cpu": nx_cpu,
        "nodes": g.vcount(),
        "edges": g.ecount(),
        "pivots": m.pivots,
        "communities": m.communities,
        "modularity": m.modularity,
        "generated_edges": n_edges,
    }


# --- the page ------------------------------------------------------------------------------------
def _django(tmp: str):
    os.environ["SERAI_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("SERAI_CYTOSCAPE_JS", str(ROOT / "var" / "vendor" / "cytoscape" / "cytoscape.min.js"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "serai.settings"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.SERAI_REQUIRE_2FA = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from serai.core.audit import SystemActor, record
    from serai.reference.operations import load_reference

    load_reference(SystemActor("bench"), None)
    return SystemActor("bench"), record


def page_data(n_orgs: int = 2000, n_projects: int = 3000, seed: int = 15) -> None:
    """Organisations and endorsed projects with participations, bulk-created (a generator: one audit
    entry at the end, as the project generator does)."""
    from serai.core.i18n import TranslatedText
    from serai.orgs.models import Organisation
    from serai.projects.models import Participation, Project
    from serai.reference.models import MemberState

    rng = random.Random(seed)
    states = list(MemberState.objects.all())
    helices = ["government", "industry", "research", "academia", "international", "ngo"]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=TranslatedText({"en": f"Bench organisation {i}"}),
                helix=rng.choice(helices),
                member_state=rng.choice(states),
                is_demo=True,
            )
            for i in range(n_orgs)
        ]
    )
    projects = Project.objects.bulk_create(
        [
            Project(code=f"BENCH-{i:05d}", title=TranslatedText({"en": f"Bench project {i}"}), status="implementation")
            for i in range(n_projects)
        ]
    )
    rows = []
    for p in projects:
        for o in rng.sample(orgs, rng.randint(2, 4)):
            rows.append(Participation(project=p, organisation=o, role="4"))
    Participation.objects.bulk_create(rows)


def page_part(runs: int) -> dict:
    tmp = tempfile.mkdtemp(prefix="serai-bench-graph-")
    print(f"setting up a SQLite database in {tmp} (migrate, reference data, 2,000 organisations)", flush=True)
    system, record = _django(tmp)
    page_data()
    record(system, "bench.generate", None, after={"what": "network graph page data"})
    from django.contrib.staticfiles import finders
    from django.core.cache import cache
    from django.templatetags.static import static
    from django.test import Client

    client = Client()
    server: dict[str, float] = {}
    cache.clear()
    t0 = time.perf_counter()
    html = client.get("/en/network/graph/")
    server["page, uncached (collect + measures + layout)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = client.get("/en/network/graph/data.json")
    server["JSON, cached"] = time.perf_counter() - t0
    assert html.status_code == 200 and data.status_code == 200, (html.status_code, data.status_code)
    drawn = len(data.json()["elements"]["nodes"])
    edges = len(data.json()["elements"]["edges"])
    for label, seconds in server.items():
        print(f"  server: {label:<46} {seconds:6.2f} s")
    print(f"  JSON: {drawn} nodes, {edges} edges, {len(data.content) / 1024:.0f} KB")
    files = {}
    for name in ("vendor/cytoscape.min.js", "network/graph.js", "network/graph.css", "serai/serai.css"):
        found = finders.find(name)
        if found:
            files[static(name)] = Path(found).read_bytes()
    origin = "http://serai.bench"
    bodies = {
        "/en/network/graph/": (html.content, html["Content-Type"], dict(html.items())),
        "/en/network/graph/data.json": (data.content, "application/json", {}),
    }

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("SERAI_CHROMIUM", "/usr/bin/chromium")
    args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
    times, steps, cpu = [], [], []  # cpu: the renderer's main-thread and process CPU seconds (CDP metrics)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=args)

        def handle(route):
            path = route.request.url[len(origin) :].split("#")[0]
            bare = path.split("?")[0]
            if bare in bodies:
                body, ctype, headers = bodies[bare]
                keep = {k: v for k, v in headers.items() if k.lower() in ("content-security-policy", "content-type")}
                return route.fulfill(status=200, body=body, headers={**keep, "content-type": ctype})
            if bare in files:
                ctype = "text/css" if bare.endswith(".css") else "application/javascript"
                return route.fulfill(status=200, body=files[bare], headers={"content-type": ctype})
            return route.fulfill(status=404, body=b"")

        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.add_init_script("""document.addEventListener('securitypolicyviolation', function (e) {
                var el = document.documentElement;
                el.dataset.csp = (el.dataset.csp ? el.dataset.csp + ' ' : '') + e.violatedDirective; });
            document.addEventListener('graph:drawn', function () {
                requestAnimationFrame(function () { requestAnimationFrame(function () {
                    document.documentElement.dataset.painted = String(performance.now()); }); }); });""")
            page.route("**/*", handle)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(origin + "/en/network/graph/")
            page.wait_for_selector("html[data-painted]", state="attached", timeout=60_000)
            times.append(float(page.get_attribute("html", "data-painted")) / 1000)
            shown = page.get_attribute("#graph-canvas", "data-drawn")
            steps.append(
                [int(page.get_attribute("#graph-canvas", f"data-t-{k}")) / 1000 for k in ("start", "fetched", "built")]
            )
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            cpu.append((metrics.get("ThreadTime"), metrics.get("ProcessTime")))
            violations = page.get_attribute("html", "data-csp")
            if violations:
                print(f"    CSP violations: {violations}")
            assert int(shown) == drawn
            context.close()
        browser.close()
    print(
        f"  chromium cold draw of {drawn} nodes / {edges} edges: median {statistics.median(times):.2f} s, "
        f"runs {', '.join(f'{t:.2f}' for t in times)} (goal < 1.5 s)"
    )
    for (start, fetched, built), t, (thread, process) in zip(steps, times, cpu, strict=True):
        print(
            f"    scripts run at {start:.2f} s, JSON in at {fetched:.2f} s, graph built at {built:.2f} s, painted {t:.2f} s;"
            f" renderer CPU: main thread {thread or 0:.2f} s, process {process or 0:.2f} s"
        )
    return {
        "server": server,
        "times": times,
        "steps": steps,
        "cpu": cpu,
        "drawn": drawn,
        "edges": edges,
        "kb": len(data.content) / 1024,
    }


def markdown(measures: dict | None, page: dict | None) -> str:
    out = ["## Collaboration graph (issue 15)", ""]
    load = os.getloadavg()
    out.append(f"`bench/run network-graph`; 2 cores shared with other work (load average {load[0]:.1f} at the end).")
    out.append("")
    if measures:
        out += [
            (
                f"**Measures for the whole graph**: {measures['generated_edges']:,} generated edges "
                f"({measures['nodes']:,} nodes, {measures['edges']:,} edges once folded per pair). "
                f"Goal: < 10 s."
            ),
            "",
            (
                "Wall time on the shared machine, and in brackets this process's CPU time (both libraries compute "
                "on one thread, so the CPU time is what the step takes on an idle core)."
            ),
            "",
            "| step | serai.network.graph (igraph) | networkx |",
            "| --- | ---: | ---: |",
        ]
        ours, theirs, parts, pc = measures["ours"], measures["theirs"], measures["parts"], measures["parts_cpu"]

        def cell(wall, cpu):
            return f"{wall:.2f} s ({cpu:.2f} s)"

        build = "build (filter, fold, igraph graph)"
        out.append(f"| build | {cell(ours[build], CPU[build])} | {cell(theirs['nx build'], CPU['nx build'])} |")
        bet_label = next(k for k in parts if k.startswith("betweenness"))
        nx_bet = next(k for k in theirs if k.startswith("betweenness"))
        nx_deg = "nx degree + weighted degree"
        out.append(
            f"| degree, weighted degree | {cell(parts['degree'] + parts['weighted degree'], pc['degree'] + pc['weighted degree'])}"
            f" | {cell(theirs[nx_deg], CPU[nx_deg])} |"
        )
        out.append(
            f"| PageRank | {cell(parts['PageRank'], pc['PageRank'])} | {cell(theirs['nx PageRank'], CPU['nx PageRank'])} |"
        )
        out.append(
            f"| {bet_label} | {cell(parts[bet_label], pc[bet_label])} | {cell(theirs[nx_bet], CPU['nx ' + nx_bet])}"
            f" ({nx_bet[len('betweenness (') : -1]}) |"
        )
        out.append(
            f"| communities (Leiden / networkx Louvain) | {cell(parts['Leiden communities'], pc['Leiden communities'])} | "
            f"{cell(theirs['nx Louvain communities'], CPU['nx Louvain communities'])} |"
        )
        out.append(
            f"| **build + all measures** | **{cell(measures['total'], measures['total_cpu'])}** | "
            f"**{cell(measures['nx_total'], measures['nx_cpu'])}** |"
        )
        brokers = "brokers KR <-> each Central Asian country"
        out.append(f"| brokers KR ↔ each CA country | {cell(ours[brokers], CPU[brokers])} | — |")
        out.append(f"| helix balance | {cell(ours['helix balance'], CPU['helix balance'])} | — |")
        out += [
            "",
            (
                f"{measures['communities']} communities, modularity {measures['modularity']:.3f}. "
                "Betweenness beyond the exact budget is the Brandes–Pich pivot estimate, the same estimator as "
                "networkx's `betweenness_centrality(k=…)`; networkx's time per pivot was measured on "
                f"{PIVOTS_NX} pivots and scaled to the same count."
            ),
            "",
        ]
    if page:
        times = page["times"]
        out += [
            (
                f"**Graph page, 2,000 nodes drawn cold in chromium**: {page['drawn']} nodes and {page['edges']} "
                f"edges (JSON {page['kb']:.0f} KB) drawn at server-computed positions in "
                f"**{statistics.median(times):.2f} s** (median of {len(times)} cold contexts: "
                f"{', '.join(f'{t:.2f}' for t in times)} s; goal < 1.5 s), from navigation to the first painted "
                "frame after cytoscape.js built the graph; responses served from memory with the real headers."
            ),
            "",
        ]
        threads = [c[0] for c in page["cpu"] if c[0] is not None]
        if threads:
            out += [
                (
                    f"The renderer's main thread used a median {statistics.median(threads):.2f} s of CPU per cold draw "
                    "(Chrome's ThreadTime metric): what the draw costs on an idle core."
                ),
                "",
            ]
        for label, seconds in page["server"].items():
            out.append(f"- server, {label}: {seconds:.2f} s")
        out.append("")
    return "\n".join(out)


def main() -> None:
    quick = "--quick" in sys.argv
    measures = measures_part(quick)
    page = None if "--no-browser" in sys.argv else page_part(runs=5)
    text = markdown(measures, page)
    print()
    print(text)
    out = os.environ.get("BENCH_MARKDOWN")
    if out:
        Path(out).write_text(text + "\n")


if __name__ == "__main__":
    main()
