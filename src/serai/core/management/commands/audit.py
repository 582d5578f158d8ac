"""``serai audit verify``: walk the audit log's hash chain and report the first broken link."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from serai.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. 'serai audit verify' checks the hash chain and names the first broken link."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="check every entry's hash and its link to the one before")
        verify.add_argument(
            "--expect-head",
            default="",
            help="the head hash written down earlier (e.g. with a backup): it must still be in the log",
        )

    def handle(self, *args, subcommand: str, expect_head: str = "", **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"broken: entry {report.broken_id}: {report.problem} ({report.entries - 1} entries before it verify)"
            )
        if expect_head:
            from serai.core.models import AuditEntry

            if not AuditEntry.objects.filter(hash=expect_head.strip().lower()).exists():
                raise CommandError(
                    f"broken: no entry has the expected hash {expect_head}: the log was truncated or rewritten"
                )
        head = f"; head: entry {report.head_id} {report.head_hash}" if report.head_id else ""
        self.stdout.write(f"ok: {report.entries} entries{head}")
