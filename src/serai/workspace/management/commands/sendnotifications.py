from __future__ import annotations

from django.core.management.base import BaseCommand

from serai.workspace import delivery


class Command(BaseCommand):
    help = (
        "Send notification e-mails still waiting (after a failure, or a process that stopped while "
        "sending). Safe to run at any time, e.g. from cron every few minutes."
    )

    def handle(self, *args, **options):
        requeued = delivery.requeue_stale()
        report = delivery.send_pending()
        self.stdout.write(f"sent {report.sent}, failed {report.failed}, re-queued {requeued}")
