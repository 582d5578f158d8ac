"""The staff workspace's own rows: notifications, each user's preferences and saved filters.

What a user has to do ("my work") is not stored: :mod:`.queries` reads it from the projects,
actions and minutes themselves, so it can never drift from them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    NONE = "none", _("No e-mail")
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One thing one user was told. The text is rendered when read, in the reader's language,
    from ``kind`` (see :mod:`.kinds`) and ``params`` (titles kept in every language held)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    link_name = models.CharField(max_length=60, blank=True)
    link_args = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=8, choices=EmailState.choices, default=EmailState.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["email_state"],
                name="notification_email_idx",
                condition=models.Q(email_state__in=("pending", "sending")),
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Preference(models.Model):
    """How a user wants to be told: by e-mail or only in the app, and in which language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="serai_preference")
    language = models.CharField(_("language of e-mails"), max_length=8, default=settings.LANGUAGE_CODE)
    email = models.BooleanField(_("also send notifications by e-mail"), default=True)
    # Reminders, one switch per kind (serai.reminders): off stops both the in-app row and the e-mail.
    remind_due = models.BooleanField(_("remind me before my actions' due dates"), default=True)
    remind_overdue = models.BooleanField(_("tell me when an action of mine becomes overdue"), default=True)
    weekly_digest = models.BooleanField(_("send me a weekly digest"), default=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(_("Preferences of %(user)s") % {"user": self.user.get_username()})


# The list pages a filter may be saved for, by URL name.
FILTER_PAGES = {
    "project_list": _("Projects"),
    "action_tracker": _("Actions"),
    "organisation_list": _("Organisations"),
    "iati_landscape": _("Landscape"),
}


class SavedFilter(models.Model):
    """A named query string on one list page, kept for its owner."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    page = models.CharField(_("page"), max_length=40, choices=list(FILTER_PAGES.items()))
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name")]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")

    def __str__(self) -> str:
        return self.name
