"""Project pipeline benchmark (issue: cooperation project pipeline).

On PostgreSQL with 10,000 generated projects: p50/p95 latency of the list, search and detail
pages and of the API, under 20 concurrent clients on loopback (bounded in requests and time),
and the number of SQL queries per page. Anchors: Akvo RSR's project list took 3.5 s after
optimisation (akvo-rsr#1258); a results page took 8.8 s with about 1,300 queries (#5017).
"""

from __future__ import annotations

import os

from common import CLIENTS, SECONDS, count_queries, load, p50_p95, production_server, set_up

N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
ANCHOR_LIST_S = 3.5
ANCHOR_RESULTS_S, ANCHOR_RESULTS_QUERIES = 8.8, 1300


def main() -> None:
    set_up(N_PROJECTS)
    from serai.projects.models import Project

    public = (
        Project.objects.filter(status="implementation", code__startswith="GEN-")
        .order_by("id")
        .values_list("pk", flat=True)[500]
    )
    paths = {
        "list": "/en/projects/",
        "list, uncached": "/en/projects/?nocache={n}",
        "list filtered": "/en/projects/?country=UZ&field=energy&sort=-budget",
        "list filtered, uncached": "/en/projects/?country=UZ&field=energy&sort=-budget&nocache={n}",
        "search": "/en/projects/?q=solar",
        "search (ru)": "/ru/projects/?q=Солнечные",
        "detail (with results)": f"/en/projects/{public}/",
        "detail, uncached": f"/en/projects/{public}/?nocache={{n}}",
        "API list": "/api/v1/projects/",
        "API list, uncached": "/api/v1/projects/?nocache={n}",
        "API detail": f"/api/v1/projects/{public}/",
    }
    queries = count_queries(list(paths.values()))

    with production_server() as port:
        print(f"\n{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'queries':>8}  vs anchor", flush=True)
        for name, path in paths.items():
            load(port, path)  # warm up
            timings, _size = load(port, path)
            p50, p95 = p50_p95(timings)
            rps = len(timings) / SECONDS
            if name.startswith("detail"):
                versus = (
                    f"{ANCHOR_RESULTS_S * 1000 / p95:.0f}× faster than RSR results page p95; "
                    f"{ANCHOR_RESULTS_QUERIES / int(queries[path].split('/')[0]):.0f}× fewer queries"
                )
            elif name.startswith("list") or name.startswith("search"):
                versus = f"{ANCHOR_LIST_S * 1000 / p95:.0f}× faster than RSR list (3.5 s)"
            else:
                versus = ""
            print(f"{name:24} {p50:8.1f} {p95:8.1f} {rps:7.0f} {queries[path]:>8}  {versus}", flush=True)
        print(
            f"\n{N_PROJECTS} projects, {CLIENTS} concurrent clients, {SECONDS:.0f} s per page, anonymous visitor, "
            "gunicorn 4 workers × 2 threads, PostgreSQL 15, loopback; queries: first render / cached; "
            "'uncached' pages get a new address each request"
        )


if __name__ == "__main__":
    main()
