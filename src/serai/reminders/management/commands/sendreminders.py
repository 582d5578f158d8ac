from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from serai.core.audit import SystemActor
from serai.reminders import operations


class Command(BaseCommand):
    help = (
        "Send the reminders owed today: before an action's due date (SERAI_REMINDER_DAYS, 7 and 1 by default), "
        "when it becomes overdue, and each person's weekly digest. Each goes once however often this runs "
        "(run it daily from cron, e.g. '15 6 * * * serai sendreminders'); e-mails go out with the notifications'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: not a date (YYYY-MM-DD): {options['date']}") from exc
        with override_settings(SERAI_NOTIFY_SYNC=True):  # e-mails in this process, before it ends
            report = operations.send_reminders(SystemActor("sendreminders"), today=today)
        self.stdout.write(
            f"before due {report.due_soon}, overdue {report.overdue}, digests {report.digests}, "
            f"notifications {report.notifications}"
        )
