"""Matchmaking pages: registration and requests through the forms, bad input as form errors,
the marketplace and the event page with a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serai.core.testing import cold
from serai.matchmaking import operations
from serai.matchmaking.models import Event, MeetingRequest, Participant
from serai.matchmaking.operations import Registration

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"matchmaking:{name}", args=args)


def test_register_through_the_form(client, mm):
    client.force_login(mm["kim_user"])
    slot = mm["event"].slots.order_by("starts_at").first()
    r = client.post(
        _url("register", mm["event"].pk),
        {
            "person": mm["kim"].pk,
            "organisation": mm["kr_uni"].pk,
            "languages": ["ko", "en"],
            "unavailable_slots": [slot.pk],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Participant.objects.get()
    assert list(p.unavailable_slots.all()) == [slot]


def test_register_after_the_window_is_a_form_error(client, mm):
    Event.objects.filter(pk=mm["event"].pk).update(
        registration_closes=mm["event"].registration_opens + dt.timedelta(seconds=1)
    )
    client.force_login(mm["kim_user"])
    r = client.post(_url("register", mm["event"].pk), {"person": mm["kim"].pk, "organisation": mm["kr_uni"].pk})
    assert r.status_code == 400
    assert "Registration closed" in r.content.decode()
    assert not Participant.objects.exists()


def test_register_with_bad_input_names_the_field(client, mm):
    client.force_login(mm["kim_user"])
    r = client.post(
        _url("register", mm["event"].pk), {"organisation": "x", "languages": ["zz"], "needs_interpreter": "on"}
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Select a valid choice" in body and "Say which interpretation is needed." in body
    assert not Participant.objects.exists()


def test_delegation_form(client, mm):
    client.force_login(mm["fp_kz"])
    data = {"d-TOTAL_FORMS": "2", "d-INITIAL_FORMS": "0", "d-MIN_NUM_FORMS": "0", "d-MAX_NUM_FORMS": "50"}
    data.update({"d-0-person": mm["aigerim"].pk, "d-0-organisation": mm["kz_inst"].pk})
    data.update({"d-1-new_person_name": "Dana", "d-1-organisation": mm["kz_inst"].pk})
    r = client.post(_url("delegation", mm["event"].pk), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Participant.objects.filter(country__iso2="KZ").count() == 2


def test_request_accept_in_russian(client, pair, mm):
    kim, aigerim = pair
    client.force_login(mm["kim_user"])
    r = client.post(
        _url("request_create", mm["event"].pk), {"requester": kim.pk, "requested": aigerim.pk, "message": "Hi"}
    )
    assert r.status_code == 302
    req = MeetingRequest.objects.get()
    client.force_login(mm["ed_kz"])
    r = client.post(reverse("matchmaking:request_move", args=[req.pk]).replace("/en/", "/ru/"), {"name": "accept"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "accepted"


def test_duplicate_request_through_the_page_is_a_message(client, pair, mm):
    kim, aigerim = pair
    operations.request_meeting(mm["kim_user"], kim, aigerim)
    client.force_login(mm["ed_kz"])
    r = client.post(_url("request_create", mm["event"].pk), {"requester": aigerim.pk, "requested": kim.pk}, follow=True)
    assert "already open" in r.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_request_move_with_an_unknown_step(client, pair, mm):
    kim, aigerim = pair
    req = operations.request_meeting(mm["kim_user"], kim, aigerim)
    client.force_login(mm["ed_kz"])
    r = client.post(reverse("matchmaking:request_move", args=[req.pk]), {"name": "explode"}, follow=True)
    assert r.status_code == 200 and "Unknown step" in r.content.decode()


def test_event_form_bad_input(client, mm):
    client.force_login(mm["sec"])
    r = client.post(
        _url("event_edit", mm["event"].pk),
        {"registration_opens": "x", "days": "2026-13-01", "breaks": "12-13", "time_zone": "Mars/Base"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "is not a date like" in body and "is not a break like" in body and "Unknown time zone" in body


def _many(mm, n):
    regs = []
    for i in range(n):
        regs.append(
            Registration(
                new_person={"name": {"values": {"en": f"KZ {i}"}, "source": "en"}},
                organisation=mm["kz_inst"],
                profiles=[mm["profile_kz"]],
            )
        )
    return operations.register_delegation(mm["fp_kz"], mm["event"], regs)


def _count(client, url):
    client.get(url)  # warm-up: a session's first request writes what later ones only read
    cold()  # then a cold render: nothing kept between requests counts
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content.decode()[:2000]
    return len(ctx.captured_queries), r.content.decode()


def test_marketplace_constant_queries(client, pair, mm):
    kim, aigerim = pair
    client.force_login(mm["kim_user"])
    url = _url("marketplace", mm["event"].pk)
    few, body = _count(client, url)
    assert f'data-participant="{aigerim.pk}"' in body
    added = _many(mm, 6)
    more, body = _count(client, url)
    assert all(f'data-participant="{p.pk}"' in body for p in added)
    assert more == few


def test_event_page_and_list_constant_queries(client, pair, mm):
    kim, aigerim = pair
    client.force_login(mm["ed_kz"])
    operations.request_meeting(mm["kim_user"], kim, aigerim)
    few, body = _count(client, _url("event_detail", mm["event"].pk))
    assert 'id="mm-funnel"' in body
    added = _many(mm, 4)
    for p in added:
        operations.request_meeting(mm["kim_user"], kim, p) if p is added[0] else None
    more, body = _count(client, _url("event_detail", mm["event"].pk))
    assert more == few
    few, body = _count(client, _url("event_list"))
    assert f'data-event="{mm["event"].pk}"' in body


def test_requests_page_constant_queries(client, pair, mm):
    kim, aigerim = pair
    client.force_login(mm["kim_user"])
    operations.request_meeting(mm["kim_user"], kim, aigerim)
    few, _b = _count(client, _url("requests", mm["event"].pk))
    for p in _many(mm, 2):
        operations.request_meeting(mm["kim_user"], kim, p)
    more, body = _count(client, _url("requests", mm["event"].pk))
    assert body.count("data-request=") == 3
    assert more == few


def test_draft_event_is_the_secretariats(client, mm):
    Event.objects.filter(pk=mm["event"].pk).update(status="draft")
    client.force_login(mm["kim_user"])
    assert client.get(_url("event_detail", mm["event"].pk)).status_code == 404
    client.force_login(mm["sec"])
    assert client.get(_url("event_detail", mm["event"].pk)).status_code == 200


def test_marketplace_suggests_partners_with_reasons(client, pair, mm):
    from serai.network import index

    index.forget()
    kim, aigerim = pair
    operations.update_participant(mm["ed_kr"], kim, profiles=[mm["profile_kr"]])
    client.force_login(mm["kim_user"])
    body = client.get(_url("marketplace", mm["event"].pk)).content.decode()
    assert 'id="mm-suggestions"' in body
    section = body.split('id="mm-suggestions"', 1)[1].split("</section>", 1)[0]
    assert f'data-participant="{aigerim.pk}"' in section
    assert 'class="reasons"' in section and "<li>" in section.split('class="reasons"', 1)[1]
    # the requester's own organisation is never suggested to itself
    assert f'data-participant="{kim.pk}"' not in section
