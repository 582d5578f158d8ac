"""Reminders sent (each row is the claim that makes a reminder go once) and personal calendar feeds.

A reminder is keyed by what it is about: an action's reminder by (kind, action, due date) — a new
due date is a new reminder —, a weekly digest by (kind, user, week). The unique constraints are the
claim: whoever inserts the row first sends; a second run, or a concurrent one, finds the key taken
and sends nothing (:mod:`.operations`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Before an action's due date")
    OVERDUE = "overdue", _("When an action becomes overdue")
    DIGEST = "digest", _("Weekly digest")


class Reminder(models.Model):
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    days_before = models.PositiveSmallIntegerField(default=0)  # due_soon: the threshold (7, 1 …)
    action = models.ForeignKey(
        "governance.ActionItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField(null=True, blank=True)  # digest: the Monday of its week
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "days_before", "action", "due_date"],
                condition=Q(action__isnull=False),
                name="reminder_once_per_action_due_date",
            ),
            models.UniqueConstraint(
                fields=["kind", "user", "week"], condition=Q(user__isnull=False), name="reminder_once_per_user_week"
            ),
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.kind} {self.action_id or self.user_id} {self.due_date or self.week}"


class CalendarFeed(models.Model):
    """A user's personal iCalendar feed. Only the SHA-256 of its secret is kept: the address is
    shown once, when it is made; revoking empties the hash, so every old address answers 404."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    @property
    def active(self) -> bool:
        return bool(self.token_hash) and self.revoked_at is None

    def __str__(self) -> str:
        return str(_("Calendar of %(user)s") % {"user": self.user.get_username()})
