"""``serai iati import FILE_OR_URL`` · ``serai iati generate OUT --activities N`` ·
``serai iati export OUT [--country KZ]`` · ``serai iati validate FILE``."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from serai.core.audit import SystemActor


class Command(BaseCommand):
    help = "IATI: import activity files into the landscape, generate test files, export and validate."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="import an IATI 2.01–2.03 activity file (path or URL) into the landscape")
        p.add_argument("source")
        p.add_argument("--all", action="store_true", help="keep activities outside the member states too")
        p = sub.add_parser("generate", help="write a synthetic IATI 2.03 activity file")
        p.add_argument("out", type=Path)
        p.add_argument("--activities", type=int, default=1000)
        p.add_argument("--member-share", type=float, default=0.2)
        p.add_argument("--seed", type=int, default=7)
        p = sub.add_parser("export", help="write the public, ready projects as IATI 2.03 XML")
        p.add_argument("out", type=Path)
        p.add_argument("--country")
        p = sub.add_parser("validate", help="validate an IATI file against the 2.03 XSDs")
        p.add_argument("file", type=Path)

    def handle(self, *args, action, **opts):
        if action == "import":
            from serai.iati import operations

            run = operations.import_file(SystemActor("serai iati import"), opts["source"], keep_all=opts["all"])
            self.stdout.write(f"{run.source}: {run.status} — {run.read} read, {run.imported} new, {run.updated} updated, "
                              f"{run.skipped} skipped, {run.rejected} rejected in {run.seconds:.1f} s")
            for reason in run.reasons[:10]:
                self.stdout.write(f"  line {reason['line']}: {reason['identifier']}: {reason['reason']}")
            if run.status != "done":
                raise CommandError(run.error)
        elif action == "generate":
            from serai.iati.generate import generate

            path = generate(opts["out"], opts["activities"], member_share=opts["member_share"], seed=opts["seed"])
            self.stdout.write(f"{path}: {opts['activities']} synthetic activities")
        elif action == "export":
            from serai.iati import export, queries

            with open(opts["out"], "wb") as fh:
                for chunk in export.stream_activities(queries.ready_activities(opts.get("country"))):
                    fh.write(chunk)
            self.stdout.write(str(opts["out"]))
        elif action == "validate":
            from serai.iati.schema import validate_file

            errors = validate_file(opts["file"])
            for e in errors[:50]:
                self.stdout.write(e)
            if errors:
                raise CommandError(f"{opts['file']}: {len(errors)} schema errors")
            self.stdout.write(f"{opts['file']}: valid IATI 2.03")
        sys.stdout.flush()
