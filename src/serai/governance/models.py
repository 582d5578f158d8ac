"""Meetings of the Forum's bodies. Forum sessions are meetings of the body of kind ``forum``.

The governance issue adds agendas, participants, minutes, decisions and action items on top
of :class:`Meeting`; the foundation holds the session history as reference data.
"""

from __future__ import annotations

from django.conf import settings
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


class AgendaItem(models.Model):
    """An item of a meeting's agenda; items nest (``parent``) and are ordered within their level."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveSmallIntegerField(default=0)
    title = TranslatableField(_("title"), max_length=500)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.title)


class DecisionKind(models.TextChoices):
    JOINT_STATEMENT = "joint_statement", _("Joint statement paragraph")
    DECISION = "decision", _("Decision of the body")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(models.Model):
    """A first-class decision: a joint statement paragraph or a decision of a body. Adopting it
    may endorse projects (through the project workflow) and it may create action items."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("paragraph or number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    text = TranslatableField(_("text"), max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    projects = models.ManyToManyField("projects.Project", blank=True, related_name="decisions",
                                      verbose_name=_("projects it endorses"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["meeting", "number", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} §{self.number or self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(models.Model):
    """Something a country, an organisation or a person owes by a date; it carries over from
    meeting to meeting until it is done or dropped."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = TranslatableField(_("action"), max_length=1000)
    owner_country = models.ForeignKey(MemberState, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("owner (country)"))
    owner_organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name=_("owner (organisation)"))
    owner_person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("owner (person)"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_date", "id"]

    def clean(self) -> None:
        owners = [self.owner_country_id, self.owner_organisation_id, self.owner_person_id]
        if sum(o is not None for o in owners) != 1:
            raise ValidationError(_("An action has exactly one owner: a country, an organisation or a person."))

    @property
    def owner(self):
        return self.owner_country or self.owner_organisation or self.owner_person

    def __str__(self) -> str:
        return str(self.title)


class ActionUpdate(models.Model):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
