"""Forum matchmaking: one-to-one partner meetings at a Forum session, Business Council or
subcommittee meeting (issue 16).

An :class:`Event` is attached to a governance :class:`~serai.governance.models.Meeting`; its
:class:`Slot` rows are generated from its days, day times, slot length and breaks, and its
:class:`Table` rows say where meetings happen and which interpretation each table offers.
A :class:`Participant` is a person with an organisation registered for the event, bringing
cooperation profiles; a :class:`MeetingRequest` asks another participant for a meeting; once
accepted, the scheduler places it as a :class:`ScheduledMeeting` (slot × table); afterwards each
side records an :class:`Outcome`.

Every ``status`` field is moved only by the machines in :mod:`serai.matchmaking.workflow`
(through :mod:`serai.matchmaking.operations`); every other write goes through ``operations`` too.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.governance.models import Meeting
from serai.network.models import WORK_LANGUAGES, CooperationProfile
from serai.orgs.models import Organisation
from serai.people.models import Person
from serai.reference.models import MemberState


# --- choices -------------------------------------------------------------------------------
class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class Interpretation(models.TextChoices):
    """Interpretation offered at a table, or needed by a participant (a language pair)."""

    NONE = "none", _("No interpretation")
    KO_RU = "ko-ru", _("Korean ↔ Russian")
    KO_EN = "ko-en", _("Korean ↔ English")
    RU_EN = "ru-en", _("Russian ↔ English")


class ParticipantStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# A request in one of these statuses blocks another request between the same two participants.
OPEN_REQUEST_STATUSES = (RequestStatus.REQUESTED, RequestStatus.ACCEPTED)


class Attendance(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class OutcomeResult(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    MOU = "mou", _("MoU intended")
    NO_FIT = "no_fit", _("No fit")


# --- validators ----------------------------------------------------------------------------
def _parse_time(value) -> dt.time:
    if not isinstance(value, str):
        raise ValueError(value)
    return dt.time.fromisoformat(value)


def validate_days(value) -> None:
    """A non-empty list of distinct ISO dates ("2026-06-11"), in order."""
    msg = _("Meeting days are a list of distinct dates in order, e.g. 2026-06-11.")
    if not isinstance(value, list) or not value:
        raise ValidationError(msg)
    try:
        days = [dt.date.fromisoformat(v) if isinstance(v, str) else None for v in value]
    except ValueError:
        raise ValidationError(msg) from None
    if None in days or days != sorted(set(days)):
        raise ValidationError(msg)


def validate_breaks(value) -> None:
    """A list of ["HH:MM", "HH:MM"] pairs, each starting before it ends."""
    msg = _('Breaks are a list of [start, end] times, e.g. ["12:00", "13:30"].')
    if not isinstance(value, list):
        raise ValidationError(msg)
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValidationError(msg)
        try:
            start, end = _parse_time(pair[0]), _parse_time(pair[1])
        except (ValueError, TypeError):
            raise ValidationError(msg) from None
        if start >= end:
            raise ValidationError(msg)


def validate_languages(value) -> None:
    if not isinstance(value, list) or not all(v in WORK_LANGUAGES for v in value):
        raise ValidationError(_("Choose languages from the list."))


# --- models --------------------------------------------------------------------------------
class Event(models.Model):
    """The matchmaking of one meeting: when people register, when and where they meet."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="matchmaking", verbose_name=_("meeting")
    )
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    days = models.JSONField(_("meeting days"), default=list, validators=[validate_days])
    day_start = models.TimeField(_("first slot starts"), default=dt.time(9, 0))
    day_end = models.TimeField(_("last slot ends"), default=dt.time(17, 0))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    breaks = models.JSONField(
        _("breaks"),
        default=list,
        blank=True,
        validators=[validate_breaks],
        help_text=_("No meeting is placed in a break."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Seoul")
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_languages])
    request_limit = models.PositiveSmallIntegerField(
        _("requests per participant"),
        default=10,
        help_text=_("How many open or accepted requests one participant may have sent."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    scheduled_at = models.DateTimeField(_("last scheduled"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-registration_opens", "-id"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")

    def __str__(self) -> str:
        return str(self.meeting)

    def clean(self) -> None:
        errors = {}
        if self.registration_opens and self.registration_closes and self.registration_closes <= self.registration_opens:
            errors["registration_closes"] = _("Registration must close after it opens.")
        if self.day_start and self.day_end and self.day_end <= self.day_start:
            errors["day_end"] = _("The day must end after it starts.")
        if self.slot_minutes is not None and not 5 <= self.slot_minutes <= 240:
            errors["slot_minutes"] = _("A slot lasts between 5 and 240 minutes.")
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (ValueError, KeyError, zoneinfo.ZoneInfoNotFoundError):
            errors["time_zone"] = _("Unknown time zone.")
        if errors:
            raise ValidationError(errors)

    def registration_is_open(self, now: dt.datetime) -> bool:
        return (
            self.status == EventStatus.REGISTRATION_OPEN and self.registration_opens <= now < self.registration_closes
        )


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables", verbose_name=_("event"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    interpretation = models.CharField(
        _("interpretation"), max_length=8, choices=Interpretation.choices, default=Interpretation.NONE
    )

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="mm_table_number_unique")]

    def __str__(self) -> str:
        return self.name or str(_("Table %(number)s") % {"number": self.number})


class Slot(models.Model):
    """One meeting slot, generated from the event's days, times, slot length and breaks."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event"))
    number = models.PositiveSmallIntegerField(_("number"))  # 1, 2, … in time order over all days
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["event", "starts_at"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="mm_slot_number_unique"),
            models.UniqueConstraint(fields=["event", "starts_at"], name="mm_slot_start_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Participant(models.Model):
    """A person with an organisation registered for an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="matchmaking_participations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="matchmaking_participations",
        verbose_name=_("organisation"),
    )
    # the member state the participant comes for (the organisation's, else the person's): funnel by country
    country = models.ForeignKey(
        MemberState, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    profiles = models.ManyToManyField(
        CooperationProfile, blank=True, related_name="matchmaking_participants", verbose_name=_("profiles brought")
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True, validators=[validate_languages])
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpretation = models.CharField(
        _("interpretation needed"), max_length=8, choices=Interpretation.choices, default=Interpretation.NONE
    )
    # availability: every slot of the event except these
    unavailable_slots = models.ManyToManyField(
        Slot, blank=True, related_name="unavailable_participants", verbose_name=_("unavailable slots")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.REGISTERED,
        db_index=True,
    )
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=models.Q(status="registered"),
                name="mm_participant_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"

    def clean(self) -> None:
        if self.needs_interpreter and self.interpretation == Interpretation.NONE:
            raise ValidationError({"interpretation": _("Say which interpretation is needed.")})
        if not self.needs_interpreter and self.interpretation != Interpretation.NONE:
            raise ValidationError({"interpretation": _("Interpretation is set only when an interpreter is needed.")})


class MeetingRequest(models.Model):
    """One participant asks another for a meeting; at most one open request per pair (either way)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests", verbose_name=_("event"))
    requester = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="sent_requests", verbose_name=_("requested by")
    )
    requested = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="received_requests", verbose_name=_("requested from")
    )
    # "<smaller participant id>-<larger participant id>": one open request per pair, whichever way
    pair = models.CharField(max_length=40, editable=False)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "pair"],
                condition=models.Q(status__in=["requested", "accepted"]),
                name="mm_request_one_open_pair",
            ),
            models.CheckConstraint(condition=~models.Q(requester=models.F("requested")), name="mm_request_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.requested}"

    @staticmethod
    def pair_key(a_id: int, b_id: int) -> str:
        lo, hi = sorted((a_id, b_id))
        return f"{lo}-{hi}"

    def save(self, *args, **kwargs):
        self.pair = self.pair_key(self.requester_id, self.requested_id)
        super().save(*args, **kwargs)


class ScheduledMeeting(models.Model):
    """An accepted request placed in a slot at a table."""

    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="placement", verbose_name=_("request")
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="scheduled_meetings", verbose_name=_("event")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot"))
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("table"))
    confirmed = models.BooleanField(
        _("confirmed"), default=False, help_text=_("A confirmed meeting keeps its slot and table when re-scheduling.")
    )
    status = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.SCHEDULED, db_index=True
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    no_show_by = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("did not come"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["slot__starts_at", "table__number"]
        verbose_name = _("scheduled meeting")
        verbose_name_plural = _("scheduled meetings")
        constraints = [
            # one live meeting per table and slot
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=~models.Q(status="cancelled"),
                name="mm_meeting_table_slot_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} {self.table}"


class Outcome(models.Model):
    """What one side says came of a meeting; may open a project idea."""

    meeting = models.ForeignKey(
        ScheduledMeeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("participant")
    )
    result = models.CharField(_("outcome"), max_length=12, choices=OutcomeResult.choices)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matchmaking_outcomes",
        verbose_name=_("project idea"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["meeting", "participant"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="mm_outcome_once_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_result_display()}"
