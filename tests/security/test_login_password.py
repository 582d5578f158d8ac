"""Issue 13: password change and reset by e-mail for every user (Django's views and validators),
and sessions that end after SERAI_SESSION_IDLE_MINUTES without a request."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from serai.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(make_user):
    user = make_user(username="member", password="old-password-for-tests-1")
    user.email = "member@example.org"
    user.save()
    return user


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_password_reset_by_email_works(client, member, settings):
    settings.SERAI_BASE_URL = "https://serai.example.org"
    page = client.get("/ko/accounts/login/")
    assert b"/ko/accounts/password/reset/" in page.content  # the login page links to it
    response = client.post("/ko/accounts/password/reset/", {"email": "member@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    link = re.search(r"https://serai\.example\.org(/ko/accounts/password/reset/\S+/)", message.body)
    assert link, message.body  # the configured address, not the request's Host header
    confirm = client.get(link.group(1))
    assert confirm.status_code == 302  # Django swaps the token for a session-held one
    form_url = confirm["Location"]
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200  # the validators refuse a weak password
    done = client.post(form_url, {"new_password1": "brand-new-password-77", "new_password2": "brand-new-password-77"})
    assert done.status_code == 302
    client.post("/en/accounts/login/", {"username": "member", "password": "brand-new-password-77"})
    assert _signed_in(client)
    assert AuditEntry.objects.filter(action="password.reset", object_id=str(member.pk)).count() == 1
    # the link works once
    again = client.get(link.group(1), follow=True)
    assert again.status_code == 200 and again.context["validlink"] is False
    assert b'name="new_password1"' not in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, member):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_every_user_can_change_their_password(client, member):
    client.force_login(member)
    page = client.get("/en/")
    assert b"/en/accounts/password/" in page.content  # in the user menu
    short = client.post(
        "/en/accounts/password/",
        {"old_password": "old-password-for-tests-1", "new_password1": "short", "new_password2": "short"},
    )
    assert short.status_code == 200
    response = client.post(
        "/en/accounts/password/",
        {
            "old_password": "old-password-for-tests-1",
            "new_password1": "another-good-password-5",
            "new_password2": "another-good-password-5",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("another-good-password-5")
    assert AuditEntry.objects.filter(action="password.change", actor=member).count() == 1
    assert _signed_in(client)  # this session stays signed in


def test_a_reset_lifts_the_accounts_lockout(client, member):
    for _ in range(6):
        client.post("/en/accounts/login/", {"username": "member", "password": "wrong"})
    client.post("/en/accounts/password/reset/", {"email": "member@example.org"})
    link = re.search(r"(/en/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "brand-new-password-77", "new_password2": "brand-new-password-77"})
    client.post("/en/accounts/login/", {"username": "member", "password": "brand-new-password-77"})
    assert _signed_in(client)


def test_an_idle_session_ends_and_an_active_one_lasts(client, member, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SERAI_SESSION_IDLE_MINUTES * 60
    idle = dt.timedelta(minutes=settings.SERAI_SESSION_IDLE_MINUTES)
    start = timezone.now()
    client.post("/en/accounts/login/", {"username": "member", "password": "old-password-for-tests-1"})
    assert _signed_in(client)

    def at(moment):
        return mock.patch("django.utils.timezone.now", return_value=moment)

    # active: a request every three quarters of the idle time keeps the session alive
    for step in (1, 2, 3):
        with at(start + idle * 0.75 * step):
            assert client.get("/en/my/").status_code == 200
    # idle for longer than the limit: signed out
    with at(start + idle * 0.75 * 3 + idle + dt.timedelta(minutes=1)):
        response = client.get("/en/my/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
