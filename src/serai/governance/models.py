"""Meetings of the Forum's bodies. Forum sessions are meetings of the body of kind ``forum``.

The governance issue adds agendas, participants, minutes, decisions and action items on top
of :class:`Meeting`; the foundation holds the session history as reference data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableField
from serai.reference.models import Body, MemberState, Origin


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    host_country = models.ForeignKey(
        MemberState, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_meetings",
        verbose_name=_("host country"),
    )
    host_city = TranslatableField(_("host city"), max_length=120, blank=True)
    theme = TranslatableField(_("theme"), max_length=500, blank=True)
    summary = TranslatableField(_("summary"), blank=True, multiline=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    source_url = models.URLField(_("source"), blank=True, max_length=500)
    verified = models.BooleanField(
        _("verified by the Secretariat"), default=False,
        help_text=_("Reference data compiled from public reports stays unverified until staff confirm it."),
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.STAFF)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="meeting_number_unique_per_body"),
        ]

    def __str__(self) -> str:
        if self.number:
            return _("%(body)s no. %(number)s (%(year)s)") % {"body": self.body, "number": self.number, "year": self.year}
        return f"{self.body} {self.year}"

    def clean(self) -> None:
        if self.start_date and self.start_date.year != self.year:
            raise ValidationError({"start_date": _("The start date must fall in the meeting's year.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
