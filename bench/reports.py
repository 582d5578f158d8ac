"""Briefing-pack benchmark (issue 20): a 60-page session briefing pack for a Forum session with 200
projects in the pipeline, generated as the background job does (collect → charts and trade briefs →
WeasyPrint), in a fresh process per run.

Data: a throwaway SQLite database and var directory in a temporary folder; the Forum's reference
data; a planned session after a held one (30 decisions, 90 action items with updates); 200
pipeline projects across the six member states and the cooperation fields, ``--proposed`` of them
recommended with three appraisals and a trade-evidence snapshot each; 12 agenda items with 3
documents each; a work plan of 6 priority areas × 5 activities; a synthetic trade store (five years).

Figures per language: wall seconds of the whole generation, its parts, page count, peak resident
memory of the process (ru_maxrss, Django, matplotlib and WeasyPrint included) and, with
``--tracemalloc``, the peak of Python allocations. Goal: < 20 s and < 500 MB.

    bench/run reports [--proposed N] [--languages en,ko,ru] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 20
GOAL_MB = 500


def _django(tmp: str) -> None:
    os.environ["SERAI_VAR_DIR"] = tmp
    os.environ["SERAI_TRADE_DIR"] = str(Path(tmp) / "trade")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "serai.settings"
    import django

    django.setup()


def _t(en: str, ko: str, ru: str) -> dict:
    return {"values": {"en": en, "ko": ko, "ru": ru}, "source": "en"}


LOREM = (
    "The partners will share methods, train specialists and pilot the approach in two regions, "
    "with results reported to the subcommittee each year. "
)
LOREM_KO = "협력 기관은 방법을 공유하고 전문가를 양성하며 두 지역에서 시범 사업을 수행하고, 결과를 매년 분과위원회에 보고한다. "
LOREM_RU = (
    "Партнёры обменяются методами, подготовят специалистов и опробуют подход в двух регионах, "
    "ежегодно отчитываясь перед подкомитетом. "
)


def set_up(tmp: str, proposed: int) -> int:
    """Build the data set; the planned session's id."""
    _django(tmp)
    import datetime as dt
    import random

    from django.core.management import call_command

    from serai.core.audit import SystemActor
    from serai.governance.models import (
        ActionItem,
        ActionUpdate,
        AgendaItem,
        Decision,
        Meeting,
        MeetingDocument,
        PriorityArea,
        WorkPlan,
        WorkPlanActivity,
    )
    from serai.projects.models import Appraisal, Project, ProjectCountry, ProjectSector
    from serai.reference.models import Body, CooperationField, MemberState
    from serai.reference.operations import load_reference
    from serai.trade import codes, ingest, synth
    from serai.trade.store import TradeStore

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_reference(SystemActor("bench"), None)
    countries = [
        codes.Country(410, "KOR", "Korea"),
        codes.Country(398, "KAZ", "Kazakhstan"),
        codes.Country(417, "KGZ", "Kyrgyzstan"),
        codes.Country(762, "TJK", "Tajikistan"),
        codes.Country(795, "TKM", "Turkmenistan"),
        codes.Country(860, "UZB", "Uzbekistan"),
    ] + [codes.Country(100 + n, f"X{chr(65 + n // 26)}{chr(65 + n % 26)}", f"Other {n}") for n in range(34)]
    synth.generate(
        Path(tmp) / "csv",
        [2019, 2020, 2021, 2022, 2023],
        countries=countries,
        n_countries=40,
        n_products=600,
        rows=80_000,
        seed=7,
    )
    ingest.load(Path(tmp) / "csv", TradeStore(Path(tmp) / "trade"))

    rng = random.Random(20)
    forum = Body.objects.get(code="forum")
    subcommittees = list(Body.objects.filter(kind="subcommittee"))
    states = list(MemberState.objects.order_by("sort_order"))
    korea = next(s for s in states if s.iso2 == "KR")
    central_asia = [s for s in states if s.iso2 != "KR"]
    fields = list(CooperationField.objects.all())
    previous = Meeting.objects.create(body=forum, number=40, year=2040, status="held", start_date=dt.date(2040, 10, 1))
    meeting = Meeting.objects.create(
        body=forum,
        number=41,
        year=2041,
        status="planned",
        start_date=dt.date(2041, 10, 7),
        theme=_t("Connectivity and green growth", "연계성과 녹색 성장", "Связанность и зелёный рост"),
    )
    for i in range(12):
        item = AgendaItem.objects.create(
            meeting=meeting, order=i, title=_t(f"Agenda item {i + 1}", f"의제 {i + 1}", f"Пункт повестки {i + 1}")
        )
        for j in range(3):
            MeetingDocument.objects.create(
                meeting=meeting,
                agenda_item=item,
                title=_t(f"Paper {i + 1}.{j + 1}", f"문서 {i + 1}.{j + 1}", f"Документ {i + 1}.{j + 1}"),
                file="x.pdf",
                filename="x.pdf",
                sha256="0" * 64,
                is_public=j != 2,
            )
    decisions = [
        Decision.objects.create(
            meeting=previous,
            number=n + 1,
            status="adopted",
            text=_t(
                f"The Forum agreed point {n + 1}. " + LOREM,
                f"포럼은 {n + 1}항에 합의하였다. " + LOREM_KO,
                f"Форум согласовал пункт {n + 1}. " + LOREM_RU,
            ),
        )
        for n in range(30)
    ]
    statuses = ["open", "in_progress", "done", "dropped"]
    for n in range(90):
        action = ActionItem.objects.create(
            meeting=previous,
            decision=decisions[n % 30],
            owner_country=rng.choice(states),
            title=_t(f"Follow-up action {n + 1}", f"후속 조치 {n + 1}", f"Последующее действие {n + 1}"),
            due_date=dt.date(2041, 1 + n % 12, 1),
            status=statuses[n % 4],
        )
        ActionUpdate.objects.create(action=action, date=dt.date(2041, 3, 1), text="progress", status=action.status)
    pipeline = ["idea", "submitted", "screening", "appraisal", "returned", "endorsed", "implementation", "suspended"]
    criteria = ("relevance", "feasibility", "multilateral_value", "helix", "sustainability", "evidence")
    for n in range(200):
        status = "recommended" if n < proposed else pipeline[n % len(pipeline)]
        project = Project.objects.create(
            code=f"KCA-B-{n:04d}",
            status=status,
            subcommittee=rng.choice(subcommittees),
            title=_t(f"Cooperation project {n}", f"협력 사업 {n}", f"Проект сотрудничества {n}"),
            summary=_t(LOREM * 3, LOREM_KO * 3, LOREM_RU * 3),
            budget_amount=rng.randint(1, 90) * 100_000,
            budget_currency="USD",
            budget_usd=rng.randint(1, 90) * 100_000,
            trade_evidence={
                "kind": "untapped-potential",
                "exporter": "KOR",
                "market": rng.choice(codes.CENTRAL_ASIA),
                "year": 2023,
                "level": "hs4",
                "code": f"{8400 + n % 90}",
                "row": {"untapped": rng.random() * 50_000, "potential": 60_000.0, "actual": 10_000.0},
                "dataset": "SYN",
                "synthetic": True,
            }
            if status == "recommended"
            else {},
        )
        ProjectCountry.objects.create(project=project, member_state=korea)
        for state in rng.sample(central_asia, rng.randint(1, 3)):
            ProjectCountry.objects.create(project=project, member_state=state)
        ProjectSector.objects.create(project=project, field=rng.choice(fields), percentage=100)
        if status == "recommended":
            for _ in range(3):
                Appraisal.objects.create(
                    project=project, completed=True, scores={k: rng.randint(2, 5) for k in criteria}, comment="ok"
                )
    plan, _created = WorkPlan.objects.get_or_create(year=2041, defaults={"status": "adopted"})
    for a in range(6):
        area = PriorityArea.objects.create(
            plan=plan, order=a, title=_t(f"Priority {a + 1}", f"우선순위 {a + 1}", f"Приоритет {a + 1}")
        )
        for b in range(5):
            WorkPlanActivity.objects.create(
                area=area,
                title=_t(f"Activity {a + 1}.{b + 1}", f"활동 {a + 1}.{b + 1}", f"Мероприятие {a + 1}.{b + 1}"),
                status=["planned", "in_progress", "done"][(a + b) % 3],
            )
    print(f"set up in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return meeting.pk


def run_one(tmp: str, meeting_id: int, language: str, fmt: str, trace: bool) -> dict:
    """One generation in this (fresh) process, as the background job runs it."""
    _django(tmp)
    import tracemalloc

    from serai.core import pdf
    from serai.reports import pack as packs
    from serai.reports import render
    from serai.reports.audience import parse

    if trace:
        tracemalloc.start()
    start = resource.getrusage(resource.RUSAGE_SELF)
    before_mb = start.ru_maxrss / 1024
    cpu0 = start.ru_utime + start.ru_stime
    t0 = time.perf_counter()
    pack = packs.collect_briefing(meeting_id, language, parse("secretariat"))
    t1 = time.perf_counter()
    packs.draw(pack)
    t2 = time.perf_counter()
    if fmt == "pdf":
        html = render.render_html(pack)
        if os.environ.get("BENCH_REPORTS_HTML"):
            Path(os.environ["BENCH_REPORTS_HTML"]).write_text(html)
        t3 = time.perf_counter()
        data = pdf.html_to_pdf(html)
        pages = pdf.pdf_page_count(data)
        fonts = pdf.pdf_fonts(data)
    else:
        t3 = time.perf_counter()
        data = render.briefing_docx(pack)
        pages, fonts = None, {}
    t4 = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu0,
        "language": language,
        "format": fmt,
        "seconds": t4 - t0,
        "collect": t1 - t0,
        "charts_and_trade": t2 - t1,
        "html": t3 - t2,
        "layout": t4 - t3,
        "pages": pages,
        "bytes": len(data),
        "fonts_embedded": all(fonts.values()) if fonts else None,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "startup_mb": before_mb,
        "projects": pack.data["pipeline"]["total"],
        "proposed": len(pack.data["proposed"]),
    }
    if trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposed", type=int, default=80)
    parser.add_argument("--languages", default="en,ko,ru")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", nargs=5, metavar=("TMP", "MEETING", "LANG", "FMT", "TRACE"))
    parser.add_argument("--setup", nargs=2, metavar=("TMP", "PROPOSED"))
    args = parser.parse_args()
    if args.setup:
        print(json.dumps({"meeting": set_up(args.setup[0], int(args.setup[1]))}))
        return
    if args.child:
        tmp, meeting, lang, fmt, trace = args.child
        print(json.dumps(run_one(tmp, int(meeting), lang, fmt, trace == "1")))
        return

    tmp = tempfile.mkdtemp(prefix="serai-bench-reports-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # always a throwaway SQLite file
    env["SERAI_SECRET_KEY"] = env.get("SERAI_SECRET_KEY", "bench-reports-" + "x" * 40)
    try:

        def child(*argv: str) -> dict:
            proc = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True, env=env)
            if proc.returncode:
                sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
                raise SystemExit("bench/reports.py: a step failed")
            return json.loads(proc.stdout.strip().splitlines()[-1])

        meeting = child("--setup", tmp, str(args.proposed))["meeting"]
        rows = []
        for lang in args.languages.split(","):
            for fmt in ("pdf", "docx"):
                row = child("--child", tmp, str(meeting), lang, fmt, "1" if args.tracemalloc else "0")
                rows.append(row)
                print(json.dumps(row), flush=True)
        print()
        print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
        print(
            "| language | format | pages | wall s | CPU s | collect | charts + trade | layout | peak RSS (MB) |"
            + (" tracemalloc peak (MB) |" if args.tracemalloc else "")
        )
        print(
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if args.tracemalloc else "")
        )
        for r in rows:
            line = (
                f"| {r['language']} | {r['format']} | {r['pages'] or '–'} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
                f"{r['collect']:.1f} | "
                f"{r['charts_and_trade']:.1f} | {r['layout'] + r['html']:.1f} | {r['maxrss_mb']:.0f} |"
            )
            if args.tracemalloc:
                line += f" {r['tracemalloc_peak_mb']:.0f} |"
            print(line)
        worst = max(rows, key=lambda r: r["seconds"])
        print(
            f"\nGoal < {GOAL_SECONDS} s and < {GOAL_MB} MB: slowest {worst['seconds']:.1f} s "
            f"({'met' if worst['seconds'] < GOAL_SECONDS else 'NOT met'}), "
            f"largest {max(r['maxrss_mb'] for r in rows):.0f} MB"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
