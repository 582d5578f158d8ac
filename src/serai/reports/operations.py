"""Requesting a report: the one write of this app a person makes (generation itself is
:mod:`.jobs`, run by the system)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import audit
from serai.core.actors import user_of
from serai.governance.models import Meeting

from . import jobs
from .audience import ReportAudience
from .models import GeneratedReport, ReportFormat, ReportKind, ReportStatus
from .workflow import move


def probe(meeting: Meeting, audience: ReportAudience, **values) -> GeneratedReport:
    """An unsaved report for the permission rules (who may generate for which audience)."""
    return GeneratedReport(meeting=meeting, audience=audience.kind, audience_country=audience.country, **values)


def request_report(
    actor: Any, meeting: Meeting, *, kind: str, fmt: str, language: str, audience: ReportAudience
) -> tuple[GeneratedReport, bool]:
    """The report of ``kind``/``fmt`` for ``meeting`` in ``language`` for ``audience``: the stored
    one if nothing it shows has changed since (its fingerprint is the same), else a new one queued
    for generation after commit. Returns (report, queued now)."""
    permissions.require(actor, "report.generate", probe(meeting, audience))
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Choose a kind of report.")
    if fmt not in ReportFormat.values:
        errors["format"] = _("Choose PDF or DOCX.")
    if language not in dict(settings.CONTENT_LANGUAGES):
        errors["language"] = _("Choose one of the content languages.")
    if errors:
        raise ValidationError(errors)
    try:
        pack = jobs.collect(kind, meeting.pk, language, audience)
    except Meeting.DoesNotExist:
        raise ValidationError({"audience": _("This audience may not see this meeting.")}) from None
    fingerprint = pack.fingerprint(fmt)
    key = {
        "kind": kind,
        "format": fmt,
        "meeting": meeting,
        "language": language,
        "audience": audience.kind,
        "audience_country": audience.country,
        "fingerprint": fingerprint,
    }
    with transaction.atomic():
        existing = GeneratedReport.objects.select_for_update().filter(**key).first()
        if existing is not None:
            if existing.status != ReportStatus.FAILED:
                return existing, False
            move(existing.pk, "retry", progress=0, stage="", error="")
            existing.refresh_from_db()
            audit.record(actor, "report.retry", existing, extra={"fingerprint": fingerprint})
            jobs.schedule([existing.pk])
            return existing, True
        try:
            with transaction.atomic():
                report = GeneratedReport.objects.create(**key, inputs=pack.summary(), requested_by=user_of(actor))
        except IntegrityError:  # a concurrent request created it first
            return GeneratedReport.objects.get(**key), False
        audit.record(
            actor,
            "report.request",
            report,
            after={
                "kind": kind,
                "format": fmt,
                "meeting_id": meeting.pk,
                "language": language,
                "audience": audience.key,
                "fingerprint": fingerprint,
            },
        )
        jobs.schedule([report.pk])
    return report, True
