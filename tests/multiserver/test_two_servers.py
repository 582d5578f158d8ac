"""Two application servers (issue 19): two gunicorn processes on two ports, one PostgreSQL database and
one shared store — a real ``redis-server`` (SERAI_REDIS_URL), and Django's database cache as a second
store that needs no extra program. Over HTTP, as a browser behind a proxy would:

* a page one server cached is served by the other from the shared store;
* a write through server A is seen at once through server B by the public (B had the page cached) and
  by every role;
* a sign-in on A holds on B, and a sign-out on B ends it on A;
* a lockout on A holds on B;
* two ``serai sendnotifications`` run at once (one per server's cron) send each e-mail once.

Needs the tests to run on PostgreSQL. The Redis variant needs ``redis-server`` and the redis package:
it skips without them, unless SERAI_REQUIRE_REDIS=1 (scripts/test sets it), when it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("secretariat", "focal_point", "member", "editor", "nobody")
START_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_connection():
    import psycopg
    from django.conf import settings

    params = settings.DATABASES["default"]
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _database_url(name: str) -> str:
    from django.conf import settings

    p = settings.DATABASES["default"]
    auth = p["USER"] + (f":{p['PASSWORD']}" if p["PASSWORD"] else "")
    return f"postgres://{auth}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{name}"


def _base_env(tmp: Path) -> dict:
    env = {**os.environ}
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SERAI_REDIS_URL", "SERAI_VAR_DIR_PER_WORKER"):
        env.pop(name, None)
    shared = tmp / "shared"  # what every server mounts: uploads and the trade store
    env.update(
        {
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            "SERAI_ENV": "development",
            "SERAI_DEBUG": "0",
            "SERAI_VAR_DIR": str(tmp / "var"),
            "SERAI_MEDIA_ROOT": str(shared / "media"),
            "SERAI_TRADE_DIR": str(shared / "trade"),
            "SERAI_REQUIRE_2FA": "0",  # the two-factor step is not under test here
            "SERAI_NOTIFY_SYNC": "1",
            "SERAI_EMAIL_HOST": "",
        }
    )
    return env


def _run(args, env, timeout=600) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def _serai(env, *args, timeout=600) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "serai", *args], env, timeout)


def _scenario(env, *args) -> dict:
    done = _run([sys.executable, "-m", "tests.multiserver.scenario", *map(str, args)], env)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def template_database(tmp_path_factory):
    """A migrated PostgreSQL database made once; each store's installation is a copy of it."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "two servers share a PostgreSQL database: run the tests on PostgreSQL (/work/tools/t, scripts/test)"
        )
    name = f"serai_two_servers_{uuid.uuid4().hex[:8]}"
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**_base_env(tmp_path_factory.mktemp("template")), "DATABASE_URL": _database_url(name)}
    try:
        _serai(env, "migrate", "-v0")
        yield name
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redis_or_skip() -> str:
    binary = shutil.which("redis-server") or shutil.which("valkey-server")
    missing = []
    if binary is None:
        missing.append("the redis-server program (Debian package redis-server)")
    try:
        import redis  # noqa: F401
    except ImportError:
        missing.append("the redis Python package")
    if missing:
        reason = "the Redis variant needs " + " and ".join(missing)
        if os.environ.get("SERAI_REQUIRE_REDIS") == "1":
            pytest.fail(reason + " (SERAI_REQUIRE_REDIS=1)")
        pytest.skip(reason)
    return binary


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    import requests

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {START_TIMEOUT} s: {log.read_text()[-3000:]}")


class Cluster:
    def __init__(self, store: str, env: dict, a: str, b: str, data: dict):
        self.store, self.env, self.a, self.b, self.data = store, env, a, b, data


@pytest.fixture(scope="module", params=["redis", "database"])
def cluster(request, template_database, tmp_path_factory):
    store = request.param
    redis_binary = _redis_or_skip() if store == "redis" else None
    tmp = tmp_path_factory.mktemp(f"two-servers-{store}")
    name = f"{template_database}_{store}"
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    env = {**_base_env(tmp), "DATABASE_URL": _database_url(name)}
    processes: list[tuple[subprocess.Popen, object]] = []

    def start(args, log_name):
        log = open(tmp / log_name, "wb")  # noqa: SIM115 (closed at the end)
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        processes.append((process, log))
        return process

    try:
        if store == "redis":
            port = _free_port()
            start(
                [redis_binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp), "--save", ""],
                "redis.log",
            )
            deadline = time.monotonic() + START_TIMEOUT
            while True:  # until it accepts connections
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, (tmp / "redis.log").read_text()
                    time.sleep(0.2)
            env["SERAI_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        else:
            env["DJANGO_SETTINGS_MODULE"] = "tests.multiserver.settings_dbcache"
            _serai(env, "createcachetable")
        data = _scenario(env, "setup")
        bases = []
        for server in ("a", "b"):
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            process = start(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "serai.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--timeout",
                    "120",
                ],  # fmt: skip
                f"server-{server}.log",
            )
            bases.append((base, process, tmp / f"server-{server}.log"))
        for base, process, log in bases:
            _wait_for(f"{base}/healthz", process, log)
        yield Cluster(store, env, bases[0][0], bases[1][0], data)
    finally:
        for process, log in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- a browser, over HTTP -----------------------------------------------------------------------


def _browser():
    import requests

    return requests.Session()  # cookies are per host, not per port: both servers get them, as behind a proxy


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _sign_in(browser, base: str, username: str, password: str):
    page = browser.get(f"{base}/en/accounts/login/", timeout=60)
    return browser.post(
        f"{base}/en/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": _csrf(page.text)},
        allow_redirects=False,
        timeout=60,
    )


def _signed_in(browser, base: str, role: str, cluster: Cluster):
    response = _sign_in(browser, base, cluster.data["users"][role], cluster.data["password"])
    assert response.status_code == 302, f"{role} could not sign in on {base}: {response.status_code}"
    return browser


def _edit_title(browser, base: str, pk: int, old: str, new: str) -> None:
    """Submit the project's edit form as the page shows it, with only the English title changed."""
    import lxml.html

    page = browser.get(f"{base}/en/projects/{pk}/edit/", timeout=60)
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.text)
    forms = [f for f in doc.forms if f.method.lower() == "post" and any(v == old for _, v in f.form_values())]
    assert len(forms) == 1, "the edit form holding the title"
    values = [(k, new if v == old else v) for k, v in forms[0].form_values()]
    saved = browser.post(f"{base}/en/projects/{pk}/edit/", data=values, allow_redirects=False, timeout=60)
    if saved.status_code != 302:
        errors = [e.text_content().strip() for e in lxml.html.fromstring(saved.text).find_class("errorlist")]
        raise AssertionError(f"the edit was refused ({saved.status_code}): {errors or saved.text[-3000:]}")


# --- the tests -----------------------------------------------------------------------------------


def test_both_servers_are_healthy_and_share_the_store(cluster):
    import requests

    for base in (cluster.a, cluster.b):
        answer = requests.get(f"{base}/healthz", timeout=30)
        assert answer.status_code == 200
        assert answer.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_a_page_cached_by_one_server_is_served_by_the_other(cluster):
    import requests

    pk = cluster.data["project"]
    first = requests.get(f"{cluster.a}/en/projects/{pk}/", timeout=60)  # anonymous: A renders and stores it
    assert first.status_code == 200
    marker = f"Shared store {uuid.uuid4().hex[:8]}"
    # A third process with the same settings finds A's entry in the store and marks it …
    assert _scenario(cluster.env, "poison-project-page", pk, marker) == {"found": True}
    # … and B serves the marked entry: it read the shared store, it did not render the page itself.
    assert marker in requests.get(f"{cluster.b}/en/projects/{pk}/", timeout=60).text


def test_a_write_through_a_is_seen_at_once_through_b_by_the_public_and_every_role(cluster):
    import requests

    pk, old = cluster.data["project"], cluster.data["title"]
    new = f"Solar pumps and drip lines {uuid.uuid4().hex[:6]}"
    for path in (f"/en/projects/{pk}/", "/en/projects/"):  # the public's cached pages on both servers
        for base in (cluster.a, cluster.b):
            assert old in requests.get(base + path, timeout=60).text

    _edit_title(_signed_in(_browser(), cluster.a, "secretariat", cluster), cluster.a, pk, old, new)

    for path in (f"/en/projects/{pk}/", "/en/projects/"):
        seen = requests.get(cluster.b + path, timeout=60).text
        assert new in seen and old not in seen, f"the public on B, {path}"
    for role in ROLES:
        browser = _signed_in(_browser(), cluster.b, role, cluster)
        seen = browser.get(f"{cluster.b}/en/projects/{pk}/", timeout=60).text
        assert new in seen and old not in seen, f"{role} on B"
    cluster.data["title"] = new


def test_a_sign_in_on_a_holds_on_b_and_a_sign_out_on_b_ends_it_on_a(cluster):
    browser = _signed_in(_browser(), cluster.a, "focal_point", cluster)
    mine = browser.get(f"{cluster.b}/en/my/", allow_redirects=False, timeout=60)
    assert mine.status_code == 200 and cluster.data["users"]["focal_point"] in mine.text
    signed_out = browser.post(
        f"{cluster.b}/en/accounts/logout/", data={"csrfmiddlewaretoken": _csrf(mine.text)}, allow_redirects=False
    )
    assert signed_out.status_code == 302
    after = browser.get(f"{cluster.a}/en/my/", allow_redirects=False, timeout=60)
    assert after.status_code == 302 and "/accounts/login/" in after.headers["Location"]


def test_a_lockout_on_a_holds_on_b(cluster):
    import requests

    user, password = cluster.data["users"]["target"], cluster.data["password"]
    limit = 5  # SERAI_LOGIN_FAILURE_LIMIT's default
    for _ in range(limit):
        _sign_in(_browser(), cluster.a, user, "not-the-password")
    assert _sign_in(_browser(), cluster.a, user, password).status_code == 429
    assert _sign_in(_browser(), cluster.b, user, password).status_code == 429  # the right password, on B
    # Only that user name is locked out from this address; B lets another user in.
    assert _signed_in(_browser(), cluster.b, "nobody", cluster)
    assert requests.get(f"{cluster.b}/healthz", timeout=30).status_code == 200


def test_each_notification_is_e_mailed_once_when_both_servers_senders_run(cluster):
    count = 60
    assert _scenario(cluster.env, "pending-notifications", count) == {"pending": count}
    senders = [
        subprocess.Popen(
            [sys.executable, "-m", "serai", "sendnotifications"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cluster.env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outputs = [sender.communicate(timeout=600) for sender in senders]
    assert all(sender.returncode == 0 for sender in senders), outputs
    recipients = Counter(
        line.split(":", 1)[1].strip() for out, _ in outputs for line in out.splitlines() if line.startswith("To: ")
    )
    assert recipients == Counter({f"reader-{i}@example.org": 1 for i in range(count)})
    reports = [re.search(r"sent (\d+), failed (\d+)", out).groups() for out, _ in outputs]
    assert sum(int(sent) for sent, _ in reports) == count and all(failed == "0" for _, failed in reports)
    assert _scenario(cluster.env, "notification-states") == {"states": {"sent": count}, "attempts": [1]}
