"""IATI is a boundary, not our schema: a light *landscape* of other publishers' activities in the
member states, and a record of each import run. Nothing here copies the standard's structure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=500)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    iati_version = models.CharField(max_length=10, blank=True)
    bytes_read = models.BigIntegerField(default=0)
    read = models.PositiveIntegerField(_("activities read"), default=0)
    imported = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("unchanged or outside the member states"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # [{line, identifier, reason}], first 200
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.status})"


class LandscapeActivity(models.Model):
    identifier = models.CharField(_("IATI identifier"), max_length=200, unique=True)
    reporting_org_ref = models.CharField(_("reporting organisation"), max_length=200, db_index=True)
    reporting_org_name = models.CharField(max_length=300, blank=True)
    reporting_org_type = models.CharField(max_length=4, blank=True)
    title = models.JSONField(_("title"), default=dict)  # {"values": {lang: text}, "source": lang}
    description = models.JSONField(_("description"), default=dict)
    status = models.CharField(_("activity status"), max_length=2, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    dates = models.JSONField(default=dict)  # IATI ActivityDateType code → ISO date
    sectors = models.JSONField(default=list)  # [{"vocabulary", "code", "percentage"}]
    countries = models.JSONField(default=list)  # [{"code", "percentage"}]
    regions = models.JSONField(default=list)  # [{"vocabulary", "code", "percentage"}]
    participating_orgs = models.JSONField(default=list)  # [{"role", "ref", "type", "name"}]
    default_currency = models.CharField(max_length=3, blank=True)
    budgets = models.JSONField(default=list)  # [{"type", "status", "start", "end", "value", "currency", "value_date"}]
    transactions = models.JSONField(default=list)  # [{"type", "date", "value", "currency", "value_date"}]
    total_budget_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    disbursed_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    unconverted = models.JSONField(default=dict, blank=True)  # currency → amount that no rate converted
    country_codes = models.CharField(max_length=200, blank=True, db_index=True)  # " KZ UZ " for filtering
    sector_codes = models.CharField(max_length=1000, blank=True)  # " 23110 41010 " for filtering
    raw_xml = models.TextField()
    content_hash = models.CharField(max_length=64)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="landscape_activities",
        verbose_name=_("linked Serai project"),
    )
    last_run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("landscape activity")

    def __str__(self) -> str:
        return self.identifier


class Publication(models.Model):
    """The iati-identifier a project was first published under, and its budget then.

    Recorded the first time the project goes into a served IATI file while the publisher identifier
    is set (``operations.record_publications``); the export reads the identifier from here, so a
    later change of ``SERAI_IATI_PUBLISHER_ID`` leaves published activities' identifiers as they
    were. The budget then is the *original* budget; a different current budget is published as
    *revised* beside it."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="iati_publication", verbose_name=_("project")
    )
    identifier = models.CharField(_("IATI identifier"), max_length=200, unique=True)
    first_published_at = models.DateTimeField(_("first published"), auto_now_add=True)
    budget_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("IATI publication")

    def __str__(self) -> str:
        return self.identifier
