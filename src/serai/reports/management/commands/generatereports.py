from __future__ import annotations

from django.core.management.base import BaseCommand

from serai.reports import jobs


class Command(BaseCommand):
    help = (
        "Generate the reports still queued (after a restart, or a process that stopped while "
        "generating). Safe to run at any time and in parallel: each report is claimed once."
    )

    def handle(self, *args, **options):
        requeued = jobs.requeue_stale()
        done = jobs.run_pending()
        self.stdout.write(f"generated {len(done)}, re-queued {requeued}")
