"""Generated reports: one stored file per (kind, format, meeting, language, audience, inputs).

A report is generated in the background (:mod:`.jobs`) and kept with the fingerprint of what it
shows (:mod:`.fingerprint`): asking again while nothing it shows has changed gives the stored
file; a change anywhere in its inputs makes a new fingerprint and so a new report. The status
follows the declared moves of :mod:`.workflow` (queued → running → done or failed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.governance.models import Meeting
from serai.reference.models import MemberState


class ReportKind(models.TextChoices):
    BRIEFING = "briefing", _("Briefing pack")
    RECORD = "record", _("Meeting record")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    DELEGATION = "delegation", _("Delegation")
    SECRETARIAT = "secretariat", _("Secretariat")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedReport(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("meeting"))
    language = models.CharField(_("language"), max_length=8)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    audience_country = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delegation"),
    )
    fingerprint = models.CharField(max_length=64)
    inputs = models.JSONField(default=dict, blank=True)  # counts of what the fingerprint covers
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    stage = models.CharField(max_length=40, blank=True)  # a key of jobs.STAGES
    file = models.CharField(max_length=300, blank=True)  # relative to the reports directory
    size = models.PositiveBigIntegerField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "format", "meeting", "language", "audience", "audience_country", "fingerprint"],
                name="report_once_per_inputs",
            ),
            models.CheckConstraint(
                condition=models.Q(audience="delegation", audience_country__isnull=False)
                | (~models.Q(audience="delegation") & models.Q(audience_country__isnull=True)),
                name="report_delegation_has_country",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status"], name="report_pending_idx", condition=models.Q(status__in=("queued", "running"))
            )
        ]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} {self.meeting_id} {self.language} {self.audience_key}"

    @property
    def audience_key(self) -> str:
        """``public``, ``secretariat`` or the delegation's ISO2 code (as in forms and URLs)."""
        if self.audience == Audience.DELEGATION and self.audience_country_id:
            return self.audience_country.iso2
        return self.audience

    @property
    def download_name(self) -> str:
        m = self.meeting
        number = f"-{m.number}" if m.number else ""
        return f"serai-{m.body.code}{number}-{m.year}-{self.kind}-{self.audience_key.lower()}-{self.language}.{self.format}"
