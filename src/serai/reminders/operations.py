"""Writes of reminders and personal calendar feeds.

:func:`send_reminders` is what ``serai sendreminders`` runs (cron, daily). Each reminder is claimed
before it is sent: a :class:`~.models.Reminder` row whose unique key is (kind, threshold, action,
due date) — or (digest, user, week) — is inserted in the same transaction as its notifications. A
second run finds the key taken and sends nothing; a concurrent run blocks on the key until the
first commits and then skips it (or takes it over if the first rolled back). E-mails leave after
commit through :mod:`serai.workspace.delivery`, which claims each one again (pending → sending).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from serai.access import permissions
from serai.core import audit
from serai.workspace import operations as workspace
from serai.workspace.kinds import PerLanguage

from . import queries
from .models import CalendarFeed, Reminder, ReminderKind

DIGEST_LINES = 10  # items listed in a digest e-mail; the counts say how many there are


@dataclass
class Report:
    due_soon: int = 0
    overdue: int = 0
    digests: int = 0
    notifications: int = 0


def _claim(**key: Any) -> Reminder | None:
    """Insert the reminder's key; None when it is taken (sent already, or being sent right now)."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(**key)
    except IntegrityError:
        return None


def _title(action) -> PerLanguage:
    return PerLanguage(lambda: action.title.get(translation.get_language()))


def _action_reminder(actor: Any, action, kind: str, days_before: int) -> int | None:
    """Claim and send one action's reminder; the number told, or None if it was claimed already."""
    notification_kind, preference = {
        ReminderKind.DUE_SOON: ("action.due_soon", "remind_due"),
        ReminderKind.OVERDUE: ("action.overdue", "remind_overdue"),
    }[kind]
    with transaction.atomic():
        claim = _claim(kind=kind, days_before=days_before, action=action, due_date=action.due_date)
        if claim is None:
            return None
        meeting = action.meeting
        rows = workspace.notify(
            actor,
            notification_kind,
            queries.wanting(queries.owners(action), preference),
            params={"title": _title(action), "due": action.due_date, "meeting": PerLanguage(lambda: str(meeting))},
            link=("meeting_detail", [meeting.pk]),
            scheduled=True,
        )
        claim.recipients = len(rows)
        claim.save(update_fields=["recipients"])
        audit.record(
            actor,
            "reminder.send",
            action,
            extra={"kind": kind, "days_before": days_before, "due_date": action.due_date, "recipients": len(rows)},
        )
    return len(rows)


def _action_line(action) -> str:
    """One action in a digest, in the active language: its title and due date."""
    title = action.title.get(translation.get_language())
    return f"{title} — {date_format(action.due_date)}" if action.due_date else title


def _digest(actor: Any, user, today: dt.date, week: dt.date) -> int | None:
    actions = list(queries.my_actions(user)[: DIGEST_LINES + 1])
    open_count = len(actions) if len(actions) <= DIGEST_LINES else queries.my_actions(user).count()
    overdue = queries.my_actions(user).overdue(today).count()
    meetings = list(queries.upcoming_meetings(user, today).order_by("start_date", "pk"))
    if not open_count and not meetings:
        return None  # nothing to say: no digest, and no claim (something may come later in the week)
    lines = [PerLanguage(lambda a=a: _action_line(a)) for a in actions[:DIGEST_LINES]]
    lines += [PerLanguage(lambda m=m: f"{m} — {date_format(m.start_date)}") for m in meetings[:DIGEST_LINES]]
    with transaction.atomic():
        claim = _claim(kind=ReminderKind.DIGEST, user=user, week=week)
        if claim is None:
            return None
        rows = workspace.notify(
            actor,
            "digest.weekly",
            [user],
            params={"open": open_count, "overdue": overdue, "meetings": len(meetings), "lines": lines},
            link=("my_work", []),
            scheduled=True,
        )
        claim.recipients = len(rows)
        claim.save(update_fields=["recipients"])
        audit.record(actor, "reminder.send", user, extra={"kind": ReminderKind.DIGEST, "week": week})
    return len(rows)


def send_reminders(actor: Any, *, today: dt.date | None = None) -> Report:
    """Send every reminder and digest owed today, each once. Safe to run twice, or in two processes."""
    permissions.require(actor, "reminder.send")
    today = today or timezone.localdate()
    report = Report()
    for action, days_before in queries.due_soon(today):
        told = _action_reminder(actor, action, ReminderKind.DUE_SOON, days_before)
        if told is not None:
            report.due_soon += 1
            report.notifications += told
    for action in queries.newly_overdue(today):
        told = _action_reminder(actor, action, ReminderKind.OVERDUE, 0)
        if told is not None:
            report.overdue += 1
            report.notifications += told
    if today.weekday() >= queries.digest_weekday():
        week = today - dt.timedelta(days=today.weekday())
        taken = set(Reminder.objects.filter(kind=ReminderKind.DIGEST, week=week).values_list("user_id", flat=True))
        for user in queries.digest_readers().exclude(pk__in=taken):
            told = _digest(actor, user, today, week)
            if told is not None:
                report.digests += 1
                report.notifications += told
    return report


# --- personal calendar feeds -------------------------------------------------------------------
@transaction.atomic
def new_feed_token(actor: Any, user) -> str:
    """Make (or replace) the user's calendar feed secret and return it; only its hash is kept, so
    this is the one time it can be shown. Every earlier address stops working."""
    permissions.require(actor, "account.manage_own", user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token_hash=queries.token_hash(token))
        audit.record(actor, "calendar_feed.create", feed, extra={"user": user.get_username()})
    else:
        feed.token_hash = queries.token_hash(token)
        feed.created_at = timezone.now()
        feed.revoked_at = None
        feed.version += 1
        feed.save()
        audit.record(actor, "calendar_feed.regenerate", feed, extra={"user": user.get_username()})
    return token


@transaction.atomic
def revoke_feed(actor: Any, user) -> bool:
    """Switch the user's calendar feed off: its address answers 404 from now on."""
    permissions.require(actor, "account.manage_own", user)
    feed = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if feed is None:
        return False
    feed.token_hash = ""
    feed.revoked_at = timezone.now()
    feed.version += 1
    feed.save()
    audit.record(actor, "calendar_feed.revoke", feed, extra={"user": user.get_username()})
    return True
