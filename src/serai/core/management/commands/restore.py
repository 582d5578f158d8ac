"""``serai restore PATH``: bring a backup back into an empty installation, all of it or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from serai.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'serai backup' into an empty installation (a new database after "
        "'serai migrate', empty media and trade directories). Every checksum is verified first; the "
        "database is restored in one transaction and the files are renamed into place at its commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by 'serai backup'")

    def handle(self, *args, path: str, **options):
        try:
            result = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary)
        self.stdout.write(f"report: {result.report}")
