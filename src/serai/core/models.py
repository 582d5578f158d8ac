from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One write made through an ``operations`` module: who, when, what, before and after.

    Entries are append-only. ``actor_label`` keeps the actor's name even if the account is
    later removed; ``actor`` is NULL for system writes (loaders, migrations), whose label
    says which command made them.

    The log is a hash chain (tamper-evident): ``hash`` is the SHA-256 of the entry's content and
    ``prev_hash``, which is the ``hash`` of the entry before it in id order, so editing or deleting
    an entry breaks the chain at that point (``serai audit verify``; see ``audit.chain_hash``).
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class Stamp(models.Model):
    """The newest audit entry that changed something, by name (see ``serai.core.stamps``): a table
    (``projects.project``), one object (``projects.project:42``), or ``*`` for writes without an
    object (bulk loads). Cached fragments for signed-in viewers are keyed by the stamps of what
    they show, so a write makes exactly the fragments that show what it changed stale."""

    name = models.CharField(max_length=120, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("version stamp")
        verbose_name_plural = _("version stamps")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
