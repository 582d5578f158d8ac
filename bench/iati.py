"""IATI benchmark (issue: IATI 2.03 interoperability).

1. A generated IATI 2.03 file of about 1 GB (about 230,000 activities, 20 % in the member states).
2. Parse only (the streaming reader, no database): activities/s and peak memory.
3. Import into the landscape on SQLite and on PostgreSQL, each in a fresh process and database:
   activities/s parsed, kept activities, peak memory (VmHWM); then a second, idempotent run.
4. Export and validate 10,000 generated projects: seconds, schema errors, and the official IATI
   ruleset's errors per rule (serai.iati.rulesets; goal: 0 errors). ``--rulesets`` runs only this
   step, on SQLite when no PostgreSQL DATABASE_URL is given.
Goal: ≥ 3,000 activities/s parsed and peak memory under 300 MB, whatever the file size.
Anchor: IATI.cloud, about 1M records in 24 h on 20 workers (IATI.cloud#1152) ≈ 11.6 records/s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACTIVITIES = int(os.environ.get("BENCH_IATI_ACTIVITIES", "230000"))
PROJECTS = int(os.environ.get("BENCH_IATI_PROJECTS", "10000"))
ANCHOR_PER_S = 1_000_000 / (24 * 3600)


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(kind: str, *args: str, env: dict | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{kind} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()


def side_parse(path: str) -> dict:
    from serai.iati import parse

    t0 = time.perf_counter()
    n = sum(1 for _ in parse.read(path))
    seconds = time.perf_counter() - t0
    return {"read": n, "seconds": seconds, "per_s": n / seconds, "peak_mb": peak_mb()}


def side_import(path: str) -> dict:
    _django()
    from django.core.management import call_command

    from serai.core.audit import SystemActor
    from serai.iati import operations
    from serai.reference.operations import load_reference

    call_command("migrate", verbosity=0)
    load_reference(SystemActor("bench"), None)
    before = peak_mb()
    out = {}
    for label in ("first", "again"):
        run = operations.import_file(SystemActor("bench"), path)
        assert run.status == "done", run.error
        out[label] = {
            "read": run.read,
            "imported": run.imported,
            "updated": run.updated,
            "skipped": run.skipped,
            "rejected": run.rejected,
            "seconds": run.seconds,
            "per_s": run.read / run.seconds,
        }
    return out | {"peak_mb": peak_mb(), "peak_before_mb": before}


def side_export(_: str) -> dict:
    # Publishing needs the Secretariat's identifier; the benchmark's own stands in for it.
    os.environ.setdefault("SERAI_IATI_PUBLISHER_ID", "XI-IATI-BENCH")
    _django()
    from django.core.management import call_command
    from lxml import etree

    from serai.core.audit import SystemActor
    from serai.demo.registry import load_demo
    from serai.iati import export, queries, rulesets, schema
    from serai.projects.models import Project
    from serai.reference.operations import load_reference

    call_command("migrate", verbosity=0)
    from serai.iati import codelists, readiness

    # as on a real instance: the cooperation fields with their DAC codes, when the codelists are there
    load_reference(SystemActor("bench"), codelists.folder() if codelists.codes("Sector") is not None else None)
    load_demo(SystemActor("bench"), "bench")
    call_command("generateprojects", str(PROJECTS), verbosity=0)
    projects = Project.objects.count()
    t0 = time.perf_counter()
    activities = (
        export.from_project(p)
        for p in queries.with_export_data(Project.objects.order_by("code")).iterator(chunk_size=500)
    )
    # what the feed would hold if they were real (the feed leaves demo content out): the ready ones
    body = b"".join(export.stream_activities(a for a in activities if not readiness.blocking(readiness.check(a))))
    export_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    errors = schema.validate_tree(etree.ElementTree(etree.fromstring(body, etree.XMLParser(huge_tree=True))))
    validate_s = time.perf_counter() - t0
    tree = etree.fromstring(body, etree.XMLParser(huge_tree=True))
    t0 = time.perf_counter()
    findings = list(rulesets.check(rulesets.standard() or {}, tree))
    rules_s = time.perf_counter() - t0
    by_rule = {f"{sev} {rid} {name}": n for (sev, rid, name), n in rulesets.count_by_rule(findings).items()}
    return {
        "rules_s": rules_s,
        "ruleset_errors": sum(f.is_error for f in findings),
        "ruleset_warnings": sum(not f.is_error for f in findings),
        "ruleset_by_rule": by_rule,
        "rulesets_available": rulesets.standard() is not None,
        "projects": projects,
        "activities": body.count(b"<iati-activity "),
        "bytes": len(body),
        "export_s": export_s,
        "validate_s": validate_s,
        "schema_errors": len(errors),
        "first_error": errors[:1],
        "peak_mb": peak_mb(),
    }


def print_rules(e: dict) -> None:
    if not e["rulesets_available"]:
        print("IATI rulesets: not available (../shared/data/iati/rulesets), not checked")
        return
    print(
        f"IATI rulesets: {e['ruleset_errors']} errors, {e['ruleset_warnings']} warnings on {e['activities']:,} "
        f"activities in {e['rules_s']:.1f} s"
    )
    for rule, n in e["ruleset_by_rule"].items():
        print(f"  {n:8,}  {rule}")


def rulesets_only() -> None:
    """Step 4 alone: export 10,000 generated projects and check them with the IATI rulesets."""
    pg = os.environ.get("DATABASE_URL", "")
    work = Path(tempfile.mkdtemp(prefix="serai-bench-iati-rules-"))
    url = (
        pg.rsplit("/", 1)[0] + "/serai_export" if pg.startswith("postgres") else f"sqlite:///{work / 'export.sqlite3'}"
    )
    e = child("export", "", env={"DATABASE_URL": url, "SERAI_VAR_DIR": str(work / "export")})
    print(
        f"export: {e['projects']:,} projects → {e['activities']:,} activities in {e['export_s']:.1f} s; "
        f"{e['schema_errors']} schema errors"
    )
    print_rules(e)
    print(json.dumps(e))


def main() -> None:
    _django()  # the generator reads the official codelists' location from the settings
    from serai.iati.generate import generate

    work = Path(tempfile.mkdtemp(prefix="serai-bench-iati-"))
    path = work / "activities.xml"
    t0 = time.perf_counter()
    generate(path, ACTIVITIES, member_share=0.2, seed=2026)
    size = path.stat().st_size
    print(
        f"# serai IATI benchmark — {os.cpu_count()} cores; generated {ACTIVITIES:,} activities, "
        f"{size / 1e9:.2f} GB in {time.perf_counter() - t0:.0f} s ({path})"
    )
    p = child("parse", str(path))
    print(
        f"parse only: {p['read']:,} activities in {p['seconds']:.1f} s = {p['per_s']:,.0f}/s, peak {p['peak_mb']:.0f} MB"
    )
    results = {"parse": p}
    pg = os.environ.get("DATABASE_URL", "")
    targets = [("SQLite", f"sqlite:///{work / 'bench.sqlite3'}")] + (
        [("PostgreSQL", pg)] if pg.startswith("postgres") else []
    )
    for name, url in targets:
        r = child("import", str(path), env={"DATABASE_URL": url, "SERAI_VAR_DIR": str(work / name)})
        results[name] = r
        f, a = r["first"], r["again"]
        print(
            f"import on {name}: {f['read']:,} read, {f['imported']:,} kept (member states), {f['rejected']} rejected, "
            f"{f['seconds']:.1f} s = {f['per_s']:,.0f} activities/s parsed ({f['per_s'] / ANCHOR_PER_S:,.0f}× IATI.cloud's "
            f"{ANCHOR_PER_S:.1f}/s); peak {r['peak_mb']:.0f} MB (goal ≥ 3,000/s, < 300 MB)"
        )
        print(
            f"  again (idempotent): {a['skipped']:,} skipped, {a['updated']} updated in {a['seconds']:.1f} s = {a['per_s']:,.0f}/s"
        )
    if pg.startswith("postgres"):
        e = child(
            "export",
            "",
            env={"DATABASE_URL": pg.rsplit("/", 1)[0] + "/serai_export", "SERAI_VAR_DIR": str(work / "export")},
        )
        results["export"] = e
        print(
            f"export: {e['projects']:,} projects → {e['activities']:,} activities, {e['bytes'] / 1e6:.0f} MB in "
            f"{e['export_s']:.1f} s; schema validation {e['validate_s']:.1f} s, {e['schema_errors']} errors; peak {e['peak_mb']:.0f} MB"
        )
        print_rules(e)
    print(json.dumps(results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        fn = {"parse": side_parse, "import": side_import, "export": side_export}[sys.argv[2]]
        print(json.dumps(fn(sys.argv[3])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--rulesets":
        rulesets_only()
    else:
        main()
