"""``serai backup [PATH]``: the database, uploaded documents and trade store in one archive."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from serai.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one backup archive: every table, the uploaded documents, the trade store and a manifest with "
        "checksums. PATH ending in .tar.gz is compressed; default var/backups/serai-<UTC time>.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="the archive to write (must not exist)")

    def handle(self, *args, path: str | None, **options):
        try:
            result = create_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary)
        audit = result.manifest["audit"]
        if audit["verified"]:
            self.stdout.write(
                f"audit chain: ok, {audit['entries']} entries; head: entry {audit['head_id']} {audit['head_hash']}"
            )
        else:
            self.stderr.write(f"audit chain: BROKEN at entry {audit['broken_id']}: {audit['problem']}")
        for name in result.manifest["missing_files"]:
            self.stderr.write(f"warning: {name} is referenced by the database but missing under MEDIA_ROOT")
