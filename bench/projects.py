"""Project pipeline benchmark (issue: cooperation project pipeline).

On PostgreSQL with 10,000 generated projects: p50/p95 latency of the list, search and detail
pages and of the API, under 20 concurrent clients on loopback (bounded in requests and time),
and the number of SQL queries per page. Anchors: Akvo RSR's project list took 3.5 s after
optimisation (akvo-rsr#1258); a results page took 8.8 s with about 1,300 queries (#5017).
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import quote

N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
CLIENTS = 20
SECONDS = float(os.environ.get("BENCH_SECONDS", "12"))
MAX_REQUESTS = 4000
ANCHOR_LIST_S = 3.5
ANCHOR_RESULTS_S, ANCHOR_RESULTS_QUERIES = 8.8, 1300


def serai(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "serai", *args], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str) -> list[float]:
    """CLIENTS threads, each with its own keep-alive connection, until SECONDS or MAX_REQUESTS."""
    timings: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + SECONDS
    errors = []
    counter = iter(range(10**9))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if len(timings) >= MAX_REQUESTS:
                    return
            # "{n}" in a path becomes a new number each request: a new address, so no cached page.
            target = path.replace("{n}", str(next(counter))) if "{n}" in path else path
            started = time.perf_counter()
            conn.request("GET", quote(target, safe="/?=&-"))
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                errors.append(response.status)
                return
            with lock:
                timings.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{path}: HTTP {errors[0]}")
    return timings


def count_queries(paths: list[str]) -> dict[str, str]:
    """SQL queries per page, first render / cached render, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    out = {}
    for path in paths:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path.replace("{n}", "0")).status_code == 200, path
            counts.append(len(ctx.captured_queries))
        out[path] = f"{counts[0]}/{counts[1]}"
    return out


def main() -> None:
    print(f"setting up: migrate, reference data, demo, {N_PROJECTS} generated projects", flush=True)
    serai("migrate", "-v0")
    serai("loadreference")
    serai("loaddemo")
    t0 = time.perf_counter()
    serai("generateprojects", str(N_PROJECTS))
    print(f"generated {N_PROJECTS} projects in {time.perf_counter() - t0:.1f} s", flush=True)
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()
    from serai.projects.models import Project

    public = Project.objects.filter(status="implementation", code__startswith="GEN-").order_by("id").values_list("pk", flat=True)[500]
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

    port = free_port()
    env = {**os.environ, "SERAI_ENV": "production", "SERAI_SECRET_KEY": "b" * 64, "SERAI_ALLOWED_HOSTS": "127.0.0.1",
           "SERAI_SSL_REDIRECT": "0", "SERAI_DB_CONN_MAX_AGE": "600"}
    subprocess.run([sys.executable, "-m", "serai", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "serai.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "4",
         "--threads", "2", "--log-level", "warning"],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        print(f"\n{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'queries':>8}  vs anchor", flush=True)
        for name, path in paths.items():
            load(port, path)  # warm up
            timings = load(port, path)
            p50 = statistics.median(timings) * 1000
            p95 = statistics.quantiles(timings, n=20)[18] * 1000
            rps = len(timings) / SECONDS
            if name.startswith("detail"):
                versus = f"{ANCHOR_RESULTS_S * 1000 / p95:.0f}× faster than RSR results page p95; " \
                         f"{ANCHOR_RESULTS_QUERIES / int(queries[path].split('/')[0]):.0f}× fewer queries"
            elif name.startswith("list") or name.startswith("search"):
                versus = f"{ANCHOR_LIST_S * 1000 / p95:.0f}× faster than RSR list (3.5 s)"
            else:
                versus = ""
            print(f"{name:24} {p50:8.1f} {p95:8.1f} {rps:7.0f} {queries[path]:>8}  {versus}", flush=True)
        print(f"\n{N_PROJECTS} projects, {CLIENTS} concurrent clients, {SECONDS:.0f} s per page, anonymous visitor, "
              "gunicorn 4 workers × 2 threads, PostgreSQL 15, loopback; queries: first render / cached; "
              "'uncached' pages get a new address each request")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
