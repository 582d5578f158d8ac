"""What the web benchmarks share: the data set-up, a production server, the load generator and
the query counter."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

CLIENTS = 20
SECONDS = float(os.environ.get("BENCH_SECONDS", "12"))
MAX_REQUESTS = 4000


def serai(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "serai", *args], check=True)


def set_up(n_projects: int, *, trade: bool = False) -> None:
    """Migrate, load the reference data and demo content, generate ``n_projects`` and analyse."""
    print(f"setting up: migrate, reference data, demo, {n_projects} generated projects", flush=True)
    serai("migrate", "-v0")
    serai("loadreference")
    serai("loaddemo")
    t0 = time.perf_counter()
    serai("generateprojects", str(n_projects))
    print(f"generated {n_projects} projects in {time.perf_counter() - t0:.1f} s", flush=True)
    if trade:
        serai("trade", "demo")
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def production_server() -> Iterator[int]:
    """gunicorn (4 workers × 2 threads) with the production settings, static files collected
    (hashed, compressed); yields its port."""
    port = free_port()
    env = {**os.environ, "SERAI_ENV": "production", "SERAI_SECRET_KEY": "b" * 64, "SERAI_ALLOWED_HOSTS": "127.0.0.1",
           "SERAI_SSL_REDIRECT": "0", "SERAI_DB_CONN_MAX_AGE": "600"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "serai", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    print(f"collectstatic (hashed, gzip and Brotli) in {time.perf_counter() - t0:.1f} s", flush=True)
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
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def load(port: int, path: str, *, headers: dict[str, str] | None = None, seconds: float = SECONDS) -> tuple[list[float], int]:
    """CLIENTS threads, each with its own keep-alive connection, until ``seconds`` or MAX_REQUESTS.

    ``{n}`` in a path becomes a new number on each request (a new address: no cached page).
    Returns the latencies and the response body bytes of the last request.
    """
    timings: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    errors: list[int] = []
    sizes: list[int] = []
    counter = iter(range(10**9))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if len(timings) >= MAX_REQUESTS:
                    return
            target = path.replace("{n}", str(next(counter))) if "{n}" in path else path
            started = time.perf_counter()
            conn.request("GET", quote(target, safe="/?=&-"), headers=headers or {})
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                errors.append(response.status)
                return
            with lock:
                timings.append(elapsed)
                sizes.append(len(body))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{path}: HTTP {errors[0]}")
    return timings, (sizes[-1] if sizes else 0)


def p50_p95(timings: list[float]) -> tuple[float, float]:
    """Milliseconds."""
    return statistics.median(timings) * 1000, statistics.quantiles(timings, n=20)[18] * 1000


def count_queries(paths: list[str]) -> dict[str, str]:
    """SQL queries per page, first render / second render, through Django's test client."""
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
