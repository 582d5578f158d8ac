"""Server CPU per signed-in render (issue 19: fast for the people who work in it).

For each page kind, as a signed-in national focal point (Kazakhstan) and as the Secretariat (with
its second factor verified), the CPU time this process spends on one render through the whole
middleware stack (Django's test client, production settings: DEBUG off), the median of
``BENCH_RENDERS`` renders after two warm-up renders, and the SQL queries of one render. Signed-in
pages never come from the public page cache; what Serai keeps between requests for them
(per-object fragments, maintained aggregates) is warm after the warm-up, as on a working server.
``--cold`` also clears the cache before every render.

Run it against another checkout (``--src DIR``: that checkout's ``src``) to print the ratio of
today's code to an older commit on the same data in the same run: ``bench/run render`` does that
with the commit named in ``BENCH_RENDER_BASE``. Goals: at most 10 ms per list or detail render and
15 ms for the home page.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RENDERS = int(os.environ.get("BENCH_RENDERS", "30"))
GOAL_MS = {"home": 15.0}
GOAL_DEFAULT_MS = 10.0


def page_kinds() -> dict[str, str]:
    """Page kind → path, on the bench data (the demo content and the generated projects)."""
    from serai.governance.models import Meeting
    from serai.projects.models import Project

    detail = Project.objects.filter(code="DEMO-018").values_list("pk", flat=True).first()
    meeting = Meeting.objects.filter(status="held").order_by("-year").values_list("pk", flat=True).first()
    return {
        "project list": "/en/projects/",
        "filtered list": "/en/projects/?country=UZ&field=energy&sort=-budget",
        "search": "/en/search/?q=solar",
        "project detail (results)": f"/en/projects/{detail}/",
        "API list": "/api/v1/projects/",
        "API detail": f"/api/v1/projects/{detail}/",
        "home": "/en/",
        "member-state page": "/en/countries/KZ/",
        "meeting page": f"/en/meetings/{meeting}/",
        "action tracker": "/en/actions/",
        "workspace": "/en/my/",
        "trade pair page": "/en/trade/KAZ/",
        "project list (ru)": "/ru/projects/",
        "home (ko)": "/ko/",
    }


def client_for(username: str):
    """A test client signed in as ``username``; the Secretariat's second factor is verified (a
    TOTP device is made once for the bench)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=username)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and not (user.is_staff or user.is_superuser or username == "staff"):
        return client  # no second factor: none needed
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def measure(cold: bool) -> dict[str, dict[str, dict[str, float]]]:
    from django.core.cache import cache
    from django.db import connection

    roles = {"focal point": "fp-kz", "Secretariat": "staff"}
    out: dict[str, dict[str, dict[str, float]]] = {}
    for role, username in roles.items():
        client = client_for(username)
        for kind, path in page_kinds().items():
            for _ in range(2):
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{role} {path}: HTTP {response.status_code}")
            executed: list[str] = []

            # counted with a wrapper: Django empties its own query log when a request starts
            def counted(execute, sql, *rest, executed=executed):
                executed.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(counted):
                client.get(path)
            cpu = []
            for _ in range(RENDERS):
                if cold:
                    cache.clear()
                started = time.process_time()
                client.get(path)
                cpu.append((time.process_time() - started) * 1000)
            out.setdefault(kind, {})[role] = {
                "cpu_ms": statistics.median(cpu),
                "queries": len(executed),
                "kb": len(response.content) / 1024,
            }
    return out


def run_child(src: str | None, cold: bool) -> dict:
    """This script in a fresh interpreter with ``src`` first on the path."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    args = [sys.executable, str(Path(__file__)), "--json"] + (["--cold"] if cold else [])
    done = subprocess.run(args, env=env, check=True, stdout=subprocess.PIPE, text=True, cwd=src or None)
    return json.loads(done.stdout.strip().splitlines()[-1])


def unpack(commit: str) -> str:
    """``commit``'s tree in a temporary directory (no network), its translations compiled; its src."""
    import tempfile

    root = Path(__file__).resolve().parent.parent
    target = tempfile.mkdtemp(prefix=f"serai-base-{commit}-")
    archive = subprocess.run(["git", "-C", str(root), "archive", commit], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", target], input=archive.stdout, check=True)
    src = str(Path(target, "src"))
    subprocess.run(
        [sys.executable, "-m", "django", "compilemessages", "-v0"],
        cwd=Path(src, "serai"),
        env={**os.environ, "PYTHONPATH": src},
        check=True,
        capture_output=True,
    )
    return src


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true", help="measure in this process, print JSON")
    parser.add_argument("--cold", action="store_true", help="clear the cache before every render")
    parser.add_argument("--src", help="an older checkout's src directory to compare with")
    parser.add_argument("--label", default="base", help="the older checkout's name in the table")
    parser.add_argument("--base", help="a commit to compare with: unpacked (git archive) into a temporary directory")
    parser.add_argument("--set-up", type=int, metavar="N", help="first migrate and load the demo, N projects, trade")
    args = parser.parse_args()
    if args.json:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
        import django

        django.setup()
        print(json.dumps(measure(args.cold)))
        return

    os.environ.update(SERAI_ENV="production", SERAI_ALLOWED_HOSTS="localhost,127.0.0.1", SERAI_SSL_REDIRECT="0")
    if args.set_up:
        sys.path.insert(0, str(HERE))
        from common import set_up

        set_up(args.set_up, trade=True)
        subprocess.run([sys.executable, "-m", "serai", "collectstatic", "--noinput", "-v0"], check=True)
    src, label = args.src, args.label
    if args.base and not src:
        src, label = unpack(args.base), args.base
    base = run_child(src, args.cold) if src else None  # the older code first, then today's
    now = run_child(None, args.cold)
    args.label = label
    roles = ("focal point", "Secretariat")
    head = f"{'page kind':26}" + "".join(f" {r + ' ms':>16} {'q':>4}" for r in roles)
    if base:
        head += "".join(f" {args.label + ' ' + r[:3] + ' ms':>18} {'ratio':>6}" for r in roles)
    head += "  goal"
    print(head)
    for kind, by_role in now.items():
        goal = GOAL_MS.get(kind.split(" (")[0], GOAL_DEFAULT_MS)
        line = f"{kind:26}" + "".join(f" {by_role[r]['cpu_ms']:16.1f} {by_role[r]['queries']:4d}" for r in roles)
        if base:
            for r in roles:
                old = base.get(kind, {}).get(r)
                line += (
                    f" {old['cpu_ms']:18.1f} {old['cpu_ms'] / by_role[r]['cpu_ms']:5.1f}×"
                    if old
                    else f" {'—':>18} {'':6}"
                )
        worst = max(by_role[r]["cpu_ms"] for r in roles)
        line += f"  ≤ {goal:.0f} ms: {'met' if worst <= goal else 'missed'}"
        print(line, flush=True)
    print(
        f"\nmedian CPU of {RENDERS} renders in one process (time.process_time, the test client through every "
        f"middleware, DEBUG off){', cache cleared before each' if args.cold else ', fragments warm'}; q = SQL "
        "queries per render; ratio = the older commit's CPU ÷ today's"
    )


if __name__ == "__main__":
    main()
