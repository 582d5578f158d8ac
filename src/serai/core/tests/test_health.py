"""``/healthz`` for the reverse proxy (issue 19): the database and the cache are checked on every call;
200 or 503 with a tiny JSON; no session, no cookie, never stored, never throttled."""

from __future__ import annotations

import json

import pytest
from django.core.cache.backends.base import BaseCache
from django.test import override_settings

pytestmark = pytest.mark.django_db


class BrokenCache(BaseCache):
    """A cache server that is down: every call fails, as Django's Redis backend does then."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    add = get = set = touch = delete = clear = has_key = incr = _down


BROKEN = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}


def _answer(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_a_healthy_server_answers_200_with_each_check_and_nothing_to_keep(client):
    from django.contrib.sessions.models import Session

    response = client.get("/healthz")
    assert response.status_code == 200
    assert _answer(response) == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, CSRF or language cookie
    assert "Cookie" not in response.get("Vary", "")
    assert not Session.objects.exists()


def test_a_cache_that_is_down_makes_the_server_unhealthy(client):
    assert client.get("/healthz").status_code == 200
    with override_settings(CACHES=BROKEN):
        response = client.get("/healthz")  # checked again: a first good answer is never replayed
    assert response.status_code == 503
    assert _answer(response) == {"status": "fail", "checks": {"database": "ok", "cache": "fail"}}
    assert "unreachable" not in response.content.decode()  # the error goes to the log only


def test_a_database_that_fails_makes_the_server_unhealthy(client):
    from django.db import OperationalError, connection

    def refuse(execute, sql, params, many, context):
        raise OperationalError("the server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert _answer(response) == {"status": "fail", "checks": {"database": "fail", "cache": "ok"}}


def test_only_reads_are_answered(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


def test_login_throttling_never_touches_the_health_check(client, settings, make_user):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user(username="target", password="right-password-for-tests-9")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post("/en/accounts/login/", {"username": "target", "password": "wrong"})
    locked = client.post("/en/accounts/login/", {"username": "target", "password": "right-password-for-tests-9"})
    assert locked.status_code == 429  # this address is locked out for that user name …
    assert client.get("/healthz").status_code == 200  # … and the proxy's check from it still passes
