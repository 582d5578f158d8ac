"""``serai iati import FILE_OR_URL`` · ``serai iati generate OUT --activities N`` ·
``serai iati export OUT [--country KZ]`` · ``serai iati validate [FILE | --feed]``."""

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
        p = sub.add_parser(
            "validate",
            help="validate an IATI file, or the public activity feed, against the 2.03 "
            "XSDs and the official IATI rulesets (the IATI Validator's rules)",
        )
        p.add_argument("file", type=Path, nargs="?")
        p.add_argument("--feed", action="store_true", help="validate the public activity feed as it is served")

    def handle(self, *args, action, **opts):
        if action == "import":
            from serai.iati import operations

            run = operations.import_file(SystemActor("serai iati import"), opts["source"], keep_all=opts["all"])
            self.stdout.write(
                f"{run.source}: {run.status} — {run.read} read, {run.imported} new, {run.updated} updated, "
                f"{run.skipped} skipped, {run.rejected} rejected in {run.seconds:.1f} s"
            )
            for reason in run.reasons[:10]:
                self.stdout.write(f"  line {reason['line']}: {reason['identifier']}: {reason['reason']}")
            if run.status != "done":
                raise CommandError(run.error)
        elif action == "generate":
            from serai.iati.generate import generate

            path = generate(opts["out"], opts["activities"], member_share=opts["member_share"], seed=opts["seed"])
            self.stdout.write(f"{path}: {opts['activities']} synthetic activities")
        elif action == "export":
            from serai.iati import export, operations, queries, readiness

            if not export.publisher_id():
                raise CommandError(readiness.BLOCKED_MESSAGE())
            operations.record_publications(SystemActor("serai iati export"), queries.exportable(opts.get("country")))
            with open(opts["out"], "wb") as fh:
                for chunk in export.stream_activities(queries.ready_activities(opts.get("country"))):
                    fh.write(chunk)
            self.stdout.write(str(opts["out"]))
        elif action == "validate":
            self.validate(opts["file"], opts["feed"])
        sys.stdout.flush()

    def validate(self, path: Path | None, feed: bool) -> None:
        """Schema errors, then every finding of the official IATI ruleset; fails on either kind of error."""
        from lxml import etree

        from serai.core.safexml import UnsafeXMLError, parse_file, safe_parser
        from serai.iati import rulesets
        from serai.iati.schema import validate_tree

        if feed == (path is not None):
            raise CommandError("give either a FILE or --feed")
        if feed:
            from serai.iati import export, queries, readiness

            if not export.publisher_id():
                raise CommandError(readiness.BLOCKED_MESSAGE())
            label = "the public activity feed"
            tree = etree.ElementTree(
                etree.fromstring(b"".join(export.stream_activities(queries.ready_activities())), safe_parser())
            )
        else:
            label = str(path)
            try:
                tree = parse_file(path)
            except (UnsafeXMLError, OSError) as exc:
                raise CommandError(str(exc)) from exc
        errors = validate_tree(tree)
        for e in errors[:50]:
            self.stdout.write(e)
        if errors:
            raise CommandError(f"{label}: {len(errors)} schema errors")
        ruleset = rulesets.standard()
        if ruleset is None:
            self.stdout.write(
                f"{label}: valid IATI 2.03 (the IATI rulesets are not available in {rulesets.folder()}: not checked)"
            )
            return
        findings = list(rulesets.check(ruleset, tree))
        for f in findings[:200]:
            where = f"{f.identifier or '-'} line {f.line}"
            detail = f" ({f.detail})" if f.detail else ""
            self.stdout.write(f"{f.severity} {f.rule_id or f.rule} [{f.rule}] {where}: {f.message}{detail}")
        if len(findings) > 200:
            self.stdout.write(f"… and {len(findings) - 200} more")
        for (severity, rule_id, rule), n in rulesets.count_by_rule(findings).items():
            self.stdout.write(f"  {n:6d}  {severity} {rule_id or '-'} {rule}")
        n_errors = sum(f.is_error for f in findings)
        if n_errors:
            raise CommandError(f"{label}: {n_errors} ruleset errors, {len(findings) - n_errors} warnings")
        self.stdout.write(f"{label}: valid IATI 2.03; 0 ruleset errors, {len(findings)} warnings")
