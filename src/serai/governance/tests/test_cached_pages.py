"""The meeting page, the action tracker and "my work" are kept whole for each signed-in viewer
(``serai.core.fragments.page``, issue 19): a repeat view comes from the cache, an audited write or
a waiting message gives a fresh render, and the unread badge is never kept."""

import pytest
from django.test import Client

from serai.core.i18n import TranslatedText
from serai.core.testing import count_queries
from serai.governance import operations
from serai.governance.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(reference):
    return Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_repeat_view_comes_from_the_cache_and_a_decision_shows_at_once(roles, meeting):
    client = _client(roles["secretariat"])
    path = f"/en/meetings/{meeting.pk}/"
    first, page1, _ = count_queries(lambda: client.get(path))
    again, page2, _ = count_queries(lambda: client.get(path))
    assert page1.status_code == page2.status_code == 200
    assert again < first
    operations.record_decision(roles["secretariat"], meeting, TranslatedText({"en": "Open a desert solar corridor"}))
    assert "Open a desert solar corridor" in client.get(path).content.decode()


def test_a_message_waiting_is_shown_not_a_kept_page(roles, meeting):
    client = _client(roles["secretariat"])
    path = f"/en/meetings/{meeting.pk}/"
    client.get(path)  # kept
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    request, response = HttpRequest(), HttpResponse()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Your change is saved.")
    storage.update(response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    assert "Your change is saved." in client.get(path).content.decode()
    assert "Your change is saved." not in client.get(path).content.decode()  # shown once


def test_the_tracker_and_my_work_are_kept_per_viewer_and_the_badge_is_live(roles, meeting):
    from serai.workspace.models import Notification

    fp = _client(roles["fp_kz"])
    for path in ("/en/actions/", "/en/my/"):
        first, _r1, _ = count_queries(lambda path=path: fp.get(path))
        again, r2, _ = count_queries(lambda path=path: fp.get(path))
        assert r2.status_code == 200 and again < first, path
    Notification.objects.create(recipient=roles["fp_kz"], kind="test", params={})  # moves no stamp
    for path in ("/en/actions/", "/en/my/"):
        assert '<span class="badge">1<' in fp.get(path).content.decode(), path
    assert "seraiSlot" not in fp.get("/en/my/").content.decode()
    # another viewer never gets the focal point's page
    other = _client(roles["fp_uz"])
    assert roles["fp_uz"].username in other.get("/en/my/").content.decode()
    assert roles["fp_kz"].username not in other.get("/en/my/").content.decode()


def test_a_kept_page_carries_each_sessions_own_token(roles, meeting):
    """Signing in again makes a new CSRF secret; the kept page must not carry the old session's
    token (its forms would answer 403), nor the same masked token twice."""
    import re

    from django.conf import settings
    from django.middleware.csrf import _unmask_cipher_token

    path = f"/en/meetings/{meeting.pk}/"
    seen = []
    for _session in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(roles["secretariat"])
        for _view in range(2):  # the first render is kept, the second comes from the cache
            html = client.get(path).content.decode()
            secret = client.cookies[settings.CSRF_COOKIE_NAME].value
            tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            assert len(tokens) > 1  # the page's own forms, not only the shell's
            assert {_unmask_cipher_token(t) for t in tokens} == {secret}
            seen.append(tokens[0])
    assert len(set(seen)) == len(seen) == 4  # masked afresh for every response
