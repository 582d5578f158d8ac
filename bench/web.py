"""Public portal benchmark (issue: public portal and staff workspace).

On PostgreSQL with 10,000 generated projects (plus the demo content and the trade demo data),
served by gunicorn with the production settings: p50/p95 latency of the home, country and
search pages under 20 concurrent clients on loopback, the SQL queries per page, and, in
Debian's chromium, each page's cold load (empty cache) and warm load (static files cached):
time to the load event and the bytes transferred. Anchor: the issue's budget — a page is
usable under 1 s on a cold load over loopback.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter

from common import CLIENTS, SECONDS, count_queries, load, p50_p95, production_server, set_up

N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
BUDGET_MS = 1000.0
CHROMIUM = os.environ.get("SERAI_CHROMIUM", "/usr/bin/chromium")
COLD_RUNS = 5

PATHS = {
    "home (en)": "/en/",
    "home (ko)": "/ko/",
    "home, map by budget": "/en/?map=budget",
    "home, map by trade (ru)": "/ru/?map=trade",
    "country KZ (en)": "/en/countries/KZ/",
    "country UZ (ru)": "/ru/countries/UZ/",
    "search 'solar' (en)": "/en/search/?q=solar",
    "search 'Солнечные' (ru)": "/ru/search/?q=Солнечные",
    "search '태양광' (ko)": "/ko/search/?q=태양광",
}
# The same pages with a new address on every request: never served from the public page cache.
UNCACHED = {
    "home, uncached": "/en/?nocache={n}",
    "country KZ, uncached": "/en/countries/KZ/?nocache={n}",
    "search 'solar', uncached": "/en/search/?q=solar&nocache={n}",
}
GZIP = {"Accept-Encoding": "gzip"}


def page_bytes(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    import http.client
    from urllib.parse import quote

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", quote(path, safe="/?=&-"), headers=headers or {})
    body = conn.getresponse().read()
    conn.close()
    return len(body)


def browser_loads(port: int) -> tuple[dict[str, dict], Counter]:
    """Cold and warm loads of each page in chromium: load-event time and bytes on the wire."""
    from playwright.sync_api import sync_playwright

    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ]
    results: dict[str, dict] = {}
    static_headers: Counter = Counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        for name, path in PATHS.items():
            cold_ms, cold_bytes, warm_ms, warm_bytes, requests = [], [], [], [], 0
            for run in range(COLD_RUNS):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                received = {"bytes": 0, "requests": 0}

                def finished(event, received=received):
                    received["bytes"] += event["encodedDataLength"]
                    received["requests"] += 1

                cdp.on("Network.loadingFinished", finished)
                if run == 0:
                    page.on(
                        "response",
                        lambda r: (
                            static_headers.update(
                                [(r.headers.get("content-encoding", "none"), r.headers.get("cache-control", "none"))]
                            )
                            if "/static/" in r.url
                            else None
                        ),
                    )
                for phase in ("cold", "warm"):
                    received["bytes"] = received["requests"] = 0
                    page.goto(f"http://127.0.0.1:{port}{path}", wait_until="load")
                    timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
                    if phase == "cold":
                        cold_ms.append(timing)
                        cold_bytes.append(received["bytes"])
                        requests = received["requests"]
                    else:
                        warm_ms.append(timing)
                        warm_bytes.append(received["bytes"])
                context.close()
            results[name] = {
                "cold_ms": statistics.median(cold_ms),
                "cold_max_ms": max(cold_ms),
                "cold_kb": statistics.median(cold_bytes) / 1024,
                "warm_ms": statistics.median(warm_ms),
                "warm_kb": statistics.median(warm_bytes) / 1024,
                "requests": requests,
            }
        browser.close()
    return results, static_headers


def main() -> None:
    set_up(N_PROJECTS, trade=True)
    queries = count_queries(list(PATHS.values()) + list(UNCACHED.values()))

    with production_server() as port:
        print(
            f"\n{'page':26} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'queries':>8} {'html KB':>8} {'gzip KB':>8}  p95 vs 1 s budget",
            flush=True,
        )
        p95s = []
        for name, path in {**PATHS, **UNCACHED}.items():
            raw, gz = page_bytes(port, path.replace("{n}", "x")), page_bytes(port, path.replace("{n}", "y"), GZIP)
            load(port, path, headers=GZIP, seconds=3)  # warm up
            timings, _size = load(port, path, headers=GZIP)
            p50, p95 = p50_p95(timings)
            p95s.append(p95)
            rps = len(timings) / SECONDS
            verdict = f"{BUDGET_MS / p95:.1f}× under" if p95 < BUDGET_MS else f"{p95 / BUDGET_MS:.1f}× over"
            print(
                f"{name:26} {p50:7.1f} {p95:7.1f} {rps:6.0f} {queries[path]:>8} {raw / 1024:8.1f} {gz / 1024:8.1f}  "
                f"{verdict}",
                flush=True,
            )
        print(
            f"\n{N_PROJECTS} projects, {CLIENTS} concurrent clients, {SECONDS:.0f} s per page, anonymous visitor, "
            "gunicorn 4 workers × 2 threads, PostgreSQL 15, loopback, requests accept gzip; queries: first render / "
            "second render (the second comes from the public page cache)"
        )

        loads, static_headers = browser_loads(port)
        print(
            f"\n{'page (chromium)':26} {'cold ms':>8} {'(max)':>6} {'cold KB':>8} {'requests':>8} {'warm ms':>8} {'warm KB':>8}"
            "  cold load vs 1 s budget",
            flush=True,
        )
        for name, r in loads.items():
            print(
                f"{name:26} {r['cold_ms']:8.0f} {r['cold_max_ms']:6.0f} {r['cold_kb']:8.1f} {r['requests']:8d} "
                f"{r['warm_ms']:8.0f} {r['warm_kb']:8.1f}  {BUDGET_MS / r['cold_ms']:.1f}× under",
                flush=True,
            )
        print(
            f"\ncold = a new browser context (empty cache), median of {COLD_RUNS}; warm = the same page again in that "
            "context; KB = bytes on the wire (compressed), HTML and every asset; time = the load event"
        )
        print(
            "static responses seen (content-encoding, cache-control): "
            + "; ".join(f"{enc}, {cc}: {n}" for (enc, cc), n in static_headers.most_common())
        )
        cold = max(r["cold_max_ms"] for r in loads.values())
        print(
            f"\nslowest cold load: {cold:.0f} ms ({BUDGET_MS / cold:.1f}× under the 1 s budget); "
            f"highest p95 under load: {max(p95s):.0f} ms"
        )


if __name__ == "__main__":
    main()
