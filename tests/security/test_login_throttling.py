"""Issue 13, defect 3: login throttling (django-axes) on the site's and the admin's login,
audited lockouts, and the Secretariat's unlock page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from serai.access.models import Role
from serai.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-for-tests-9"
SITE_LOGIN = "/en/accounts/login/"
ADMIN_LOGIN = "/en/admin/login/"


def _hammer(client, url, username, times=30):
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong-password"})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def victim(make_user, reference):
    return make_user(Role.SECRETARIAT, username="victim", password=PASSWORD)


def test_thirty_wrong_passwords_then_the_right_one_is_refused_on_the_site(client, victim):
    _hammer(client, SITE_LOGIN, "victim")
    response = client.post(SITE_LOGIN, {"username": "victim", "password": PASSWORD})
    assert not _signed_in(client)
    assert response.status_code == 429
    # Serai's own page, translated, not a bare string
    assert b"Sign-in paused" in response.content and b'class="site-header"' in response.content


def test_thirty_wrong_passwords_then_the_right_one_is_refused_on_the_admin(client, victim):
    _hammer(client, ADMIN_LOGIN, "victim")
    response = client.post(ADMIN_LOGIN, {"username": "victim", "password": PASSWORD, "next": "/en/admin/"})
    assert not _signed_in(client)
    assert response.status_code == 429


def test_the_lockout_page_is_in_the_visitors_language(client, victim):
    _hammer(client, "/ru/accounts/login/", "victim", times=6)
    response = client.post("/ru/accounts/login/", {"username": "victim", "password": PASSWORD})
    assert response.status_code == 429
    assert '<html lang="ru"' in response.content.decode()


def test_a_few_typos_do_not_lock_and_a_good_password_clears_the_count(client, victim):
    _hammer(client, SITE_LOGIN, "victim", times=4)
    client.post(SITE_LOGIN, {"username": "victim", "password": PASSWORD})
    assert _signed_in(client)
    client.logout()
    _hammer(client, SITE_LOGIN, "victim", times=4)  # counted from zero again
    client.post(SITE_LOGIN, {"username": "victim", "password": PASSWORD})
    assert _signed_in(client)


def test_another_address_is_not_locked_by_someone_elses_attempts(client, victim):
    _hammer(client, SITE_LOGIN, "victim", times=6)
    client.post(SITE_LOGIN, {"username": "victim", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert _signed_in(client)


def test_a_lockout_writes_one_audit_entry(client, victim):
    _hammer(client, SITE_LOGIN, "victim", times=12)
    entries = AuditEntry.objects.filter(action="login.lockout")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_id == str(victim.pk)
    assert entry.changes["username"]["after"] == "victim"
    assert entry.changes["ip_address"]["after"] == "127.0.0.1"


def test_the_secretariat_unlocks_and_the_user_signs_in(client, victim, make_user):
    from django.test import Client

    _hammer(client, SITE_LOGIN, "victim", times=6)
    staff = make_user(Role.SECRETARIAT)
    secretariat = Client()
    secretariat.force_login(staff)
    page = secretariat.get("/en/accounts/lockouts/")
    assert page.status_code == 200 and b"victim" in page.content
    response = secretariat.post("/en/accounts/lockouts/", {"username": "victim", "ip_address": "127.0.0.1"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login.unlock", actor=staff).count() == 1
    assert b"No sign-in is paused" in secretariat.get("/en/accounts/lockouts/").content
    client.post(SITE_LOGIN, {"username": "victim", "password": PASSWORD})
    assert _signed_in(client)


@pytest.mark.parametrize("role", [None, Role.FOCAL_POINT])
def test_no_one_else_may_unlock(client, victim, make_user, reference, role):
    from serai.access import operations

    _hammer(client, SITE_LOGIN, "victim", times=6)
    other = make_user(role, reference["states"]["KZ"] if role else None)
    outsider = type(client)()
    outsider.force_login(other)
    assert outsider.get("/en/accounts/lockouts/").status_code == 403
    assert outsider.post("/en/accounts/lockouts/", {"username": "victim"}).status_code == 403
    with pytest.raises(PermissionDenied):
        operations.unlock_login(other, username="victim", ip_address=None)
    client.post(SITE_LOGIN, {"username": "victim", "password": PASSWORD})
    assert not _signed_in(client)


def test_anonymous_visitors_are_sent_to_sign_in_from_the_unlock_page(client):
    assert client.get("/en/accounts/lockouts/").status_code == 302
