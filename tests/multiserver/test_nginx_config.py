"""deploy/nginx/serai.conf (issue 19), run for real: nginx as an unprivileged foreground process with a
temporary prefix, the site rendered for a temporary directory (static root, free ports, a throwaway
certificate, upstream servers on loopback ports) and requests over TLS from a client address of its
own (127.0.0.3, so the proxy's and the client's addresses differ).

* ``nginx -t`` accepts the file as shipped (only the certificate paths replaced);
* in front of two tiny Python upstreams: static files from disk with the year-long immutable cache
  header (one ``Cache-Control``), the ``.gz`` variant to clients that accept gzip (``Vary`` set) and
  the plain file to others; ``/media/`` answers 404 and never reaches an upstream; an upload over
  ``client_max_body_size`` is refused with 413 before it reaches an upstream, one of the largest
  document Serai accepts (SERAI_MAX_UPLOAD_MB plus the form) passes whole; requests go round robin to
  both upstreams with ``X-Forwarded-For`` (the client's address last), ``X-Forwarded-Proto: https``
  and the site's ``Host``; ``/healthz`` is proxied (and not logged); a 503 from one server is retried
  on the other; an upstream slower than the read timeout gives 504 (after trying both); port 80
  redirects to https;
* in front of Serai itself (the live test server): ``/healthz`` answers Serai's own checks; a sign-in
  through the proxy passes Django's CSRF origin check only because Serai, with production's
  ``SECURE_PROXY_SSL_HEADER``, reads the proxy's ``X-Forwarded-Proto``; and with SERAI_PROXY_COUNT=1
  the failed sign-in is counted against the client's address, not the proxy's nor a forged header.

Skips when nginx or openssl is missing, except under CI (``CI=true``) or SERAI_REQUIRE_NGINX=1
(scripts/test installs Debian's nginx and sets it), where it fails instead.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "serai.conf"
HOST = "serai.example.org"
CLIENT = "127.0.0.3"  # the client's own loopback address: nginx and the upstreams see 127.0.0.1 for nginx
READ_TIMEOUT = 2  # seconds: the rendered `location /` read timeout (120 s as shipped), for the 504 case
SLOW = 6  # seconds an upstream takes on /slow/: beyond READ_TIMEOUT


def _required() -> bool:
    return os.environ.get("SERAI_REQUIRE_NGINX") == "1" or os.environ.get("CI", "").lower() == "true"


def _program(name: str, package: str) -> str:
    found = shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()), None)
    if found is None:
        reason = f"{name} is not installed (Debian package {package})"
        if _required():
            pytest.fail(reason + ": CI and SERAI_REQUIRE_NGINX=1 need it (scripts/test installs it)")
        pytest.skip(reason)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _certificate(directory: Path) -> tuple[Path, Path]:
    openssl = _program("openssl", "openssl")
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) == count, f"deploy/nginx/serai.conf changed ({old!r}): update the test's rendering"
    return text.replace(old, new)


def render_site(
    *, cert: Path, key: Path, static_root: Path, upstreams: list[int], https: int, http_port: int, read_timeout=None
) -> str:
    """serai.conf for this machine: the lines marked ADAPT, the ports, and the read timeout if given."""
    text = CONF.read_text()
    servers = re.findall(r"^\s*server 10\.0\.0\.\d+:8000 (.*);$", text, flags=re.M)
    assert len(servers) == 2, "the shipped upstream lists two example servers"
    text = re.sub(r"^(\s*)server 10\.0\.0\.\d+:8000 .*;\n", "", text, flags=re.M)
    text = _replace(
        text,
        "    keepalive 32;",
        "".join(f"    server 127.0.0.1:{port} {servers[0]};\n" for port in upstreams) + "    keepalive 32;",
    )
    text = _replace(text, "    listen 80;", f"    listen 127.0.0.1:{http_port};")
    text = _replace(text, "    listen [::]:80;\n", "")
    text = _replace(text, "    listen 443 ssl http2;", f"    listen 127.0.0.1:{https} ssl http2;")
    text = _replace(text, "    listen [::]:443 ssl http2;\n", "")
    text = _replace(text, "/etc/ssl/serai/fullchain.pem", str(cert))
    text = _replace(text, "/etc/ssl/serai/privkey.pem", str(key))
    text = _replace(text, "alias /srv/serai/var/static/;", f"alias {static_root}/;")
    if read_timeout is None:
        return text
    return _replace(text, "proxy_read_timeout 120s;", f"proxy_read_timeout {read_timeout}s;")


def _main_conf(prefix: Path, site: Path) -> str:
    return (
        "daemon off;\nworker_processes 1;\n"
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 128; }\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {prefix}/access.log;\n"
        f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n"
        f"  include {site};\n"
        "}\n"
    )


class Nginx:
    """nginx in the foreground, as the invoking user or, under root, as ``nobody``."""

    def __init__(self, upstreams: list[int], static_files: dict[str, bytes] | None = None, read_timeout=None):
        self.binary = _program("nginx", "nginx")
        self.prefix = Path(tempfile.mkdtemp(prefix="serai-nginx-"))
        try:
            self._start(upstreams, static_files, read_timeout)
        except BaseException:
            if getattr(self, "process", None) is not None:
                self.process.kill()
                self.process.wait()
            if getattr(self, "log", None) is not None:
                self.log.close()
            shutil.rmtree(self.prefix, ignore_errors=True)
            raise

    def _start(self, upstreams, static_files, read_timeout) -> None:
        self.static_root = self.prefix / "static"
        self.static_root.mkdir()
        for name, content in (static_files or {}).items():
            (self.static_root / name).write_bytes(content)
        cert, key = _certificate(self.prefix)
        self.https, self.http = _free_port(), _free_port()
        site = self.prefix / "serai.conf"
        site.write_text(
            render_site(
                cert=cert,
                key=key,
                static_root=self.static_root,
                upstreams=upstreams,
                https=self.https,
                http_port=self.http,
                read_timeout=read_timeout,
            )
        )
        self.main = self.prefix / "nginx.conf"
        self.main.write_text(_main_conf(self.prefix, site))
        user = None
        if os.geteuid() == 0:  # never as root: the whole prefix belongs to nobody
            user = "nobody"
            nobody = pwd.getpwnam(user)
            for path in [self.prefix, *self.prefix.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self.log = open(self.prefix / "stderr.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.prefix), "-c", str(self.main), "-e", str(self.prefix / "error.log")],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            user=user,
            group="nogroup" if user else None,
        )
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.errors()
            try:
                socket.create_connection(("127.0.0.1", self.https), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, self.errors()
                time.sleep(0.1)

    def errors(self) -> str:
        return "\n".join(
            (self.prefix / name).read_text(errors="replace")[-3000:]
            for name in ("stderr.log", "error.log")
            if (self.prefix / name).exists()
        )

    def access_log(self) -> str:
        path = self.prefix / "access.log"
        return path.read_text() if path.exists() else ""

    def access_log_after_a_marker(self) -> str:
        """The access log once a request made now is in it (nginx writes a line just after answering):
        whatever was requested before and is missing was not logged."""
        marker = f"/en/marker-{time.monotonic_ns()}/"
        assert fetch(self.https, "GET", marker).status == 200
        deadline = time.monotonic() + 10
        while marker not in (log := self.access_log()):
            assert time.monotonic() < deadline, "the access log stays empty"
            time.sleep(0.05)
        return log

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.prefix, ignore_errors=True)


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def json(self):
        return json.loads(self.body)


def fetch(port: int, method: str, path: str, *, headers=None, body: bytes | None = None, tls=True, timeout=30):
    """One request from CLIENT's address (TLS without certificate checks: the certificate is throwaway)."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=timeout, context=context, source_address=(CLIENT, 0)
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(CLIENT, 0))
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        answer = conn.getresponse()
        return Response(answer.status, answer.getheaders(), answer.read())
    finally:
        conn.close()


# --- two tiny upstreams ---------------------------------------------------------------------------


class Upstream:
    """A Python HTTP server that records what it receives; ``/slow/`` takes SLOW seconds, ``/flaky/``
    answers 503 on the upstream named ``a``."""

    def __init__(self, name: str, seen: list):
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                remaining = length
                while remaining:
                    remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
                seen.append(
                    {
                        "server": upstream.name,
                        "method": self.command,
                        "path": self.path,
                        "peer": self.client_address[0],
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "length": length,
                    }
                )
                status = 200
                if self.path.startswith("/slow/"):
                    time.sleep(SLOW)
                elif self.path.startswith("/flaky/") and upstream.name == "a":
                    status = 503
                body = json.dumps({"server": upstream.name}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # nginx gave up on a slow answer
                    pass

            do_GET = do_POST = do_HEAD = _answer

        self.name = name
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


CSS = b"body{color:#123}\n" * 200  # compressible, as collectstatic's files are
CSS_NAME = "app.0123456789ab.css"


@pytest.fixture(scope="module")
def proxy():
    seen: list = []
    upstreams = [Upstream("a", seen), Upstream("b", seen)]
    files = {CSS_NAME: CSS, CSS_NAME + ".gz": gzip.compress(CSS)}
    nginx = Nginx([u.port for u in upstreams], files, read_timeout=READ_TIMEOUT)
    try:
        yield nginx, seen
    finally:
        nginx.stop()
        for upstream in upstreams:
            upstream.stop()


def test_the_nginx_configuration_is_accepted(tmp_path):
    nginx = _program("nginx", "nginx")
    cert, key = _certificate(tmp_path)
    site = tmp_path / "serai.conf"
    site.write_text(
        _replace(
            _replace(CONF.read_text(), "/etc/ssl/serai/fullchain.pem", str(cert)),
            "/etc/ssl/serai/privkey.pem",
            str(key),
        )
    )
    main = tmp_path / "nginx.conf"
    main.write_text(_main_conf(tmp_path, site))
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


def test_static_files_are_served_from_disk_with_a_long_cache_and_precompressed(proxy):
    nginx, seen = proxy
    before = len(seen)
    plain = fetch(nginx.https, "GET", f"/static/{CSS_NAME}")
    assert plain.status == 200, nginx.errors()
    assert plain.body == CSS and plain.header("Content-Encoding") is None
    assert plain.header("Content-Type") == "text/css"
    # One Cache-Control, a year, immutable (hashed names never change content).
    assert plain.header("Cache-Control") == "public, max-age=31536000, immutable"
    packed = fetch(nginx.https, "GET", f"/static/{CSS_NAME}", headers={"Accept-Encoding": "gzip, br"})
    assert packed.status == 200
    assert packed.header("Content-Encoding") == "gzip"
    assert packed.body == (nginx.static_root / (CSS_NAME + ".gz")).read_bytes()  # the file on disk, as is
    assert gzip.decompress(packed.body) == CSS
    assert packed.header("Cache-Control") == "public, max-age=31536000, immutable"
    # A shared cache must not hand the gzip body to a client that did not ask for it.
    assert "Accept-Encoding" in (plain.header("Vary") or "") and "Accept-Encoding" in (packed.header("Vary") or "")
    assert fetch(nginx.https, "GET", "/static/missing.0123.css").status == 404
    assert len(seen) == before, "static files never reach the application"
    assert f"/static/{CSS_NAME}" not in nginx.access_log_after_a_marker()  # not logged


def test_media_is_never_served_as_files(proxy):
    nginx, seen = proxy
    before = len(seen)
    assert fetch(nginx.https, "GET", "/media/documents/1/minutes.pdf").status == 404
    assert len(seen) == before


def test_an_upload_over_the_body_limit_is_refused_and_the_largest_document_passes(proxy, settings):
    nginx, seen = proxy
    text = CONF.read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", text).group(1))
    assert limit_mb > settings.SERAI_MAX_UPLOAD_MB  # room for the form around the largest document
    before = len(seen)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", nginx.https, timeout=30, context=context)
    try:  # nginx answers from the announced length, before the body
        conn.putrequest("POST", "/en/meetings/1/documents/", skip_host=True)
        conn.putheader("Host", HOST)
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(limit_mb * 1024 * 1024 + 1))
        conn.endheaders()
        conn.send(b"x" * 65536)
        refused = conn.getresponse()
        assert refused.status == 413
    finally:
        conn.close()
    assert len(seen) == before, "the refused upload never reached the application"
    size = (settings.SERAI_MAX_UPLOAD_MB + 1) * 1024 * 1024  # the largest document and its form
    passed = fetch(nginx.https, "POST", "/en/meetings/1/documents/", body=b"x" * size, timeout=60)
    assert passed.status == 200, nginx.errors()
    assert seen[-1]["method"] == "POST" and seen[-1]["length"] == size


def test_requests_go_round_robin_to_both_servers_with_the_forwarded_headers(proxy):
    nginx, seen = proxy
    before = len(seen)
    answers = [
        fetch(nginx.https, "GET", f"/en/projects/?n={n}", headers={"X-Forwarded-For": "203.0.113.9"}) for n in range(8)
    ]
    assert all(a.status == 200 for a in answers), nginx.errors()
    got = seen[before:]
    assert Counter(r["server"] for r in got) == {"a": 4, "b": 4}
    assert [a.json()["server"] for a in answers] == [r["server"] for r in got]
    for record in got:
        assert record["peer"] == "127.0.0.1"  # nginx
        # The client's address is the last hop: what SERAI_PROXY_COUNT=1 reads (a forged one stays in front).
        assert record["headers"]["x-forwarded-for"] == f"203.0.113.9, {CLIENT}"
        assert record["headers"]["x-forwarded-proto"] == "https"
        assert record["headers"]["host"] == HOST
        assert record["path"].startswith("/en/projects/?n=")


def test_the_health_endpoint_is_proxied_and_not_logged(proxy):
    nginx, seen = proxy
    before = len(seen)
    answer = fetch(nginx.https, "GET", "/healthz")
    assert answer.status == 200 and answer.json()["server"] in {"a", "b"}
    assert [r["path"] for r in seen[before:]] == ["/healthz"]
    assert "/healthz" not in nginx.access_log_after_a_marker()


def test_a_failing_server_is_skipped_and_a_slow_one_times_out_with_504(proxy):
    nginx, seen = proxy
    before = len(seen)
    answers = [fetch(nginx.https, "GET", f"/flaky/{n}") for n in range(2)]
    # Whichever server nginx tried first, a 503 from a was retried on b.
    assert [a.status for a in answers] == [200, 200]
    assert {a.json()["server"] for a in answers} == {"b"}
    assert any(r["server"] == "a" for r in seen[before:])
    before = len(seen)
    slow = fetch(nginx.https, "GET", "/slow/")
    assert slow.status == 504
    # A timed-out GET is tried once more, on the other server (proxy_next_upstream_tries 2).
    assert sorted(r["server"] for r in seen[before:]) == ["a", "b"]
    assert "upstream timed out" in nginx.errors()


def test_plain_http_redirects_to_https(proxy):
    nginx, seen = proxy
    answer = fetch(nginx.http, "GET", "/en/projects/?page=2", tls=False)
    assert answer.status == 301
    assert answer.header("Location") == f"https://{HOST}/en/projects/?page=2"


# --- in front of Serai itself ---------------------------------------------------------------------


def _production_proxy_header():
    """Production's SECURE_PROXY_SSL_HEADER, read from serai.settings under SERAI_ENV=production."""
    env = {
        **os.environ,
        "SERAI_ENV": "production",
        "SERAI_SECRET_KEY": "x" * 60,
        "SERAI_ALLOWED_HOSTS": HOST,
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run(
        [sys.executable, "-c", "import json, serai.settings as s; print(json.dumps(s.SECURE_PROXY_SSL_HEADER))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return tuple(json.loads(done.stdout))


def _cookie(response: Response, name: str) -> str:
    for value in response.all("Set-Cookie"):
        if value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError(f"no {name} cookie")


@pytest.mark.django_db(transaction=True)
def test_serai_behind_nginx_sees_the_client_and_https(live_server, settings):
    from axes.models import AccessAttempt

    settings.SECURE_PROXY_SSL_HEADER = _production_proxy_header()
    settings.SERAI_PROXY_COUNT = 1
    app_port = int(live_server.url.rsplit(":", 1)[1])
    nginx = Nginx([app_port, app_port])  # the read timeout as shipped: a sign-in may take a second
    try:
        local = {"Host": "localhost"}  # a host the test settings allow
        health = fetch(nginx.https, "GET", "/healthz", headers=local)
        assert health.status == 200, nginx.errors()
        assert health.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
        assert health.header("Cache-Control") == "no-store"

        form = fetch(nginx.https, "GET", "/en/accounts/login/", headers=local)
        assert form.status == 200
        csrf = _cookie(form, "csrftoken")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1).decode()
        post = {
            **local,
            "Origin": "https://localhost",  # what a browser on https://localhost sends
            "Referer": "https://localhost/en/accounts/login/",
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "203.0.113.9",  # forged by the client: not trusted
        }
        body = f"csrfmiddlewaretoken={token}&username=nobody-here&password=wrong".encode()
        failed = fetch(nginx.https, "POST", "/en/accounts/login/", headers=post, body=body)
        # Not 403: the https Origin matches because Serai took the scheme from X-Forwarded-Proto.
        assert failed.status == 200, failed.body[:2000]
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]

        # Without the proxy the same https Origin does not match Serai's own http: the check is real.
        direct = http.client.HTTPConnection("127.0.0.1", app_port, timeout=30)
        try:
            direct.request("POST", "/en/accounts/login/", body=body, headers=post)
            assert direct.getresponse().status == 403
        finally:
            direct.close()
    finally:
        nginx.stop()
