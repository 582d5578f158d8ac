"""Running the scheduler on an event (operations.run_scheduler), placing a meeting by hand
(operations.place_meeting), and the Secretariat's button."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from serai.core.models import AuditEntry
from serai.core.workflow import TransitionError
from serai.matchmaking import operations, scheduling
from serai.matchmaking.models import (
    Attendance,
    EventStatus,
    Participant,
    ScheduledMeeting,
    Slot,
    Table,
)
from serai.matchmaking.operations import Registration
from serai.workspace.models import Notification


@pytest.fixture
def three(pair, mm):
    """Kim (KR) with accepted meetings with Aigerim (KZ, needs ko-ru) and Bakyt (KZ, speaks ko)."""
    kim, aigerim = pair
    bakyt = operations.register(
        mm["ed_kz"], mm["event"], Registration(person=mm["bakyt"], organisation=mm["kz_inst"], languages=["ru", "ko"])
    )
    r1 = operations.accept_request(mm["ed_kz"], operations.request_meeting(mm["kim_user"], kim, aigerim))
    r2 = operations.accept_request(mm["ed_kz"], operations.request_meeting(mm["kim_user"], kim, bakyt))
    return {"kim": kim, "aigerim": aigerim, "bakyt": bakyt, "r1": r1, "r2": r2}


def closed(mm):
    return operations.fire_event(mm["sec"], mm["event"], "close_registration")


def live(event):
    return {m.request_id: m for m in ScheduledMeeting.objects.filter(event=event).exclude(status=Attendance.CANCELLED)}


def test_the_scheduler_places_every_accepted_request_once(three, mm):
    event = closed(mm)
    summary = operations.run_scheduler(mm["sec"], event, time_limit=5)
    placed = live(event)
    assert set(placed) == {three["r1"].pk, three["r2"].pk}
    assert summary["placed"] == summary["accepted"] == summary["upper_bound"] == 2
    assert summary["new"] == 2 and summary["with_none"] == 0
    # Kim is in both: two different slots; Aigerim needs ko-ru: the ko-ru table
    assert placed[three["r1"].pk].slot_id != placed[three["r2"].pk].slot_id
    assert placed[three["r1"].pk].table.interpretation == "ko-ru"
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED and event.scheduled_at is not None
    run = AuditEntry.objects.get(action="matchmaking.event.schedule")
    assert run.changes["schedule"]["after"]["placed"] == 2
    assert AuditEntry.objects.filter(action="matchmaking.meeting.place").count() == 2
    told = Notification.objects.filter(kind="matchmaking.scheduled", recipient=mm["kim_user"])
    assert told.count() == 1 and told.get().params["count"] == 2


def test_a_second_run_keeps_confirmed_meetings_where_they_are(three, mm):
    event = closed(mm)
    operations.run_scheduler(mm["sec"], event, time_limit=5)
    first = live(event)[three["r1"].pk]
    operations.confirm_meeting(mm["sec"], first)
    other = live(event)[three["r2"].pk]
    # Kim can no longer come at the other meeting's slot, nor at any slot but the confirmed one and one more
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    free = next(s for s in slots if s.pk not in (first.slot_id, other.slot_id))
    three["kim"].unavailable_slots.set([s for s in slots if s.pk not in (first.slot_id, free.pk)])
    summary = operations.run_scheduler(mm["sec"], event, time_limit=5)
    again = live(event)
    kept = again[three["r1"].pk]
    assert (kept.pk, kept.slot_id, kept.table_id, kept.confirmed) == (first.pk, first.slot_id, first.table_id, True)
    assert again[three["r2"].pk].slot_id == free.pk
    assert summary["kept"] == 1 and summary["moved"] == 1
    place = AuditEntry.objects.filter(action="matchmaking.meeting.place").order_by("-id").first()
    assert place.changes["slot_id"] == {"before": other.slot_id, "after": free.pk}


def test_a_run_with_nothing_changed_writes_no_placement(three, mm):
    event = closed(mm)
    operations.run_scheduler(mm["sec"], event, time_limit=5)
    before = AuditEntry.objects.filter(action__startswith="matchmaking.meeting.").count()
    summary = operations.run_scheduler(mm["sec"], event, time_limit=5)
    assert summary["unchanged"] + summary["moved"] == 2
    if summary["moved"] == 0:
        assert AuditEntry.objects.filter(action__startswith="matchmaking.meeting.").count() == before


def test_a_confirmed_meeting_outside_availability_stops_the_run_and_changes_nothing(three, mm):
    event = closed(mm)
    operations.run_scheduler(mm["sec"], event, time_limit=5)
    first = live(event)[three["r1"].pk]
    operations.confirm_meeting(mm["sec"], first)
    three["aigerim"].unavailable_slots.add(first.slot)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        operations.run_scheduler(mm["sec"], event, time_limit=5)
    assert "Aigerim Kazakh is no longer available" in str(err.value)
    assert AuditEntry.objects.count() == entries
    assert live(event)[three["r1"].pk].pk == first.pk


def test_the_run_is_refused_while_registration_is_open_and_for_others_than_the_secretariat(three, mm):
    with pytest.raises(TransitionError):
        operations.run_scheduler(mm["sec"], mm["event"], time_limit=5)
    event = closed(mm)
    with pytest.raises(PermissionDenied):
        operations.run_scheduler(mm["ed_kz"], event, time_limit=5)
    assert not ScheduledMeeting.objects.filter(event=event).exists()


def test_recording_the_schedule_runs_the_scheduler(three, mm):
    event = operations.fire_event(mm["sec"], closed(mm), "schedule")
    assert event.status == EventStatus.SCHEDULED
    assert len(live(event)) == 2


def test_a_withdrawn_participant_leaves_the_schedule_on_the_next_run(three, mm):
    event = closed(mm)
    operations.run_scheduler(mm["sec"], event, time_limit=5)
    operations.withdraw_participant(mm["ed_kz"], three["bakyt"], "Cannot travel")
    summary = operations.run_scheduler(mm["sec"], event, time_limit=5)
    assert set(live(event)) == {three["r1"].pk}
    assert summary["accepted"] == 1


# --- by hand ----------------------------------------------------------------------------------
def test_placing_by_hand_refuses_a_slot_outside_availability_and_an_over_full_table(three, mm):
    event = closed(mm)
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    plain, ru = Table.objects.filter(event=event).order_by("number")
    three["bakyt"].unavailable_slots.add(slots[0])
    with pytest.raises(ValidationError) as err:
        operations.place_meeting(mm["sec"], three["r2"], slots[0], plain)
    assert err.value.message_dict == {"slot": [f"Bakyt Kazakh is not available at {slots[0]}."]}
    # Aigerim needs ko-ru: the plain table is refused
    with pytest.raises(ValidationError) as err:
        operations.place_meeting(mm["sec"], three["r1"], slots[1], plain)
    assert "has no Korean ↔ Russian interpretation" in str(err.value.message_dict["table"])
    operations.place_meeting(mm["sec"], three["r1"], slots[1], ru)
    # the ko-ru table is taken at slot 1, and Kim is busy then
    with pytest.raises(ValidationError) as err:
        operations.place_meeting(mm["sec"], three["r2"], slots[1], ru)
    assert "is full at" in str(err.value.message_dict["table"])
    assert "Kim Korea already has a meeting" in str(err.value.message_dict["slot"])
    assert list(live(event)) == [three["r1"].pk]
    assert AuditEntry.objects.filter(action="matchmaking.meeting.place").count() == 1
    with pytest.raises(PermissionDenied):
        operations.place_meeting(mm["ed_kz"], three["r2"], slots[2], plain)


def test_the_glue_reads_the_problem_in_a_constant_number_of_queries(three, mm, django_assert_num_queries):
    event = closed(mm)
    with django_assert_num_queries(6):
        loaded = scheduling.load(event)
    assert {r.interpretation for r in loaded.problem.requests} == {"ko-ru", None}
    assert len(loaded.problem.participants) == Participant.objects.filter(event=event).count() == 3


# --- the button -----------------------------------------------------------------------------------
def test_the_secretariat_button_runs_the_scheduler(three, mm, client):
    event = closed(mm)
    url = reverse("matchmaking:schedule_run", args=[event.pk])
    client.force_login(mm["sec"])
    page = client.get(reverse("matchmaking:event_detail", args=[event.pk]))
    assert url in page.content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Scheduled: 2 of 2 accepted requests placed" in response.content.decode()
    assert len(live(event)) == 2
    client.force_login(mm["ed_kz"])
    assert client.post(url).status_code == 403


def test_the_button_shows_why_the_run_is_refused(three, mm, client):
    client.force_login(mm["sec"])
    response = client.post(reverse("matchmaking:schedule_run", args=[mm["event"].pk]), follow=True)
    assert response.status_code == 200
    assert "cannot be moved with" in response.content.decode()
    assert not ScheduledMeeting.objects.filter(event=mm["event"]).exists()
