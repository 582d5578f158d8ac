"""The matchmaking rules against their query filters, for every kind of user: what ``can`` allows
is exactly what the ``*_q`` filters let a page list (participants, requests, meetings, events)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from serai.access import permissions
from serai.matchmaking import operations
from serai.matchmaking.models import Event, MeetingRequest, Participant, ScheduledMeeting
from serai.matchmaking.operations import Registration

pytestmark = pytest.mark.django_db

USERS = ("sec", "ed_kr", "ed_kz", "fp_kz", "fp_uz", "kim_user", "nobody", "public")


@pytest.fixture
def world(mm, pair):
    kim, aigerim = pair
    bakyt = operations.register(mm["fp_kz"], mm["event"], Registration(person=mm["bakyt"], organisation=mm["kz_inst"]))
    r1 = operations.request_meeting(mm["kim_user"], kim, aigerim)
    operations.accept_request(mm["ed_kz"], r1)
    r2 = operations.request_meeting(mm["fp_kz"], bakyt, kim)
    slot = mm["event"].slots.order_by("starts_at").first()
    ScheduledMeeting.objects.create(request=r1, event=mm["event"], slot=slot, table=mm["event"].tables.first())
    operations.withdraw_participant(mm["fp_kz"], bakyt, "")
    users = {k: mm[k] for k in USERS if k != "public"} | {"public": AnonymousUser()}
    return users, r2


@pytest.mark.parametrize("who", USERS)
def test_queries_agree_with_can(world, who):
    users, _r2 = world
    user = users[who]
    seen = set(Participant.objects.filter(permissions.mm_participant_visibility_q(user, Participant.objects)))
    acting = set(Participant.objects.filter(permissions.mm_acting_q(user)))
    for p in Participant.objects.select_related("person"):
        assert (p in seen) == permissions.can(user, "matchmaking.participant.view", p), (who, p)
        assert (p in acting) == permissions.can(user, "matchmaking.participant.act", p), (who, p)
    requests = set(MeetingRequest.objects.filter(permissions.mm_request_visibility_q(user)))
    for r in MeetingRequest.objects.all():
        assert (r in requests) == permissions.can(user, "matchmaking.request.view", r), (who, r)
    meetings = set(ScheduledMeeting.objects.filter(permissions.mm_request_visibility_q(user, "request__")))
    for m in ScheduledMeeting.objects.all():
        assert (m in meetings) == permissions.can(user, "matchmaking.meeting.view", m), (who, m)
    Event.objects.update(status="draft")
    events = set(Event.objects.filter(permissions.mm_event_visibility_q(user)))
    for e in Event.objects.all():
        assert (e in events) == permissions.can(user, "matchmaking.event.view", e), (who, e)


def test_who_sees_what(world, mm):
    users, r2 = world
    kim = Participant.objects.get(person=mm["kim"])
    # a registered participant sees the event's other participants; someone unregistered does not
    assert permissions.can(users["ed_kz"], "matchmaking.participant.view", kim)
    assert not permissions.can(users["nobody"], "matchmaking.participant.view", kim)
    assert not permissions.can(users["public"], "matchmaking.participant.view", kim)
    # the focal point of the requested side's country decides; the other side's does not
    assert permissions.can(users["ed_kr"], "matchmaking.request.decide", r2)
    assert not permissions.can(users["fp_kz"], "matchmaking.request.decide", r2)
    assert permissions.can(users["fp_kz"], "matchmaking.request.withdraw", r2)
    assert not permissions.can(users["fp_uz"], "matchmaking.request.view", r2)
