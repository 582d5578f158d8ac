"""E-mailing notifications: background work scheduled on commit, and idempotent.

A notification waiting for its e-mail is ``pending``. Whoever sends it first claims it with
one conditional UPDATE (pending → sending); a second run, a retry or a concurrent worker finds
nothing to claim, so no e-mail goes twice. A failed send goes back to ``pending`` (``failed``
after :data:`MAX_ATTEMPTS`); ``serai sendnotifications`` retries those and re-queues claims
left behind by a process that died while sending. E-mails use Django's e-mail backend (the
console in development, SMTP when ``SERAI_EMAIL_HOST`` is set), in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from serai.core.i18n import LINE_BREAKS

from .kinds import decode, link, render
from .models import EmailState, Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
STALE_CLAIM = dt.timedelta(minutes=10)
_executor: ThreadPoolExecutor | None = None


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    requeued: int = 0


def schedule(ids: Iterable[int]) -> None:
    """Send these notifications' e-mails once the current transaction commits."""
    ids = list(ids)
    transaction.on_commit(lambda: _dispatch(ids), robust=True)


def _dispatch(ids: list[int]) -> None:
    if getattr(settings, "SERAI_NOTIFY_SYNC", False):
        send_pending(ids)
        return
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="serai-mail")
    _executor.submit(_in_thread, ids)


def _in_thread(ids: list[int]) -> None:
    try:
        send_pending(ids)
    except Exception:  # the rows stay pending; `serai sendnotifications` retries them
        log.exception("sending notification e-mails failed")
    finally:
        connection.close()  # the thread's own connection


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Claims older than :data:`STALE_CLAIM` belong to a process that died: send them again."""
    cutoff = (now or timezone.now()) - STALE_CLAIM
    return Notification.objects.filter(email_state=EmailState.SENDING, emailed_at__lt=cutoff).update(
        email_state=EmailState.PENDING
    )


def message(notification: Notification, lang: str) -> EmailMessage:
    with translation.override(lang):
        text = render(notification.kind, notification.params, lang)
        path = link(notification.link_name, notification.link_args)
        base = settings.SERAI_BASE_URL.rstrip("/")
        lines = [text, ""]
        details = notification.params.get("lines") or []  # a digest's items, one line each
        if isinstance(details, list) and details:
            lines += [f"• {decode(item, lang)}" for item in details] + [""]
        if path:
            lines += [_("Open it in Serai:"), base + path, ""]
        lines += [
            "—",
            _("You receive this e-mail because you take part in the Forum's work in Serai."),
            _("Choose the language of these e-mails, or stop them, on your workspace page: %(url)s")
            % {"url": base + link("my_work", [])},
        ]
        subject = subject_line(f"[Serai] {text}")
    return EmailMessage(subject=subject, body="\n".join(lines), to=[notification.recipient.email])


def subject_line(text: str, limit: int = 150) -> str:
    """A mail subject is one line: every line break and control character becomes a space (a
    newline in a header is refused by the mail library), runs of spaces one, and it is cut at
    ``limit`` characters."""
    cleaned = "".join(" " if (ch in LINE_BREAKS or unicodedata.category(ch) == "Cc") else ch for ch in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def email_language(preference) -> str:
    """The language a user's e-mails are written in — and the one their preferences show: the stored
    choice while it is still an interface language, else the site's default language."""
    language = getattr(preference, "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def send_pending(ids: Iterable[int] | None = None) -> Report:
    """Send the pending e-mails (of ``ids``, or all). Safe to run twice, or in two processes."""
    report = Report()
    qs = (
        Notification.objects.filter(email_state=EmailState.PENDING)
        .select_related("recipient", "recipient__serai_preference")
        .order_by("pk")
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for notification in qs:
        claimed = Notification.objects.filter(pk=notification.pk, email_state=EmailState.PENDING).update(
            email_state=EmailState.SENDING, emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:  # building the message is inside too: one bad notification never stops the others
            preference = getattr(notification.recipient, "serai_preference", None)
            lang = email_language(preference)
            message(notification, lang).send(fail_silently=False)
        except Exception as exc:  # SMTP down, bad address, a message that cannot be built: keep it for a retry
            attempts = notification.email_attempts + 1
            Notification.objects.filter(pk=notification.pk).update(
                email_state=EmailState.FAILED if attempts >= MAX_ATTEMPTS else EmailState.PENDING,
                email_attempts=F("email_attempts") + 1,
                email_error=str(exc)[:300],
                emailed_at=None,
            )
            report.failed += 1
            log.warning("notification %s: e-mail to %s failed: %s", notification.pk, notification.recipient.email, exc)
            continue
        Notification.objects.filter(pk=notification.pk).update(
            email_state=EmailState.SENT,
            email_attempts=F("email_attempts") + 1,
            emailed_at=timezone.now(),
            email_error="",
        )
        report.sent += 1
    return report
