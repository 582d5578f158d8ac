"""Soak test (issue 13): a mixed workload for minutes on end, production settings, PostgreSQL.

``bench/run soak [--minutes M]`` (default 10). On PostgreSQL with generated projects plus the
demo content and the trade demo data, served by gunicorn with the production settings (as
bench/web), 20 concurrent clients on loopback each loop, for the whole duration, over a mix of

* anonymous pages (home, project list and detail, country, search, trade),
* signed-in pages as the demo's Secretariat officer, two focal points, a subcommittee member and
  a partner-organisation editor (sessions made directly in the session store, with a verified
  two-factor device where django-otp is installed: no login form, so no login throttling),
* API reads (``/api/v1/projects/`` list and detail),
* form writes with version checks (a focal point or the Secretariat opens a project's edit form,
  keeps every field as the browser would, sets the summary to a unique marker and posts it
  with the version it read; an edit conflict is an expected answer, not an error),
* exports (project list as CSV and XLSX, the action tracker as XLSX).

It prints, per kind, the requests, status codes and p50/p95 latency; the server errors (any 5xx
and any failed connection) with the tracebacks from the server's log; the lost and duplicated
writes, checked afterwards against the audit log (every write the client saw succeed must be
there exactly once, and no write it saw refused); and the memory (VmRSS) of each gunicorn worker
after the warm-up and at the end. Goals: 0 server errors, 0 lost or duplicated writes, no worker
growing by more than 10 %. Performance is measured, not asserted: the exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from html.parser import HTMLParser
from urllib.parse import urlencode

from common import HttpClient, gunicorn_server, p50_p95, rss_kb, set_up, worker_pids

WORKERS, THREADS = 4, 2
WARMUP_S = 30.0  # memory is first sampled after 30 s of load and at least WARMUP_REQUESTS requests
WARMUP_REQUESTS = 400  # about 100 per worker: every kind of page rendered in each (on a busy machine 30 s is not)
MEMORY_GOAL = 0.10
MAX_REQUESTS = 500_000  # a bound on the whole run, far above what 10 minutes can reach
# Shares of the mix (a write is two requests: the form, then the post).
MIX = {"anonymous": 34, "signed-in": 26, "api": 20, "write": 14, "export": 6}
KINDS = ["anonymous", "signed-in", "api", "write: form", "write: post", "export"]
ROLES = {
    "staff": "Secretariat",
    "fp-kz": "focal point KZ",
    "fp-uz": "focal point UZ",
    "econ": "subcommittee member",
    "nu-editor": "partner editor",
}
WRITERS = ("staff", "fp-kz", "fp-uz")
CONFLICT_TEXT = "changed by someone else"
GZIP = {"Accept-Encoding": "gzip"}


# --- data the clients need -----------------------------------------------------------------------


def make_session(user) -> str:
    """A signed-in session for ``user`` written straight into the session store, as Django's
    test client's force_login does, plus a verified TOTP device when two-factor is installed."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    backends = settings.AUTHENTICATION_BACKENDS
    backend = "django.contrib.auth.backends.ModelBackend"
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend if backend in backends else backends[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if apps.is_installed("django_otp"):
        from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

        device = next(iter(devices_for_user(user, confirmed=True)), None)
        if device is None and apps.is_installed("django_otp.plugins.otp_totp"):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="soak benchmark", confirmed=True)
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def prepare(n_clients: int) -> dict:
    """Sessions for every client × role, the pages of each kind, and the write pool."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from serai.access.permissions import PROJECT_CLOSED
    from serai.projects.models import PUBLIC_STATUSES, Project

    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    missing = set(ROLES) - set(users)
    if missing:
        raise SystemExit(f"demo logins missing: {', '.join(sorted(missing))}")
    sessions = [{role: make_session(users[role]) for role in ROLES} for _ in range(n_clients)]

    public = list(Project.objects.filter(status__in=PUBLIC_STATUSES).order_by("id").values_list("pk", flat=True))
    rng = random.Random(13)
    public_sample = rng.sample(public, min(200, len(public)))
    open_projects = Project.objects.exclude(status__in=PROJECT_CLOSED).order_by("id")
    kz = list(open_projects.filter(countries__iso2="KZ").exclude(countries__iso2="UZ").values_list("pk", flat=True)[:5])
    uz = list(open_projects.filter(countries__iso2="UZ").exclude(countries__iso2="KZ").values_list("pk", flat=True)[:5])
    pool = {"staff": kz + uz, "fp-kz": kz, "fp-uz": uz}
    versions = dict(Project.objects.filter(pk__in=kz + uz).values_list("pk", "version"))
    pages_per_project = max(1, len(public) // settings.REST_FRAMEWORK["PAGE_SIZE"])

    anonymous = [
        "/en/",
        "/ko/",
        "/ru/",
        "/en/projects/",
        "/en/projects/?q=solar",
        "/ru/projects/?q=Солнечные",
        "/en/projects/?country=KZ&page={list_page}",
        "/en/projects/{public}/",
        "/ko/projects/{public}/",
        "/en/countries/KZ/",
        "/en/countries/UZ/",
        "/ru/countries/KG/",
        "/en/countries/TJ/",
        "/en/countries/TM/",
        "/en/search/?q=solar",
        "/ko/search/?q=태양광",
        "/en/search/?q=water",
        "/en/trade/",
        "/en/trade/KAZ/",
        "/ru/trade/UZB/",
    ]
    common_signed = [
        "/en/my/",
        "/en/my/notifications/",
        "/en/projects/",
        "/en/projects/?country=UZ&sort=-budget",
        "/en/projects/{public}/",
        "/en/actions/",
        "/en/countries/KZ/",
        "/en/",
    ]
    signed = {role: list(common_signed) for role in ROLES}
    for role in WRITERS:
        signed[role] += ["/en/projects/{own}/"]
    signed["staff"] += ["/en/audit/", "/en/iati/readiness/", "/en/iati/landscape/"]
    signed["fp-kz"] += ["/en/iati/landscape/"]
    api = [
        "/api/v1/projects/",
        "/api/v1/projects/?page={api_page}",
        "/api/v1/projects/?country=UZ",
        "/api/v1/projects/?q=solar",
        "/api/v1/projects/{public}/",
    ]
    exports = ["/en/projects/export.csv", "/en/projects/export.xlsx", "/en/projects/export.csv?country=KZ"]
    signed_exports = [*exports, "/en/actions/?format=xlsx", "/en/actions/?format=xlsx"]  # the tracker needs a login
    return {
        "sessions": sessions,
        "public": public_sample,
        "pool": pool,
        "versions": versions,
        "list_pages": max(1, len(public) // 20),
        "api_pages": pages_per_project,
        "anonymous": anonymous,
        "signed": signed,
        "api": api,
        "exports": exports,
        "signed_exports": signed_exports,
    }


def fill(path: str, rng: random.Random, data: dict, role: str | None = None) -> str:
    return (
        path.replace("{public}", str(rng.choice(data["public"])))
        .replace("{own}", str(rng.choice(data["pool"][role])) if role in data["pool"] else "")
        .replace("{list_page}", str(rng.randint(1, data["list_pages"])))
        .replace("{api_page}", str(rng.randint(1, data["api_pages"])))
    )


# --- the edit form, read as a browser would submit it ---------------------------------------------


class FormReader(HTMLParser):
    """The fields of each POST form on a page: text and hidden inputs, checked boxes, selected
    options (or a single select's first option), textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = [] if (a.get("method") or "").lower() == "post" else None
        if self._form is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((a["name"], a.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self._form.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((value if value is not None else text.strip(), selected))
            self._option = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [v for v, sel in self._options if sel]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # the HTML parser keeps the newline that follows <textarea>; browsers drop it
            self._form.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def edit_form(html: str) -> list[tuple[str, str]] | None:
    reader = FormReader()
    reader.feed(html)
    return next((f for f in reader.forms if any(name == "version" for name, _v in f)), None)


# --- the clients ---------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, Counter] = defaultdict(Counter)
        self.failed: dict[str, Counter] = defaultdict(Counter)  # connection errors by exception name
        self.unexpected: Counter = Counter()  # (kind, status, path) of 4xx / unexpected answers
        self.server_errors: list[tuple[float, str, str, str]] = []  # (t, kind, path, what)
        self.by_path: dict[str, list[float]] = defaultdict(list)  # path with numbers as N -> latencies
        self.writes: dict[str, tuple[str, int]] = {}  # marker -> (outcome, project)
        self.write_problems: Counter = Counter()
        self.total = 0


def client(i: int, port: int, data: dict, stats: Stats, run_id: str, started: float, stop_at: float) -> None:
    rng = random.Random(1000 + i)
    http = HttpClient(port)
    jars = {role: {"sessionid": key} for role, key in data["sessions"][i].items()}
    seq = 0
    kinds, weights = list(MIX), list(MIX.values())

    def get(kind: str, path: str, jar: dict | None):
        try:
            r = http.request("GET", path, headers=GZIP, jar=jar)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            with stats.lock:
                stats.failed[kind][type(exc).__name__] += 1
                stats.server_errors.append((time.monotonic() - started, kind, path, f"{type(exc).__name__}: {exc}"))
            return None
        with stats.lock:
            stats.latency[kind].append(r.seconds)
            stats.by_path[re.sub(r"\d+", "N", path)].append(r.seconds)
            stats.status[kind][r.status] += 1
            if r.status >= 500:
                stats.server_errors.append((time.monotonic() - started, kind, path, f"HTTP {r.status}"))
            elif r.status != 200:
                stats.unexpected[(kind, r.status, re.sub(r"\d+", "N", path))] += 1
        return r

    while time.monotonic() < stop_at:
        with stats.lock:
            if stats.total >= MAX_REQUESTS:
                break
            stats.total += 1
        kind = rng.choices(kinds, weights)[0]
        if kind == "anonymous":
            get(kind, fill(rng.choice(data["anonymous"]), rng, data), None)
        elif kind == "signed-in":
            role = rng.choice(list(ROLES))
            get(kind, fill(rng.choice(data["signed"][role]), rng, data, role), jars[role])
        elif kind == "api":
            role = rng.choice([None, None, *ROLES])
            get(kind, fill(rng.choice(data["api"]), rng, data), jars[role] if role else None)
        elif kind == "export":
            role = rng.choice([None, *ROLES])
            get(kind, rng.choice(data["signed_exports"] if role else data["exports"]), jars[role] if role else None)
        else:
            role = rng.choice(WRITERS)
            pk = rng.choice(data["pool"][role])
            path = f"/en/projects/{pk}/edit/"
            r = get("write: form", path, jars[role])
            if r is None or r.status != 200:
                continue
            fields = edit_form(r.text())
            if fields is None:
                with stats.lock:
                    stats.write_problems["edit form not found on the page"] += 1
                continue
            seq += 1
            marker = f"{i}-{seq}"
            text = f"Soak-test summary [soak {run_id} {marker}]"
            fields = [(k, text if k == "summary_0" else v) for k, v in fields]
            body = urlencode(fields).encode()
            headers = {
                **GZIP,
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{port}",
                "Referer": f"http://127.0.0.1:{port}{path}",
            }
            try:
                p = http.request("POST", path, body=body, headers=headers, jar=jars[role])
            except Exception as exc:  # noqa: BLE001
                with stats.lock:
                    stats.failed["write: post"][type(exc).__name__] += 1
                    stats.server_errors.append(
                        (time.monotonic() - started, "write: post", path, f"{type(exc).__name__}: {exc}")
                    )
                    stats.writes[marker] = ("unknown", pk)
                continue
            if p.status == 302:
                outcome = "saved"
            elif p.status == 200 and CONFLICT_TEXT in p.text():
                outcome = "conflict"
            else:
                outcome = "refused"
                if p.status == 200:
                    errors = re.findall(r'role="alert">(.*?)</div>', p.text(), re.DOTALL)
                    why = re.sub(r"<[^>]+>|\s+", " ", " / ".join(errors)).strip()[:160] or "form re-shown"
                    with stats.lock:
                        stats.write_problems[f"refused: {why}"] += 1
            with stats.lock:
                stats.latency["write: post"].append(p.seconds)
                stats.by_path["POST /en/projects/N/edit/"].append(p.seconds)
                stats.status["write: post"][p.status] += 1
                stats.writes[marker] = (outcome, pk)
                if p.status >= 500:
                    stats.server_errors.append((time.monotonic() - started, "write: post", path, f"HTTP {p.status}"))
    http.close()
    with stats.lock:
        stats.failed["(keep-alive retries, not errors)"]["retried GET"] += http.retries


# --- checks after the run ------------------------------------------------------------------------


def audit_check(stats: Stats, data: dict, run_id: str, since) -> dict:
    """Every saved write exactly once in the audit log; no refused write there; versions agree."""
    from django.db import connection

    from serai.core.models import AuditEntry
    from serai.projects.models import Project

    connection.close()  # a fresh connection after the long run
    pattern = re.compile(rf"\[soak {re.escape(run_id)} (\d+-\d+)\]")
    found: Counter = Counter()
    per_project: Counter = Counter()
    other_actions: Counter = Counter()
    pool = set(data["versions"])
    entries = AuditEntry.objects.filter(
        at__gte=since, object_id__in=[str(p) for p in pool], content_type__model="project"
    )
    for object_id, action, changes in entries.values_list("object_id", "action", "changes").iterator():
        after = ((changes or {}).get("summary") or {}).get("after") or {}
        markers = pattern.findall(str(after))
        if action == "project.update" and markers:
            for m in markers:
                found[m] += 1
            per_project[int(object_id)] += 1
        elif action == "project.update" and not markers:
            other_actions["project.update without a soak marker"] += 1
        else:
            other_actions[action] += 1
    outcomes = Counter(o for o, _pk in stats.writes.values())
    lost = [m for m, (o, _pk) in stats.writes.items() if o == "saved" and found[m] == 0]
    duplicated = [m for m, n in found.items() if n > 1]
    phantom = [m for m, (o, _pk) in stats.writes.items() if o in ("conflict", "refused") and found[m] > 0]
    unknown_found = sum(1 for o, _pk in stats.writes.values() if o == "unknown")
    strangers = [m for m in found if m not in stats.writes]
    # each saved edit raises the version by one, and the project keeps the last saved marker
    mismatched = []
    for project in Project.objects.filter(pk__in=pool):
        gained = project.version - data["versions"][project.pk]
        if gained != per_project[project.pk]:
            mismatched.append(f"project {project.pk}: version +{gained}, audit {per_project[project.pk]}")
    return {
        "outcomes": outcomes,
        "audited": sum(found.values()),
        "lost": lost,
        "duplicated": duplicated,
        "phantom": phantom,
        "unknown": unknown_found,
        "strangers": strangers,
        "mismatched": mismatched,
        "other_actions": other_actions,
    }


def server_log_findings(log_dir: str) -> list[tuple[str, int, str]]:
    """(headline, count, first full text) of each distinct traceback or gunicorn error."""
    try:
        with open(os.path.join(log_dir, "server.err"), encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    found: dict[str, list] = {}
    chained = ("Traceback", "During handling", "The above exception")
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("Traceback"):
            j = i + 1
            while j < n:
                if lines[j].startswith(" ") or not lines[j].strip() or lines[j].startswith(chained):
                    j += 1
                elif j + 2 < n and not lines[j + 1].strip() and lines[j + 2].startswith(chained[1:]):
                    j += 3  # a chained exception: the traceback goes on
                else:
                    break
            j = min(j, n - 1)
            start = i - 1 if i and ("Internal Server Error" in lines[i - 1] or "[ERROR]" in lines[i - 1]) else i
            entry = found.setdefault(lines[j], [0, "\n".join(lines[start : j + 1])])
            entry[0] += 1
            i = j + 1
            continue
        next_is_traceback = i + 1 < n and lines[i + 1].startswith("Traceback")
        if not next_is_traceback and re.search(r"\[(CRITICAL|ERROR)\]|WORKER TIMEOUT|Internal Server Error", line):
            headline = re.sub(r"^\[[^\]]*\] \[\d+\] ", "", line)
            headline = re.sub(r"\(pid:\d+\)", "(pid:N)", headline)
            entry = found.setdefault(headline, [0, line])
            entry[0] += 1
        i += 1
    return [(h, count, text) for h, (count, text) in found.items()]


def condense(text: str) -> str:
    """A traceback with the library frames dropped: the request line, Serai's own frames, the last
    two frames and the exception."""
    lines = text.splitlines()
    frames: list[list[str]] = []
    out: list[str] = []
    for line in lines:
        if line.startswith('  File "'):
            frames.append([line])
        elif frames and line.startswith("    "):
            if line.strip().strip("^~ "):
                frames[-1].append(line)
        else:
            for i, frame in enumerate(frames):
                if "site-packages" not in frame[0] and "/lib/python3" not in frame[0] or i >= len(frames) - 2:
                    out.extend(frame)
                elif not out or out[-1] != "  ...":
                    out.append("  ...")
            frames = []
            out.append(line)
    return "\n".join(out)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def memory(master: int) -> dict[int, int]:
    return {pid: kb for pid in worker_pids(master) if (kb := rss_kb(pid)) is not None}


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="duration of the load (default 10)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--projects",
        type=int,
        default=int(os.environ.get("BENCH_PROJECTS", "2000")),
        help="generated projects besides the demo content (default 2000)",
    )
    args = parser.parse_args()
    seconds = args.minutes * 60
    warmup_cap = min(max(WARMUP_S, seconds / 3), seconds / 2)

    t0 = time.perf_counter()
    # the trade pages need data: the real HS2 panel and one smaller synthetic bilateral year
    set_up(args.projects, trade=True, trade_args=("--years", "2020", "--rows", "300000"))
    data = prepare(args.clients)
    print(
        f"set-up done in {time.perf_counter() - t0:.0f} s; {len(data['pool']['staff'])} projects in the write pool, "
        f"{len(data['sessions']) * len(ROLES)} signed-in sessions",
        flush=True,
    )

    log_dir = tempfile.mkdtemp(prefix="serai-soak-", dir=os.environ.get("SERAI_VAR_DIR"))
    run_id = f"{int(time.time()):x}"
    from django.utils import timezone

    since = timezone.now()
    stats = Stats()
    samples: list[tuple[float, dict[int, int]]] = []
    with gunicorn_server(workers=WORKERS, threads=THREADS, log_dir=log_dir) as server:
        port = server.port
        master = server.pid
        # Check every page once per identity before the clock starts (and warm the caches).
        smoke = HttpClient(port)
        broken = []
        checks = [(p, None) for p in data["anonymous"] + data["api"] + data["exports"]]
        checks += [(p, role) for role, paths in data["signed"].items() for p in paths]
        checks += [("/en/actions/?format=xlsx", role) for role in ROLES]
        rng = random.Random(0)
        for path, role in checks:
            jar = {"sessionid": data["sessions"][0][role]} if role else None
            url = fill(path, rng, data, role)
            r = smoke.request("GET", url, headers=GZIP, jar=jar)
            if r.status != 200:
                broken.append(f"{url} as {role or 'anonymous'}: HTTP {r.status} {r.headers.get('Location') or ''}")
            elif (
                role
                and f"Sign out ({role})" not in r.text()
                and not path.startswith(("/api/", "/en/projects/export", "/en/actions/?format"))
            ):
                broken.append(f"{url} as {role}: not signed in")
        smoke.close()
        if broken:
            print(
                "pages that did not answer 200 before the run (kept in the mix, counted below):\n  "
                + "\n  ".join(broken),
                flush=True,
            )

        load_start = os.getloadavg()
        print(
            f"\nrunning {args.clients} clients for {args.minutes:g} min against gunicorn {WORKERS} workers × "
            f"{THREADS} threads (load average before: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f})",
            flush=True,
        )
        cpu_start = cpu_seconds(worker_pids(master))
        started = time.monotonic()
        stop_at = started + seconds
        threads = [
            threading.Thread(target=client, args=(i, port, data, stats, run_id, started, stop_at), daemon=True)
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        next_sample = started + min(WARMUP_S, warmup_cap)
        while any(t.is_alive() for t in threads):
            now = time.monotonic()
            with stats.lock:
                warm = sum(len(v) for v in stats.latency.values()) >= WARMUP_REQUESTS or now - started >= warmup_cap
            if now >= next_sample and now < stop_at and (samples or warm):
                samples.append((now - started, memory(master)))
                total = sum(samples[-1][1].values()) / 1024
                with stats.lock:
                    done, errors = sum(len(v) for v in stats.latency.values()), len(stats.server_errors)
                print(
                    f"  {now - started:5.0f} s: {done} requests, {errors} server errors, workers {total:.0f} MB in all, "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
                next_sample = now + 60
            time.sleep(0.5)
        for t in threads:
            t.join(timeout=300)
        elapsed = time.monotonic() - started
        samples.append((elapsed, memory(master)))
        load_end = os.getloadavg()
        server_cpu = cpu_seconds(worker_pids(master)) - cpu_start
    findings = server_log_findings(log_dir)
    check = audit_check(stats, data, run_id, since)
    report(args, stats, samples, check, findings, elapsed, (load_start, load_end, server_cpu), log_dir)


def report(args, stats: Stats, samples, check, findings, elapsed, machine, log_dir) -> None:
    load_start, load_end, server_cpu = machine
    print(
        f"\n{'kind':14} {'requests':>9} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'5xx':>5} "
        f"{'conn err':>8}  status codes"
    )
    total = server_errors = 0
    for kind in KINDS:
        lat = stats.latency.get(kind, [])
        failed = sum(stats.failed[kind].values())
        n = len(lat) + failed
        total += n
        five = sum(c for s, c in stats.status[kind].items() if s >= 500)
        server_errors += five + failed
        p50, p95 = p50_p95(lat)
        codes = ", ".join(f"{s}: {c}" for s, c in sorted(stats.status[kind].items()))
        print(
            f"{kind:14} {n:9d} {n / elapsed:6.1f} {p50:8.0f} {p95:8.0f} {max(lat, default=0) * 1000:8.0f} {five:5d} "
            f"{failed:8d}  {codes}".replace(" nan", "   —")
        )
    print(f"{'all':14} {total:9d} {total / elapsed:6.1f}")
    retried = stats.failed["(keep-alive retries, not errors)"]["retried GET"]
    print(
        f"\n{args.clients} clients, {elapsed / 60:.1f} min, {args.projects} generated projects + demo content + trade data, "
        f"gunicorn {WORKERS} workers × {THREADS} threads, production settings, PostgreSQL, loopback; "
        f"GETs retried once on a keep-alive connection the server had closed: {retried}"
    )
    print(
        f"load average (1/5/15 min) before: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}; "
        f"after: {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} ({os.cpu_count()} cores, shared); "
        f"the gunicorn workers used {server_cpu:.0f} CPU-seconds, {server_cpu / elapsed:.2f} of a core on average"
    )
    slowest = sorted(
        ((p50_p95(lat), len(lat), path) for path, lat in stats.by_path.items() if len(lat) >= 5),
        reverse=True,
        key=lambda x: x[0][1],
    )[:8]
    print(
        "\nslowest addresses (p95; at least 5 requests): "
        + "; ".join(f"{path} {p95:.0f} ms (p50 {p50:.0f}, n={n})" for (p50, p95), n, path in slowest)
    )
    if stats.unexpected:
        print("\nother answers than 200 (not server errors):")
        for (kind, status, path), n in stats.unexpected.most_common(15):
            print(f"  {kind}: HTTP {status} {path} × {n}")

    o = check["outcomes"]
    print(
        f"\nwrites: {sum(o.values())} posted — saved {o['saved']}, edit conflicts {o['conflict']} (expected), "
        f"refused {o['refused']}, outcome unknown (connection failed) {o['unknown']}; "
        f"{check['audited']} soak edits in the audit log"
    )
    for why, n in stats.write_problems.most_common(5):
        print(f"  {why} × {n}")
    print(
        f"lost (saved, not in the audit log): {len(check['lost'])}; duplicated (in the log more than once): "
        f"{len(check['duplicated'])}; refused or conflicting but in the log: {len(check['phantom'])}; "
        f"in the log but never posted: {len(check['strangers'])}"
    )
    print(
        "version of each pool project raised exactly once per audited edit: "
        + ("yes" if not check["mismatched"] else "NO — " + "; ".join(check["mismatched"]))
    )
    if check["other_actions"]:
        print(
            "other audit entries on the pool projects during the run: "
            + ", ".join(f"{a} × {n}" for a, n in check["other_actions"].items())
        )

    first_t, first = samples[0]
    last_t, last = samples[-1]
    mid_t, mid = next(((t, m) for t, m in samples if t >= last_t / 2), samples[-1])
    print(
        f"\nworker memory (VmRSS, MB) at {first_t:.0f} s (after the warm-up) and at the end ({last_t:.0f} s); "
        f"the second half's growth from {mid_t:.0f} s tells a leak from warming up:"
    )
    worst = 0.0
    for pid in sorted(set(first) | set(last)):
        a, b = first.get(pid), last.get(pid)
        if a and b:
            growth = (b - a) / a
            worst = max(worst, growth)
            flag = "  > 10 %" if growth > MEMORY_GOAL else ""
            half = f"{(b - mid[pid]) / mid[pid]:+.1%}" if mid.get(pid) and mid_t < last_t else "—"
            trend = " → ".join(f"{s[1][pid] / 1024:.0f}" for s in samples if pid in s[1])
            print(
                f"  worker {pid}: {a / 1024:.0f} → {b / 1024:.0f} ({growth:+.1%}){flag}; second half {half}; "
                f"samples: {trend}"
            )
        else:
            print(f"  worker {pid}: {'started' if a is None else 'gone'} during the run (restarted by gunicorn)")
            worst = float("inf")

    if findings:
        print(f"\nserver log ({log_dir}/server.err): distinct errors")
        for headline, n, text in findings:
            print(f"--- × {n}: {headline}\n{condense(text)}")
    if stats.server_errors:
        print("\nfirst server errors seen by the clients:")
        for t, kind, path, what in stats.server_errors[:10]:
            print(f"  {t:6.1f} s {kind}: {path} — {what}")

    lost_dup = len(check["lost"]) + len(check["duplicated"]) + len(check["phantom"])
    goals = [
        ("server errors (5xx and failed connections)", server_errors, server_errors == 0, "0"),
        ("lost or duplicated writes", lost_dup, lost_dup == 0 and not check["mismatched"], "0"),
        (
            "worst worker memory growth",
            f"{worst:+.1%}" if worst != float("inf") else "worker restarted",
            worst <= MEMORY_GOAL,
            "≤ 10 %",
        ),
    ]
    logged = sum(n for _h, n, _t in findings)
    goals.append(("errors in the server log (tracebacks, gunicorn errors)", logged, logged == 0, "0"))
    print("\ngoals:")
    for name, value, ok, goal in goals:
        print(f"  {'MET ' if ok else 'MISSED'}  {name}: {value} (goal {goal})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
