"""The demo data has a matchmaking event with participants and requests (and loading it twice adds nothing)."""

import pytest

from serai.core.audit import SystemActor
from serai.demo.matchmaking import load_demo_matchmaking
from serai.demo.network import load_demo_network
from serai.demo.registry import load_demo
from serai.matchmaking.models import Event, MeetingRequest

pytestmark = pytest.mark.django_db


def test_demo_event(reference, client):
    actor = SystemActor("tests")
    load_demo(actor, "pw-for-tests-1")
    load_demo_network(actor)
    assert load_demo_matchmaking(actor) >= 6
    assert load_demo_matchmaking(actor) == 0
    event = Event.objects.get(is_demo=True)
    assert event.status == "registration_open" and event.slots.count() == 2 * 12  # 9:00–12:00, 13:30–15:00, 15:30–17:00
    statuses = set(MeetingRequest.objects.values_list("status", flat=True))
    assert {"accepted", "declined", "requested"} <= statuses
    r = client.get(f"/en/matchmaking/{event.pk}/")
    assert r.status_code == 200 and 'id="mm-funnel"' in r.content.decode()
