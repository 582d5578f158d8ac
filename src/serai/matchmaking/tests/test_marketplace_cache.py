"""The marketplace's suggestions are remembered with the matcher's index (``network.index.remembered``)
and shared by every viewer: a write that changes them — a profile withdrawn, a participant withdrawn
and another registered — must show on the next page (the content version moves, the index and what
was remembered with it are dropped). The rows show names, labels and buttons worked out in the view."""

import pytest
from django.urls import reverse

from serai.matchmaking import operations
from serai.matchmaking.operations import Registration
from serai.network import index
from serai.network import operations as network

pytestmark = pytest.mark.django_db


def _suggested(client, event) -> str:
    body = client.get(reverse("matchmaking:marketplace", args=[event.pk])).content.decode()
    if 'id="mm-suggestions"' not in body:
        return ""
    return body.split('id="mm-suggestions"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def suggested(client, pair, mm):
    """Kim (bringing the Korean profile) signed in, with Aigerim suggested."""
    index.forget()
    kim, aigerim = pair
    operations.update_participant(mm["ed_kr"], kim, profiles=[mm["profile_kr"]])
    client.force_login(mm["kim_user"])
    assert f'data-participant="{aigerim.pk}"' in _suggested(client, mm["event"])
    return kim, aigerim


def test_a_withdrawn_profile_is_no_longer_suggested(client, mm, suggested):
    kim, aigerim = suggested
    network.fire_profile(mm["ed_kz"], mm["profile_kz"], "withdraw")
    assert f'data-participant="{aigerim.pk}"' not in _suggested(client, mm["event"])


def test_a_withdrawal_and_a_new_registration_show_in_the_suggestions(client, mm, suggested):
    kim, aigerim = suggested
    operations.withdraw_participant(mm["ed_kz"], aigerim, "ill")
    bakyt = operations.register(
        mm["ed_kz"],
        mm["event"],
        Registration(person=mm["bakyt"], organisation=mm["kz_inst"], profiles=[mm["profile_kz"]], languages=["ru"]),
    )
    section = _suggested(client, mm["event"])
    assert f'data-participant="{aigerim.pk}"' not in section
    assert f'data-participant="{bakyt.pk}"' in section


def test_rows_show_names_labels_and_the_request_state(client, mm, suggested):
    kim, aigerim = suggested
    bakyt = operations.register(
        mm["ed_kz"], mm["event"], Registration(person=mm["bakyt"], organisation=mm["kz_inst"], languages=["ru", "en"])
    )
    operations.request_meeting(mm["kim_user"], kim, aigerim)
    body = client.get(reverse("matchmaking:marketplace", args=[mm["event"].pk]) + "?page=1").content.decode()
    table = body.split('id="mm-marketplace"', 1)[1].split("</table>", 1)[0]
    rows = {chunk.split('"', 1)[0]: chunk for chunk in table.split('<tr data-participant="')[1:]}
    assert "Kazakh Energy Institute" in rows[str(aigerim.pk)] and "Aigerim Kazakh" in rows[str(aigerim.pk)]
    assert "Steppe solar parks" in rows[str(aigerim.pk)]
    assert "ru · " in rows[str(aigerim.pk)]  # needs an interpreter: the pair is named
    assert "Requested" in rows[str(aigerim.pk)] and "<form" not in rows[str(aigerim.pk)]
    assert (
        f'name="requested" value="{bakyt.pk}"' in rows[str(bakyt.pk)] and "csrfmiddlewaretoken" in rows[str(bakyt.pk)]
    )
    assert "ru, en" in rows[str(bakyt.pk)]
    assert "<form" not in rows[str(kim.pk)]  # never oneself


def test_the_body_is_kept_per_viewer_and_follows_writes(mm, pair):
    """The marketplace's body is cached per viewer: another viewer never gets it, a write shows at
    once, and its forms carry the requesting session's own CSRF token (a post with it goes through)."""
    from django.test import Client

    kim, aigerim = pair
    url = reverse("matchmaking:marketplace", args=[mm["event"].pk])
    kim_client, kz_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    kim_client.force_login(mm["kim_user"])
    kz_client.force_login(mm["ed_kz"])
    first = kim_client.get(url).content.decode()
    assert f'name="requester" value="{kim.pk}"' in first
    again = kim_client.get(url).content.decode()  # from the cache
    assert again.count("<form") == first.count("<form")
    theirs = kz_client.get(url).content.decode()
    assert f'name="requester" value="{kim.pk}"' not in theirs
    assert f'name="requester" value="{aigerim.pk}"' in theirs
    token = again.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert "placeholder" not in token
    response = kim_client.post(
        reverse("matchmaking:request_create", args=[mm["event"].pk]),
        {"csrfmiddlewaretoken": token, "requester": kim.pk, "requested": aigerim.pk, "message": "Hello"},
    )
    assert response.status_code == 302
    after = kim_client.get(url).content.decode()
    row = after.split(f'<tr data-participant="{aigerim.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Requested" in row and "<form" not in row
