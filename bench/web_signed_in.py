"""Signed-in pages under load (issue 19: fast for the people who work in it).

``bench/run web`` runs this after the anonymous part (``bench/run web-signed-in`` runs it alone).
On PostgreSQL with generated projects plus the demo content and the trade demo data, served by
gunicorn (4 workers × 2 threads) with the production settings, 20 concurrent clients on loopback,
each signed in as its own user (sessions written straight into the session store, the
Secretariat's second factor verified; no login form), spread over the roles: 4 Secretariat
officers, 9 national focal points (3 KZ, 3 UZ, KG, TJ, TM), 3 subcommittee members (economy,
social-culture) and 4 partner-organisation editors. The demo has one user per role; the others
are made at set-up through ``serai.access.operations`` (create_user, grant_role), and the
subcommittee members and partner editors are named editors of five open projects each (their
subcommittee's, their organisation's) through ``serai.projects.operations.add_editor``.

Each client loops without pause over a mix, drawn with its own seed:

* 60 % reads of lists and details: the project list (a random page), the filtered list (random
  filters, sort and page), a project's page (a random project the user may see, most with a
  results framework), the API list (a random page) and detail, a member-state page, a meeting's
  page (one the user may see), the action tracker, a trade pair page (``/en/trade/KAZ/``...);
  30 % of these HTML reads are in Russian or Korean;
* 20 % the workspace (``/en/my/``) and the home page;
* 10 % searches (English, Russian and Korean terms);
* 10 % writes: the project edit form (GET), then its post with every field as the browser would
  send it, the summary set to a unique marker and the version read with the form; an edit
  conflict (someone saved in between) is an expected answer, not an error. Writers edit projects
  they may edit: focal points their country's, the Secretariat those and more, editors theirs.

Each server is warmed up (``BENCH_WARMUP`` s, default 10), then measured (``BENCH_SECONDS``,
default 30, in ``BENCH_ROUNDS`` segments, default 2). With ``--base COMMIT`` (default
``$BENCH_BASE``; ``bench/run web`` passes 9449a09, the starting point of issue 19) the same
workload, same seeds and same data also runs against that commit's tree (``git archive`` into a
temporary directory, its translations compiled, its ``src`` first on PYTHONPATH; same database,
settings and environment, its own static files): both servers are up at once and measured in turn,
base, now, now, base (ABBA), so a change in the shared machine's load hits both alike; the table
gives the ratio base p95 ÷ today's p95 per page kind. Printed per page kind and server: p50, p95,
requests, errors (5xx and failed connections), and the goal p95 < 150 ms met or missed; per server
the gunicorn workers' CPU per request (user + system, from /proc) and the first tracebacks of the
server log. Performance is measured, not asserted: the exit status is 0 either way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import SECRET_KEY, HttpClient, gunicorn_server, p50_p95, set_up, worker_pids  # noqa: E402
from soak import CONFLICT_TEXT, condense, cpu_seconds, edit_form, make_session, server_log_findings  # noqa: E402

N_PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "10"))
ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "2")))  # measured segments per server, interleaved
GOAL_MS = 150.0
WORKERS, THREADS = 4, 2
GZIP = {"Accept-Encoding": "gzip"}

# (username, role, scope): the demo's five logins first, then bench users with the same roles.
# A scope is a member state (ISO alpha-2), a body code, or ("org", k): the k-th organisation by
# number of participations (0 is the demo editor's own, Nazarbayev University).
USERS = [
    ("staff", "secretariat", None),
    ("fp-kz", "focal_point", "KZ"),
    ("fp-uz", "focal_point", "UZ"),
    ("econ", "subcommittee_member", "economy"),
    ("nu-editor", "org_editor", ("org", 0)),
    ("bench-sec-2", "secretariat", None),
    ("bench-fp-kz-2", "focal_point", "KZ"),
    ("bench-fp-kg", "focal_point", "KG"),
    ("bench-sc-social", "subcommittee_member", "social-culture"),
    ("bench-org-1", "org_editor", ("org", 1)),
    ("bench-sec-3", "secretariat", None),
    ("bench-fp-uz-2", "focal_point", "UZ"),
    ("bench-fp-tj", "focal_point", "TJ"),
    ("bench-org-2", "org_editor", ("org", 2)),
    ("bench-fp-tm", "focal_point", "TM"),
    ("bench-sec-4", "secretariat", None),
    ("bench-fp-kz-3", "focal_point", "KZ"),
    ("bench-fp-uz-3", "focal_point", "UZ"),
    ("bench-sc-economy-2", "subcommittee_member", "economy"),
    ("bench-org-3", "org_editor", ("org", 3)),
]
ROLE_NAMES = {
    "secretariat": "Secretariat",
    "focal_point": "focal point",
    "subcommittee_member": "subcommittee member",
    "org_editor": "partner editor",
}

# The mix, in percent of draws (a write is two requests: the form, then the post).
READS = {
    "project list": 7,
    "filtered list": 7,
    "project detail": 8,
    "API list": 6,
    "API detail": 6,
    "member-state page": 7,
    "meeting page": 6,
    "action tracker": 6,
    "trade pair page": 7,
}
MIX = {**READS, "workspace": 10, "home": 10, "search": 10, "write": 10}
KINDS = [*READS, "workspace", "home", "search", "write: form", "write: post"]
LANGUAGES = (["en", "ru", "ko"], [70, 15, 15])
SEARCHES = [
    ("en", "solar"),
    ("en", "water"),
    ("en", "digital health"),
    ("en", "Kazakhstan"),
    ("ru", "Солнечные"),
    ("ru", "энергетика"),
    ("ru", "образование"),
    ("ko", "태양광"),
    ("ko", "에너지"),
    ("ko", "교육"),
]
TRADE_PARTNERS = ["KAZ", "UZB", "KGZ", "TJK", "TKM"]
EDITED_PER_USER = 5  # open projects a subcommittee member or partner editor is named editor of
POOL_PER_COUNTRY = 8  # open projects of a country its focal points (and the Secretariat) edit


# --- set-up: users, their sessions, what each may see -------------------------------------------


def make_users(n_clients: int) -> list[tuple[str, str]]:
    """The bench logins (made once, through the access operations) with their roles; returns
    (username, role) per client."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from serai.access import operations as access_ops
    from serai.access.models import Role, RoleAssignment
    from serai.access.permissions import PROJECT_CLOSED
    from serai.core.audit import SystemActor
    from serai.orgs.models import Organisation
    from serai.projects import operations as project_ops
    from serai.projects.models import Project
    from serai.reference.models import Body, MemberState

    actor = SystemActor("bench web-signed-in")
    User = get_user_model()
    nu = (
        RoleAssignment.objects.filter(user__username="nu-editor", role=Role.ORG_EDITOR)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if nu is None:
        raise SystemExit("the demo login nu-editor is missing (serai loaddemo)")
    others = list(Organisation.objects.exclude(pk=nu).annotate(n=Count("participations")).order_by("-n", "pk")[:3])
    orgs = [Organisation.objects.get(pk=nu), *others]
    states = {s.iso2: s for s in MemberState.objects.all()}
    bodies = {b.code: b for b in Body.objects.all()}
    open_projects = Project.objects.exclude(status__in=PROJECT_CLOSED).order_by("id")
    out = []
    for i in range(n_clients):
        username, role, scope = USERS[i % len(USERS)]
        if i >= len(USERS):
            username = f"{username}-x{i // len(USERS)}" if username.startswith("bench-") else f"bench-{username}-x{i}"
        user = User.objects.filter(username=username).first()
        if user is None:
            if not username.startswith("bench-"):
                raise SystemExit(f"the demo login {username} is missing (serai loaddemo)")
            user = access_ops.create_user(actor, username, password=None, email=f"{username}@bench.serai.invalid")
        if isinstance(scope, tuple):
            target = orgs[scope[1]]
        elif role == "focal_point":
            target = states[scope]
        elif role == "subcommittee_member":
            target = bodies[scope]
        else:
            target = None
        access_ops.grant_role(actor, user, role, target)
        if role in ("org_editor", "subcommittee_member"):
            mine = (
                open_projects.filter(participations__organisation=target)
                if role == "org_editor"
                else open_projects.filter(subcommittee=target)
            )
            have = set(Project.objects.filter(editors=user).values_list("pk", flat=True))
            for project in mine.distinct()[:EDITED_PER_USER]:
                if project.pk not in have:
                    project_ops.add_editor(actor, project, user)
        out.append((username, role))
    return out


def prepare(users: list[tuple[str, str]]) -> dict:
    """Per user: projects it may see (most with results), list and API page counts, meetings it
    may see, the projects it edits; shared: the filters' values."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from serai.access.permissions import PROJECT_CLOSED
    from serai.core.paging import PER_PAGE
    from serai.orgs.models import Helix
    from serai.projects import queries
    from serai.projects.models import Project, Result, Scope, Status
    from serai.reference.models import Body, CooperationField, MemberState

    User = get_user_model()
    rng = random.Random(19)
    open_projects = Project.objects.exclude(status__in=PROJECT_CLOSED).order_by("id")
    country_pool = {
        s.iso2: list(
            open_projects.filter(country_links__member_state=s).values_list("pk", flat=True)[:POOL_PER_COUNTRY]
        )
        for s in MemberState.objects.all()
    }
    secretariat_pool = sorted({pk for pool in country_pool.values() for pk in pool})
    api_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    per_user = []
    for username, role in users:
        user = User.objects.get(username=username)
        visible = queries.projects(user)
        count = visible.count()
        with_results = list(
            Result.objects.filter(project__in=visible).values_list("project_id", flat=True).distinct().order_by()
        )
        pks = list(visible.values_list("pk", flat=True))
        sample = rng.sample(with_results, min(160, len(with_results))) + rng.sample(pks, min(40, len(pks)))
        if role == "secretariat":
            pool = secretariat_pool
        elif role == "focal_point":
            iso2 = user.serai_roles.filter(role=role).values_list("member_state__iso2", flat=True).first()
            pool = country_pool.get(iso2, [])
        else:
            pool = list(open_projects.filter(editors=user).values_list("pk", flat=True))
        per_user.append(
            {
                "username": username,
                "role": role,
                "projects": sample,
                "list_pages": max(1, math.ceil(count / PER_PAGE)),
                "api_pages": max(1, math.ceil(count / api_size)),
                "meetings": list(queries.meetings(user).values_list("pk", flat=True)),
                "pool": pool,
                "visible": count,
            }
        )
    filters = {
        "country": list(MemberState.objects.values_list("iso2", flat=True)),
        "field": list(CooperationField.objects.values_list("code", flat=True)),
        "subcommittee": list(Body.objects.filter(kind="subcommittee").values_list("code", flat=True)),
        "status": list(Status.values),
        "scope": list(Scope.values),
        "helix": list(Helix.values),
        "year": [str(y) for y in range(2018, 2029)],
    }
    return {
        "users": per_user,
        "filters": filters,
        "sorts": list(queries.SORTS),
        "states": list(MemberState.objects.values_list("iso2", flat=True)),
    }


def sessions_child(usernames: list[str]) -> None:
    """(In a child process with the server's code first on the path.) Print a session per user,
    written by that code's session store, as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    import serai

    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    sessions = {name: make_session(users[name]) for name in usernames}
    print(json.dumps({"serai": os.path.dirname(serai.__file__), "sessions": sessions}))


def server_env(src: str | None) -> dict[str, str]:
    env = {
        "SERAI_ENV": "production",
        "SERAI_SECRET_KEY": SECRET_KEY,
        "SERAI_ALLOWED_HOSTS": "127.0.0.1",
        "SERAI_SSL_REDIRECT": "0",
    }
    if src:
        env["PYTHONPATH"] = src + os.pathsep + os.environ.get("PYTHONPATH", "")
    return env


def sessions_for(usernames: list[str], src: str | None) -> tuple[str, dict[str, str]]:
    env = {**os.environ, **server_env(src)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), "--sessions", ",".join(usernames)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return out["serai"], out["sessions"]


def base_tree(commit: str) -> tuple[str, str]:
    """``commit``'s tree in a temporary directory (git archive, no network), its translations
    compiled; returns (directory, short commit)."""
    root = os.environ.get("SERAI_ROOT") or str(HERE.parent)
    short = subprocess.run(
        ["git", "-C", root, "rev-parse", "--short", f"{commit}^{{commit}}"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    tmp = tempfile.mkdtemp(prefix=f"serai-base-{short}-")
    archive = subprocess.Popen(["git", "-C", root, "archive", commit], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", tmp], stdin=archive.stdout, check=True)
    archive.stdout.close()
    if archive.wait() != 0:
        raise SystemExit(f"git archive {commit} failed")
    for po in Path(tmp, "src").rglob("locale/*/LC_MESSAGES/*.po"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return tmp, short


# --- the clients ---------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter = Counter()  # kind -> 5xx and failed connections (measured period)
        self.failed: Counter = Counter()  # kind -> failed connections (measured period)
        self.warmup_errors = 0
        self.error_list: list[tuple[float, str, str, str]] = []  # (t, kind, path, what), all phases
        self.other: Counter = Counter()  # (kind, status, path pattern) of other answers than 200
        self.writes: Counter = Counter()  # outcome -> count (measured period)
        self.refusals: Counter = Counter()
        self.measured = 0  # requests started in the measured period
        self.completed = 0  # requests that ended in the measured period (for the CPU per request)
        self.retries = 0


def pick(kind: str, rng: random.Random, u: dict, data: dict) -> str:
    """A path of this kind for this user."""
    lang = rng.choices(*LANGUAGES)[0]
    if kind == "project list":
        return f"/{lang}/projects/?page={rng.randint(1, u['list_pages'])}"
    if kind == "filtered list":
        names = rng.sample(list(data["filters"]), rng.randint(1, 2))
        params = [(n, rng.choice(data["filters"][n])) for n in names]
        params += [("sort", rng.choice(data["sorts"])), ("page", str(rng.randint(1, 3)))]
        return f"/{lang}/projects/?{urlencode(params)}"
    if kind == "project detail":
        return f"/{lang}/projects/{rng.choice(u['projects'])}/"
    if kind == "API list":
        if rng.random() < 0.25:
            return f"/api/v1/projects/?country={rng.choice(data['states'])}"
        return f"/api/v1/projects/?page={rng.randint(1, u['api_pages'])}"
    if kind == "API detail":
        return f"/api/v1/projects/{rng.choice(u['projects'])}/"
    if kind == "member-state page":
        return f"/{lang}/countries/{rng.choice(data['states'])}/"
    if kind == "meeting page":
        return f"/{lang}/meetings/{rng.choice(u['meetings'])}/" if u["meetings"] else f"/{lang}/forum/"
    if kind == "action tracker":
        return f"/{lang}/actions/"
    if kind == "trade pair page":
        return f"/{lang}/trade/{rng.choice(TRADE_PARTNERS)}/"
    if kind == "workspace":
        return f"/{lang}/my/"
    if kind == "home":
        return f"/{lang}/"
    if kind == "search":
        lang, term = rng.choice(SEARCHES)
        return f"/{lang}/search/?{urlencode({'q': term})}"
    raise ValueError(kind)


def client(i: int, port: int, u: dict, jar: dict, data: dict, stats: Stats, clock: dict, state: dict) -> None:
    """One client's loop until the clock stops; ``state`` (its random draws, connection and write
    count) carries over from one segment of the run to the next."""
    rng, http, run_id = state["rng"], state["http"], state["run_id"]
    kinds, weights = list(MIX), list(MIX.values())
    seq = state["seq"]

    def get(kind: str, path: str):
        begun = time.monotonic()
        measured = clock["measure"] <= begun
        try:
            r = http.request("GET", path, headers=GZIP, jar=jar)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            with stats.lock:
                stats.error_list.append((begun - clock["start"], kind, path, f"{type(exc).__name__}: {exc}"))
                if measured:
                    stats.errors[kind] += 1
                    stats.failed[kind] += 1
                    stats.measured += 1
                else:
                    stats.warmup_errors += 1
            return None
        note(kind, path, r, begun, measured)
        return r

    def note(kind, path, r, begun, measured):
        with stats.lock:
            if clock["measure"] <= time.monotonic() <= clock["stop"]:
                stats.completed += 1
            if r.status >= 500:
                stats.error_list.append((begun - clock["start"], kind, path, f"HTTP {r.status}"))
                if not measured:
                    stats.warmup_errors += 1
            if not measured:
                return
            stats.measured += 1
            stats.latency[kind].append(r.seconds)
            if r.status >= 500:
                stats.errors[kind] += 1
            elif r.status != 200 and not (kind == "write: post" and r.status == 302):
                stats.other[(kind, r.status, re.sub(r"\d+", "N", path))] += 1

    while time.monotonic() < clock["stop"]:
        kind = rng.choices(kinds, weights)[0]
        if kind != "write":
            get(kind, pick(kind, rng, u, data))
            continue
        if not u["pool"]:  # nothing this user may edit (not expected with the bench data)
            get("workspace", f"/en/my/?nothing-to-edit={i}")
            continue
        pk = rng.choice(u["pool"])
        path = f"/en/projects/{pk}/edit/"
        r = get("write: form", path)
        if r is None or r.status != 200:
            continue
        fields = edit_form(r.text())
        if fields is None:
            with stats.lock:
                stats.refusals["edit form not found on the page"] += 1
            continue
        seq += 1
        text = f"Load-test summary [web-signed-in {run_id} {i}-{seq}]"
        fields = [(k, text if k == "summary_0" else v) for k, v in fields]
        headers = {
            **GZIP,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
        begun = time.monotonic()
        measured = clock["measure"] <= begun
        try:
            p = http.request("POST", path, body=urlencode(fields).encode(), headers=headers, jar=jar)
        except Exception as exc:  # noqa: BLE001
            with stats.lock:
                stats.error_list.append((begun - clock["start"], "write: post", path, f"{type(exc).__name__}: {exc}"))
                if measured:
                    stats.errors["write: post"] += 1
                    stats.failed["write: post"] += 1
                    stats.measured += 1
                    stats.writes["outcome unknown"] += 1
                else:
                    stats.warmup_errors += 1
            continue
        note("write: post", path, p, begun, measured)
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
                    stats.refusals[why] += 1
        if measured:
            with stats.lock:
                stats.writes[outcome] += 1
    state["seq"] = seq


def smoke(port: int, data: dict, jars: list[dict]) -> list[str]:
    """Every read kind once per role (its first user) before the clock starts: what does not
    answer 200, or answers without the user signed in; then a warming pass."""
    http = HttpClient(port)
    rng = random.Random(0)
    broken, seen = [], set()
    for u, jar in zip(data["users"], jars, strict=True):
        if u["role"] in seen:
            continue
        seen.add(u["role"])
        for kind in [*READS, "workspace", "home", "search"]:
            path = pick(kind, rng, u, data)
            r = http.request("GET", path, headers=GZIP, jar=jar)
            if r.status != 200:
                broken.append(f"{path} as {u['username']}: HTTP {r.status} {r.headers.get('Location') or ''}")
            elif not path.startswith("/api/") and f"({u['username']})" not in r.text():
                broken.append(f"{path} as {u['username']}: not signed in?")
    http.close()

    # then every read kind on WORKERS × THREADS connections at once, so that each worker has
    # rendered each kind (and loaded what it keeps, e.g. the trade store) before the clock starts
    def warm(k: int) -> None:
        conn, u, jar = HttpClient(port), data["users"][k % len(jars)], jars[k % len(jars)]
        for kind in [*READS, "workspace", "home", "search"]:
            path = pick(kind, random.Random(k), u, data)
            try:
                r = conn.request("GET", path, headers=GZIP, jar=jar)
            except Exception as exc:  # noqa: BLE001 - reported with the checks above
                broken.append(f"warming pass: {path} as {u['username']}: {type(exc).__name__}: {exc}")
                continue
            if r.status >= 500:
                broken.append(f"warming pass: {path} as {u['username']}: HTTP {r.status}")
        conn.close()

    threads = [threading.Thread(target=warm, args=(k,)) for k in range(WORKERS * THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return broken


def start_servers(stack: contextlib.ExitStack, specs: list[tuple[str, str | None]], data: dict, run_id: str) -> list:
    """Each server (label, src: an older checkout's ``src`` or None for today's code) started,
    with its own sessions (written by its code), static files and log, and checked once."""
    usernames = [u["username"] for u in data["users"]]
    runs = []
    for label, src in specs:
        code, sessions = sessions_for(usernames, src)
        print(f"\n[{label}] serai from {code}; {len(sessions)} sessions written by that code", flush=True)
        log_dir = tempfile.mkdtemp(prefix="serai-web-signed-in-", dir=os.environ.get("SERAI_VAR_DIR"))
        extra = {"SERAI_STATIC_ROOT": os.path.join(log_dir, "static")}  # each its own manifest
        if src:
            extra["PYTHONPATH"] = server_env(src)["PYTHONPATH"]
        server = stack.enter_context(
            gunicorn_server(workers=WORKERS, threads=THREADS, log_dir=log_dir, extra_env=extra)
        )
        jars = [{"sessionid": sessions[name]} for name in usernames]
        broken = smoke(server.port, data, jars)
        if broken:
            print(f"[{label}] answers before the run (kept in the mix):\n  " + "\n  ".join(broken), flush=True)
        states = [
            {"rng": random.Random(1000 + i), "http": HttpClient(server.port), "seq": 0, "run_id": f"{run_id}-{label}"}
            for i in range(len(usernames))
        ]  # the same seeds against every server
        runs.append(
            {
                "label": label,
                "stats": Stats(),
                "cpu": 0.0,
                "load": [],
                "log_dir": log_dir,
                "port": server.port,
                "master": server.pid,
                "jars": jars,
                "states": states,
                "warm": False,
            }
        )
    return runs


def segment(run: dict, seconds: float, data: dict) -> None:
    """The 20 clients against one server for ``seconds`` measured (after the warm-up, the first
    time)."""
    stats = run["stats"]
    warmup = 0.0 if run["warm"] else WARMUP
    run["warm"] = True
    start = time.monotonic()
    clock = {"start": start, "measure": start + warmup, "stop": start + warmup + seconds}
    threads = [
        threading.Thread(
            target=client,
            args=(i, run["port"], u, run["jars"][i], data, stats, clock, run["states"][i]),
            daemon=True,
        )
        for i, u in enumerate(data["users"])
    ]
    for t in threads:
        t.start()
    time.sleep(max(0.0, clock["measure"] - time.monotonic()))
    cpu_start = cpu_seconds(worker_pids(run["master"]))
    time.sleep(max(0.0, clock["stop"] - time.monotonic()))
    run["cpu"] += cpu_seconds(worker_pids(run["master"])) - cpu_start
    run["load"].append(os.getloadavg()[0])
    for t in threads:
        t.join(timeout=300)
    print(f"  [{run['label']}] {seconds:.0f} s measured, load average {run['load'][-1]:.2f}", flush=True)


def run_all(specs: list[tuple[str, str | None]], data: dict, run_id: str) -> tuple[list[dict], list[str]]:
    """Both servers up at once; ROUNDS rounds in the order A B, then B A (ABBA...), each server
    measured SECONDS in all."""
    with contextlib.ExitStack() as stack:
        runs = start_servers(stack, specs, data, run_id)
        order = []
        for r in range(ROUNDS):
            order += runs if r % 2 == 0 else runs[::-1]
        print(f"\nmeasuring: {', '.join(run['label'] for run in order)}", flush=True)
        for run in order:
            segment(run, SECONDS / ROUNDS, data)
        for run in runs:
            for state in run["states"]:
                state["http"].close()
                run["stats"].retries += state["http"].retries
    for run in runs:
        run["findings"] = server_log_findings(run["log_dir"])
    return runs, [run["label"] for run in order]


# --- report --------------------------------------------------------------------------------------


def summary(run: dict, kind: str) -> dict:
    stats = run["stats"]
    lat = stats.latency.get(kind, [])
    p50, p95 = p50_p95(lat)
    return {"p50": p50, "p95": p95, "n": len(lat) + stats.failed[kind], "errors": stats.errors[kind]}


def report(runs: list[dict], order: list[str], n_projects: int) -> None:
    now = runs[-1]
    base = runs[0] if len(runs) > 1 else None
    head = f"{'page kind':18} {'p50 ms':>7} {'p95 ms':>7} {'req':>6} {'err':>4}"
    if base:
        head += f" | {base['label'] + ' p50':>16} {'p95':>7} {'req':>6} {'err':>4} | {'base/now p95':>12}"
    head += "  p95 < 150 ms"
    print("\n" + head)
    for kind in KINDS:
        s = summary(now, kind)
        line = f"{kind:18} {s['p50']:7.0f} {s['p95']:7.0f} {s['n']:6d} {s['errors']:4d}"
        if base:
            b = summary(base, kind)
            ratio = b["p95"] / s["p95"] if s["n"] and b["n"] else float("nan")
            line += f" | {b['p50']:16.0f} {b['p95']:7.0f} {b['n']:6d} {b['errors']:4d} | "
            line += f"{ratio:11.1f}×" if ratio == ratio else f"{'—':>12}"
        line += f"  {('met' if s['p95'] < GOAL_MS else 'missed') if s['n'] else 'no requests'}"
        print(line.replace(" nan", "   —"))
    for run in runs:
        stats = run["stats"]
        elapsed = SECONDS
        w = stats.writes
        errors = sum(stats.errors.values())
        print(
            f"\n[{run['label']}] {stats.measured} requests in {elapsed:.0f} s ({stats.measured / elapsed:.1f}/s); "
            f"errors (5xx, failed connections): {errors} measured, {stats.warmup_errors} in the warm-up; "
            f"gunicorn workers' CPU {run['cpu']:.1f} s for the {stats.completed} answers of the measured period = "
            f"{run['cpu'] / max(1, stats.completed) * 1000:.1f} ms per request; "
            f"load average at the end of each segment {', '.join(f'{x:.2f}' for x in run['load'])} "
            f"({os.cpu_count()} cores, shared)"
        )
        print(
            f"[{run['label']}] writes posted: saved {w['saved']}, edit conflicts {w['conflict']} (expected), "
            f"refused {w['refused']}, outcome unknown {w['outcome unknown']}; GETs retried on a closed "
            f"keep-alive connection: {stats.retries}"
        )
        for why, n in stats.refusals.most_common(5):
            print(f"  refused: {why} × {n}")
        if stats.other:
            print(f"[{run['label']}] other answers than 200 (not errors):")
            for (kind, status, path), n in stats.other.most_common(10):
                print(f"  {kind}: HTTP {status} {path} × {n}")
        if stats.error_list:
            print(f"[{run['label']}] first errors seen by the clients:")
            for t, kind, path, what in stats.error_list[:10]:
                print(f"  {t:6.1f} s {kind}: {path} — {what}")
        if run["findings"]:
            print(f"[{run['label']}] server log ({run['log_dir']}/server.err): distinct errors")
            for headline, n, text in run["findings"][:5]:
                print(f"--- × {n}: {headline}\n{condense(text)}")
    print(
        f"\n{n_projects} generated projects + demo content + trade demo data; {len(KINDS)} page kinds; "
        f"gunicorn {WORKERS} workers × {THREADS} threads, production settings, PostgreSQL, loopback, gzip; "
        f"each server: {WARMUP:.0f} s warm-up, then {SECONDS:.0f} s measured in {ROUNDS} segment(s), both servers up, "
        f"in the order {', '.join(order)} (same seeds, same database: each server's saved edits are seen by the "
        "other); "
        "req = requests in the measured period; err = 5xx and failed connections; "
        + ("ratio = base p95 ÷ today's p95" if base else "no base run")
    )
    total = sum(sum(r["stats"].errors.values()) + r["stats"].warmup_errors for r in runs)
    worst = max((summary(now, k)["p95"] for k in KINDS if summary(now, k)["n"]), default=float("nan"))
    missed = [k for k in KINDS if not (summary(now, k)["n"] and summary(now, k)["p95"] < GOAL_MS)]
    print(
        f"goal (today's code): p95 < 150 ms on every page kind: {'met' if not missed else 'missed'} "
        f"(highest p95 {worst:.0f} ms{'; missed on ' + ', '.join(missed) if missed else ''}); "
        f"errors: {sum(now['stats'].errors.values()) + now['stats'].warmup_errors} "
        f"({'met' if not sum(now['stats'].errors.values()) + now['stats'].warmup_errors else 'missed'}); "
        f"errors in all runs: {total}"
    )
    sys.stdout.flush()


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", help=argparse.SUPPRESS)  # internal: the child that writes sessions
    parser.add_argument(
        "--base",
        default=os.environ.get("BENCH_BASE", ""),
        help="an older commit to measure first, for the ratio (default $BENCH_BASE; empty: none)",
    )
    parser.add_argument("--skip-setup", action="store_true", help="the database is set up already (bench/web.py)")
    parser.add_argument("--clients", type=int, default=len(USERS))
    args = parser.parse_args()
    if args.sessions:
        sessions_child(args.sessions.split(","))
        return

    t0 = time.perf_counter()
    if args.skip_setup:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
        import django

        django.setup()
    else:
        set_up(N_PROJECTS, trade=True)
    users = make_users(args.clients)
    data = prepare(users)
    from django.db import connection

    connection.close()
    by_role = Counter(ROLE_NAMES[role] for _u, role in users)
    print(
        f"\nsigned-in load: {len(users)} clients, one user each ("
        + ", ".join(f"{n} {r}" for r, n in by_role.items())
        + f"); set-up in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    for u in data["users"]:
        print(
            f"  {u['username']:20} {ROLE_NAMES[u['role']]:20} sees {u['visible']:6d} projects, "
            f"{len(u['meetings']):3d} meetings; edits a pool of {len(u['pool'])}",
            flush=True,
        )

    run_id = f"{int(time.time()):x}"
    specs: list[tuple[str, str | None]] = []
    tmp = None
    try:
        if args.base:
            tmp, short = base_tree(args.base)
            print(f"\nbase: commit {short} ({args.base}) unpacked in {tmp}", flush=True)
            specs.append((f"base {short}", os.path.join(tmp, "src")))
        specs.append(("now", None))
        runs, order = run_all(specs, data, run_id)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    report(runs, order, N_PROJECTS)


if __name__ == "__main__":
    main()
