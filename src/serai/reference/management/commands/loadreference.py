from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from serai.core.audit import SystemActor
from serai.core.safexml import UnsafeXMLError
from serai.reference import operations
from serai.reference.codelists import CodelistError


class Command(BaseCommand):
    help = (
        "Load the Forum's reference data (member states, bodies, cooperation fields, Forum sessions) "
        "and the OECD DAC purpose codes from an IATI codelist folder. Idempotent; staff corrections are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--iati-codelists",
            type=Path,
            default=None,
            help="folder with the IATI codelists (default: SERAI_SHARED_DATA/iati/codelists if present)",
        )
        parser.add_argument("--no-dac", action="store_true", help="do not read the DAC codelist")

    def handle(self, *args, iati_codelists: Path | None, no_dac: bool, **options):
        folder = None
        if not no_dac:
            folder = iati_codelists or Path(settings.SERAI_SHARED_DATA) / "iati" / "codelists"
            if not folder.is_dir():
                if iati_codelists is not None:
                    raise CommandError(f"{folder}: no such folder")
                self.stderr.write(f"warning: {folder} not found; loading without DAC purpose codes")
                folder = None
        try:
            report = operations.load_reference(SystemActor("loadreference"), folder)
        except (CodelistError, UnsafeXMLError) as exc:
            raise CommandError(str(exc)) from exc
        for bucket in ("created", "updated", "unchanged", "kept_staff_corrections"):
            counts = getattr(report, bucket)
            if counts:
                self.stdout.write(
                    f"{bucket.replace('_', ' ')}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                )
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(self.style.SUCCESS(f"reference data loaded; report: {report.report_path}"))
