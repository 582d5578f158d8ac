"""What the web benchmarks share: the data set-up, a production server, the load generator and
the query counter."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import secrets
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
# One generated key per run, shared by the production server and this process (so sessions
# made here with Django's session store are valid there); the set-up commands inherit it too.
SECRET_KEY = os.environ.setdefault("SERAI_SECRET_KEY", secrets.token_urlsafe(64))


def serai(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "serai", *args], check=True)


def set_up(n_projects: int, *, trade: bool = False, trade_args: tuple[str, ...] = ()) -> None:
    """Migrate, load the reference data and demo content, generate ``n_projects`` and analyse."""
    print(f"setting up: migrate, reference data, demo, {n_projects} generated projects", flush=True)
    serai("migrate", "-v0")
    serai("loadreference")
    serai("loaddemo")
    t0 = time.perf_counter()
    serai("generateprojects", str(n_projects))
    print(f"generated {n_projects} projects in {time.perf_counter() - t0:.1f} s", flush=True)
    if trade:
        t0 = time.perf_counter()
        serai("trade", "demo", *trade_args)
        print(f"trade demo data in {time.perf_counter() - t0:.1f} s", flush=True)
    subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(
    *, workers: int = 4, threads: int = 2, log_dir: str | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """gunicorn (``workers`` × ``threads``) with the production settings, static files collected
    (hashed, compressed); yields the master process, with its port as ``.port``. With ``log_dir``
    its stderr (Django's error log, gunicorn's warnings) goes to ``log_dir/server.err`` and its
    stdout to ``log_dir/server.out``. ``extra_env`` is added to the environment of collectstatic
    and the server (e.g. ``PYTHONPATH`` naming an older checkout's ``src``)."""
    port = free_port()
    env = {
        **os.environ,
        **(extra_env or {}),
        "SERAI_ENV": "production",
        "SERAI_SECRET_KEY": SECRET_KEY,
        "SERAI_ALLOWED_HOSTS": "127.0.0.1",
        "SERAI_SSL_REDIRECT": "0",
        "SERAI_DB_CONN_MAX_AGE": "600",
    }
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "serai", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    print(f"collectstatic (hashed, gzip and Brotli) in {time.perf_counter() - t0:.1f} s", flush=True)
    with contextlib.ExitStack() as files:
        out = err = None
        if log_dir:
            out = files.enter_context(open(os.path.join(log_dir, "server.out"), "wb"))
            err = files.enter_context(open(os.path.join(log_dir, "server.err"), "wb"))
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "serai.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=out,
            stderr=err,
        )
        server.port = port  # type: ignore[attr-defined]
        try:
            for _ in range(100):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.1)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=20)


@contextlib.contextmanager
def production_server() -> Iterator[int]:
    """gunicorn (4 workers × 2 threads) with the production settings; yields its port."""
    with gunicorn_server() as server:
        yield server.port  # type: ignore[attr-defined]


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes, from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry))
    return sorted(pids)


def rss_kb(pid: int) -> int | None:
    """Resident memory of a process (VmRSS, KiB), None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Response:
    __slots__ = ("body", "headers", "seconds", "status")

    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def text(self) -> str:
        body = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


class HttpClient:
    """One keep-alive connection to the server on loopback, like a browser tab. Cookies live in a
    jar (a dict) the caller passes per request, so one connection can carry several identities.

    A GET that fails on a reused connection before any answer (the server closed it while idle)
    is retried once on a new connection, as browsers do; ``retries`` counts those. POSTs are
    never retried: a failure raises and its outcome is unknown to the caller.
    """

    def __init__(self, port: int, *, timeout: float = 120):
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.retries = 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        jar: dict[str, str] | None = None,
    ) -> Response:
        headers = dict(headers or {})
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        target = quote(path, safe="/?=&-._~%+,:")
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request(method, target, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 0 and not fresh and method == "GET":
                    self.retries += 1
                    continue
                raise
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.close()
            if jar is not None:
                for cookie in response.msg.get_all("Set-Cookie") or []:
                    pair, _sep, attributes = cookie.partition(";")
                    name, _eq, value = pair.strip().partition("=")
                    if "max-age=0" in attributes.lower().replace(" ", ""):
                        jar.pop(name, None)
                    else:
                        jar[name] = value
            return Response(response.status, response.msg, data, elapsed)
        raise AssertionError("unreachable")


def load(
    port: int, path: str, *, headers: dict[str, str] | None = None, seconds: float = SECONDS
) -> tuple[list[float], int]:
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
    if len(timings) < 2:
        return (timings[0] * 1000,) * 2 if timings else (float("nan"), float("nan"))
    # quantiles() extrapolates past the largest value on small samples: never report more than it
    return statistics.median(timings) * 1000, min(statistics.quantiles(timings, n=20)[18], max(timings)) * 1000


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
