"""``serai network import FILE [FILE ...] [--dry-run]``: bulk import of organisations and
cooperation profiles from CSV or XLSX (layout: docs/network-import.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from serai.core.audit import SystemActor


class Command(BaseCommand):
    help = "The cooperation network: bulk import of organisations and cooperation profiles."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser(
            "import", help="import organisations and profiles from CSV or XLSX files, in one transaction"
        )
        p.add_argument(
            "files", nargs="+", type=Path, help="CSV or XLSX files (organisations are imported before profiles)"
        )
        p.add_argument("--dry-run", action="store_true", help="check every row and report; write nothing")
        sub.add_parser(
            "expire", help="mark expired the published profiles past their validity date (run daily; idempotent)"
        )

    def handle(self, *args, action, **opts):
        if action == "expire":
            from serai.network.operations import expire_profiles

            count = expire_profiles(SystemActor("serai network expire"))
            self.stdout.write(self.style.SUCCESS(f"profiles marked expired: {count}"))
            return
        if action == "import":
            from serai.network import importer

            for path in opts["files"]:
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
            try:
                report = importer.run_paths(SystemActor("serai network import"), opts["files"], dry_run=opts["dry_run"])
            except importer.ImportError_ as exc:
                raise CommandError(str(exc)) from exc
            for bucket in ("created", "updated", "unchanged"):
                counts = getattr(report, bucket)
                if counts:
                    self.stdout.write(f"{bucket}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
            for error in report.errors:
                self.stderr.write(str(error))
            if report.error_count > len(report.errors):
                self.stderr.write(f"… and {report.error_count - len(report.errors)} more errors")
            sys.stdout.flush()
            if not report.ok:
                raise CommandError(
                    f"{report.error_count} errors: nothing was imported"
                    + (f"; report: {report.report_path}" if report.report_path else "")
                )
            if report.dry_run:
                self.stdout.write(self.style.SUCCESS("dry run: every row is valid; nothing was written"))
            else:
                self.stdout.write(
                    self.style.SUCCESS(f"imported in {report.seconds:.1f} s; report: {report.report_path}")
                )
