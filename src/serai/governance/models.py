"""Meetings of the Forum's bodies. Forum sessions are meetings of the body of kind ``forum``.

The governance issue adds agendas, participants, minutes, decisions and action items on top
of :class:`Meeting`; the foundation holds the session history as reference data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableField
from serai.reference.models import Body, BodyKind, CooperationField, MemberState, Origin


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    HYBRID = "hybrid", _("hybrid")
    ONLINE = "online", _("online")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    host_country = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        verbose_name=_("host country"),
    )
    host_city = TranslatableField(_("host city"), max_length=120, blank=True)
    theme = TranslatableField(_("theme"), max_length=500, blank=True)
    summary = TranslatableField(_("summary"), blank=True, multiline=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chair")
    )
    mode = models.CharField(_("format"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    online_link = models.URLField(
        _("online link"),
        blank=True,
        max_length=500,
        help_text=_("Shown to participants with a role, never to the public."),
    )
    source_url = models.URLField(_("source"), blank=True, max_length=500)
    verified = models.BooleanField(
        _("verified by the Secretariat"),
        default=False,
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
            return _("%(body)s no. %(number)s (%(year)s)") % {
                "body": self.body,
                "number": self.number,
                "year": self.year,
            }
        return f"{self.body} {self.year}"

    @property
    def is_forum_session(self) -> bool:
        """A Forum session that was not cancelled: where projects are endorsed and work plans adopted."""
        return self.body.kind == BodyKind.FORUM and self.status != MeetingStatus.CANCELLED

    def adoption_date(self, on: dt.date | None = None) -> dt.date:
        """The day something was adopted here: ``on`` if given, else the meeting's last (or only)
        day, else today."""
        return on or self.end_date or self.start_date or timezone.localdate()

    def clean(self) -> None:
        if self.mode != MeetingMode.IN_PERSON and not self.online_link and self.status == MeetingStatus.PLANNED:
            raise ValidationError({"online_link": _("A hybrid or online meeting needs its link.")})
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
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("paragraph or number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    text = TranslatableField(_("text"), max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="decisions", verbose_name=_("projects it endorses")
    )
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


class ActionItemQuerySet(models.QuerySet):
    """What "open" and "overdue" mean for actions, once (``ActionItem.is_open``/``is_overdue`` say
    the same of one row)."""

    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today: dt.date | None = None) -> ActionItemQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """Something a country, an organisation or a person owes by a date; it carries over from
    meeting to meeting until it is done or dropped."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = TranslatableField(_("action"), max_length=1000)
    owner_country = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner (country)"),
    )
    owner_organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner (organisation)"),
    )
    owner_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner (person)"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    activity = models.ForeignKey(
        "WorkPlanActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("work plan activity"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def overdue_on(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < (today or timezone.localdate())

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on()

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
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.action} · {self.date:%Y-%m-%d}"


# --- bodies' membership --------------------------------------------------------------------------
class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class Membership(models.Model):
    """A person's seat on a body: a position, whom they represent, and for how long. The person
    needs no login; one who has one sees the body's internal papers while the term runs."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    position = models.CharField(_("position"), max_length=10, choices=Position.choices, default=Position.MEMBER)
    country = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("represents (country)"),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("represents (organisation)"),
    )
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["body", "position", "start_date", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def clean(self) -> None:
        if (self.country_id is None) == (self.organisation_id is None):
            raise ValidationError(_("A member represents either a country or an organisation."))
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The term ends before it starts.")})

    @property
    def represents(self):
        return self.country or self.organisation

    def current(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def __str__(self) -> str:
        return f"{self.person} · {self.get_position_display()} · {self.body}"


# --- participants and documents ------------------------------------------------------------------
class ParticipantRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    DELEGATE = "delegate", _("Delegate")
    SPEAKER = "speaker", _("Speaker")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("Secretariat")


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    ATTENDED = "attended", _("Attended")
    ONLINE = "online", _("Attended online")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Sent apologies")


class Participant(models.Model):
    """One person at a meeting, in a country's delegation (or for an organisation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    country = models.ForeignKey(
        MemberState, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("delegation of")
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    name = models.CharField(_("name (if not in the network)"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.DELEGATE)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["country__sort_order", "role", "id"]

    def clean(self) -> None:
        if self.person_id is None and not self.name.strip():
            raise ValidationError(_("Name the participant or choose a person from the network."))
        if self.country_id is None and self.organisation_id is None:
            raise ValidationError(_("A participant comes in a country's delegation or for an organisation."))

    @property
    def display_name(self) -> str:
        return str(self.person) if self.person_id else self.name

    def __str__(self) -> str:
        return self.display_name


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    BACKGROUND = "background", _("Background paper")
    PRESENTATION = "presentation", _("Presentation")
    STATEMENT = "statement", _("Statement")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = TranslatableField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    language = models.CharField(_("language"), max_length=8, blank=True)
    file = models.FileField(_("file"), upload_to="meetings/%Y/", max_length=300)
    filename = models.CharField(max_length=200, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public documents of a held or planned meeting are open to everyone.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["agenda_item__order", "kind", "id"]

    def __str__(self) -> str:
        return str(self.title) or self.filename


# --- minutes ---------------------------------------------------------------------------------
class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated to members")
    AMENDED = "amended", _("Amended")
    ADOPTED = "adopted", _("Adopted")


class Minutes(models.Model):
    """A meeting's minutes: the current text and status; every save keeps a :class:`MinutesRevision`."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    text = TranslatableField(_("text"), multiline=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = TranslatableField(_("text"), multiline=True, blank=True)
    status = models.CharField(max_length=12, choices=MinutesStatus.choices)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="minutes_revision_unique")]

    def __str__(self) -> str:
        return str(_("%(minutes)s, revision %(number)s") % {"minutes": self.minutes, "number": self.number})


# --- the Secretariat's work plan -----------------------------------------------------------------
class WorkPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class WorkPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = TranslatableField(_("title"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=WorkPlanStatus.choices, default=WorkPlanStatus.DRAFT)
    adopted_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plans",
        verbose_name=_("adopted at"),
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.STAFF)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return str(_("Work plan %(year)s") % {"year": self.year})


class PriorityArea(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveSmallIntegerField(default=0)
    title = TranslatableField(_("priority area"), max_length=300)
    fields = models.ManyToManyField(
        CooperationField, blank=True, related_name="priority_areas", verbose_name=_("cooperation fields")
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.STAFF)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.title)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkPlanActivity(models.Model):
    area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="activities", verbose_name=_("priority area")
    )
    title = TranslatableField(_("activity"), max_length=500)
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="work_plan_activities", verbose_name=_("projects")
    )
    budget_line = models.CharField(_("budget line"), max_length=60, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["area", "id"]
        verbose_name = _("work plan activity")
        verbose_name_plural = _("work plan activities")

    def __str__(self) -> str:
        return str(self.title)
