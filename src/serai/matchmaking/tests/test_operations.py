"""Matchmaking writes: set-up, registration, requests, withdrawal, outcomes (issue 16)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serai.core.models import AuditEntry
from serai.core.workflow import TransitionError
from serai.matchmaking import operations
from serai.matchmaking.models import MeetingRequest, Participant, ScheduledMeeting, Slot
from serai.matchmaking.operations import Registration
from serai.workspace.models import Notification

pytestmark = pytest.mark.django_db


def test_slots_are_generated_around_the_break(mm):
    slots = list(mm["event"].slots.order_by("starts_at"))
    # 09:00-10:30 (3 slots), break 10:30-11:00, 11:00-12:00 (2 slots), on two days
    assert len(slots) == 10
    first_day = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots if s.day == dt.date(2026, 6, 11)]
    assert first_day == ["09:00", "09:30", "10:00", "11:00", "11:30"]
    assert [s.number for s in slots] == list(range(1, 11))


def test_slot_times_skip_a_break_that_cuts_a_slot():
    times = operations.slot_times(["2026-06-11"], dt.time(9), dt.time(11), 40, [["09:50", "10:00"]], "Asia/Seoul")
    assert [(a.strftime("%H:%M"), b.strftime("%H:%M")) for _d, a, b in times] == [
        ("09:00", "09:40"),
        ("10:00", "10:40"),
    ]


def test_event_setup_is_the_secretariats(mm):
    with pytest.raises(PermissionDenied):
        operations.update_event(mm["ed_kr"], mm["event"], {"slot_minutes": 20})
    event = operations.update_event(mm["sec"], mm["event"], {"slot_minutes": 20})
    assert event.slots.count() == 2 * (90 // 20 + 60 // 20)
    assert AuditEntry.objects.filter(action="matchmaking.event.slots").count() == 2


def test_register_self_and_for_an_organisation(pair, mm):
    kim, aigerim = pair
    assert kim.country == mm["states"]["KR"] and aigerim.country == mm["states"]["KZ"]
    assert list(aigerim.profiles.all()) == [mm["profile_kz"]]
    assert AuditEntry.objects.filter(action="matchmaking.participant.register").count() == 2


def test_registration_outside_the_window_writes_nothing(mm):
    later = mm["event"].registration_closes + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as err:
        operations.register(
            mm["kim_user"], mm["event"], Registration(person=mm["kim"], organisation=mm["kr_uni"]), now=later
        )
    assert "closed" in str(err.value)
    assert not Participant.objects.exists()


def test_nobody_registers_someone_else(mm):
    with pytest.raises(PermissionDenied):
        operations.register(mm["nobody"], mm["event"], Registration(person=mm["kim"], organisation=mm["kr_uni"]))
    assert not Participant.objects.exists()


def test_twice_is_refused(pair, mm):
    with pytest.raises(ValidationError) as err:
        operations.register(mm["kim_user"], mm["event"], Registration(person=mm["kim"], organisation=mm["kr_uni"]))
    assert "already registered" in str(err.value)


def test_profiles_must_be_the_organisations_own(mm):
    with pytest.raises(ValidationError) as err:
        operations.register(
            mm["kim_user"],
            mm["event"],
            Registration(person=mm["kim"], organisation=mm["kr_uni"], profiles=[mm["profile_kz"]]),
        )
    assert "profiles" in err.value.message_dict


def test_a_focal_point_registers_the_delegation_all_or_none(mm):
    new = {"name": {"values": {"en": "Dana New"}, "source": "en"}}
    rows = [
        Registration(person=mm["aigerim"], organisation=mm["kz_inst"]),
        Registration(new_person=new, organisation=mm["kz_inst"]),
    ]
    done = operations.register_delegation(mm["fp_kz"], mm["event"], rows)
    assert len(done) == 2 and all(p.country == mm["states"]["KZ"] for p in done)
    # a second batch with one bad row (already registered) writes nothing
    with pytest.raises(ValidationError) as err:
        operations.register_delegation(
            mm["fp_kz"],
            mm["event"],
            [
                Registration(person=mm["bakyt"], organisation=mm["kz_inst"]),
                Registration(person=mm["aigerim"], organisation=mm["kz_inst"]),
            ],
        )
    assert "Row 2" in str(err.value)
    assert not Participant.objects.filter(person=mm["bakyt"]).exists()


def test_a_focal_point_cannot_register_another_country(mm):
    with pytest.raises(PermissionDenied):
        operations.register(mm["fp_uz"], mm["event"], Registration(person=mm["aigerim"], organisation=mm["kz_inst"]))


def test_register_with_a_new_organisation_through_the_orgs_operation(mm):
    p = operations.register(
        mm["fp_uz"],
        mm["event"],
        Registration(
            new_person={"name": {"values": {"en": "Otabek"}, "source": "en"}},
            new_organisation={
                "name": {"values": {"en": "Samarkand Agro"}, "source": "en"},
                "helix": "industry",
                "member_state": mm["states"]["UZ"],
            },
        ),
    )
    assert p.organisation.member_state == mm["states"]["UZ"]
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(p.organisation_id)).exists()


def test_request_accept_and_notify(pair, mm):
    kim, aigerim = pair
    req = operations.request_meeting(mm["kim_user"], kim, aigerim, "Grid storage?")
    assert Notification.objects.filter(recipient=mm["ed_kz"], kind="matchmaking.request").exists()
    with pytest.raises(TransitionError):
        operations.accept_request(mm["kim_user"], req)  # the requester cannot accept their own request
    req = operations.accept_request(mm["ed_kz"], req)
    assert req.status == "accepted" and req.decided_by == mm["ed_kz"]
    assert Notification.objects.filter(recipient=mm["kim_user"], kind="matchmaking.request_moved").exists()
    assert AuditEntry.objects.filter(action="matchmaking.request.accept").exists()


def test_decline_needs_a_reason(pair, mm):
    kim, aigerim = pair
    req = operations.request_meeting(mm["kim_user"], kim, aigerim)
    with pytest.raises(TransitionError):
        operations.decline_request(mm["ed_kz"], req, "  ")
    assert operations.decline_request(mm["ed_kz"], req, "Not our field").reason == "Not our field"


def test_no_duplicate_request_either_way(pair, mm):
    kim, aigerim = pair
    operations.request_meeting(mm["kim_user"], kim, aigerim)
    with pytest.raises(ValidationError) as err:
        operations.request_meeting(mm["ed_kz"], aigerim, kim)
    assert "already open" in str(err.value)
    assert MeetingRequest.objects.count() == 1


def test_a_withdrawn_request_may_be_made_again(pair, mm):
    kim, aigerim = pair
    req = operations.request_meeting(mm["kim_user"], kim, aigerim)
    operations.withdraw_request(mm["kim_user"], req)
    operations.request_meeting(mm["ed_kz"], aigerim, kim)
    assert MeetingRequest.objects.count() == 2


def test_request_limit(pair, mm):
    kim, aigerim = pair
    others = operations.register_delegation(
        mm["fp_kz"],
        mm["event"],
        [
            Registration(new_person={"name": {"values": {"en": f"KZ {i}"}, "source": "en"}}, organisation=mm["kz_inst"])
            for i in range(3)
        ],
    )
    for other in others:
        operations.request_meeting(mm["kim_user"], kim, other)
    with pytest.raises(ValidationError) as err:
        operations.request_meeting(mm["kim_user"], kim, aigerim)
    assert "limit of 3" in str(err.value)
    assert MeetingRequest.objects.filter(requester=kim).count() == 3


def test_request_outside_the_window(pair, mm):
    kim, aigerim = pair
    later = mm["event"].registration_closes + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError):
        operations.request_meeting(mm["kim_user"], kim, aigerim, now=later)
    assert not MeetingRequest.objects.exists()


def test_request_to_a_withdrawn_participant(pair, mm):
    kim, aigerim = pair
    operations.withdraw_participant(mm["ed_kz"], aigerim, "Cannot travel")
    with pytest.raises(ValidationError) as err:
        operations.request_meeting(mm["kim_user"], kim, aigerim)
    assert "withdrawn" in str(err.value)


def test_only_who_acts_for_the_requester_may_request(pair, mm):
    kim, aigerim = pair
    with pytest.raises(PermissionDenied):
        operations.request_meeting(mm["ed_kz"], kim, aigerim)


def _place(mm, req):
    slot = Slot.objects.filter(event=mm["event"]).order_by("starts_at").first()
    return ScheduledMeeting.objects.create(request=req, event=mm["event"], slot=slot, table=mm["event"].tables.first())


def test_withdrawal_after_scheduling_cancels_the_meetings(pair, mm):
    kim, aigerim = pair
    req = operations.accept_request(mm["ed_kz"], operations.request_meeting(mm["kim_user"], kim, aigerim))
    placed = _place(mm, req)
    counts = operations.withdraw_participant(mm["kim_user"], kim, "Flight cancelled")
    assert counts == {"withdrawn": 0, "declined": 0, "cancelled": 1}
    placed.refresh_from_db()
    req.refresh_from_db()
    assert placed.status == "cancelled" and req.status == "cancelled"
    assert AuditEntry.objects.filter(action="matchmaking.meeting.cancel").exists()
    assert Notification.objects.filter(recipient=mm["ed_kz"], kind="matchmaking.request_moved").exists()


def test_outcome_and_project_idea(pair, mm):
    kim, aigerim = pair
    req = operations.accept_request(mm["ed_kz"], operations.request_meeting(mm["kim_user"], kim, aigerim))
    placed = _place(mm, req)
    with pytest.raises(ValidationError):  # not held yet
        operations.record_outcome(mm["kim_user"], placed, kim, "follow_up")
    placed = operations.fire_meeting(mm["sec"], placed, "check_in")
    with pytest.raises(PermissionDenied):
        operations.record_outcome(mm["ed_kz"], placed, kim, "follow_up")
    outcome = operations.record_outcome(mm["ed_kr"], placed, kim, "mou", "Joint lab")
    project = operations.open_project_idea(mm["ed_kr"], outcome, "Korea–Kazakhstan smart grid lab")
    assert project.status == "idea"
    assert set(project.participations.values_list("organisation_id", flat=True)) == {mm["kr_uni"].pk, mm["kz_inst"].pk}
    assert set(project.countries.values_list("iso2", flat=True)) == {"KR", "KZ"}
    outcome.refresh_from_db()
    assert outcome.project == project
    with pytest.raises(ValidationError):
        operations.open_project_idea(mm["ed_kr"], outcome, "Again")
