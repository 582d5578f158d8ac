"""Issue 13: two-factor authentication (TOTP) for Secretariat staff and superusers, required
before any page but the two-factor pages and sign-out; others may opt in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from serai.access.models import Role
from serai.access.testing import current_token, login_verified
from serai.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.SERAI_REQUIRE_2FA = True


@pytest.fixture
def staff(make_user, reference):
    return make_user(Role.SECRETARIAT)


def _enrol(client) -> TOTPDevice:
    page = client.get("/en/accounts/2fa/?next=/en/projects/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "otpauth://totp/Serai" in html  # the QR code inline, the secret beside it
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/en/accounts/2fa/", {"token": current_token(device), "next": "/en/projects/"})
    assert response.status_code == 302 and response["Location"] == "/en/projects/"
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_secretariat_user_without_a_device_is_sent_to_enrol(client, staff):
    client.force_login(staff)
    response = client.get("/en/projects/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/?next=")
    assert client.get("/en/admin/").status_code == 302  # the admin too
    assert client.get("/api/v1/projects/").status_code == 403
    # enrol, then the pages open
    _enrol(client)
    assert client.get("/en/projects/").status_code == 200
    assert client.get("/en/admin/").status_code == 200
    assert AuditEntry.objects.filter(action="otp.enrol", object_id=str(staff.pk)).count() == 1


def test_a_later_sign_in_asks_for_a_token_and_refuses_a_wrong_one(client, staff):
    client.force_login(staff)
    device = _enrol(client)
    later = Client()
    later.force_login(staff)
    assert later.get("/en/projects/").status_code == 302
    page = later.get("/en/accounts/2fa/")
    assert b"Verify" in page.content and b"<svg" not in page.content  # no new secret is shown
    wrong = f"{(int(current_token(device, ahead=1)) + 1) % 1_000_000:06d}"
    response = later.post("/en/accounts/2fa/", {"token": wrong})
    assert response.status_code == 200 and b"not valid" in response.content
    assert later.get("/en/projects/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp throttles after a failure; this test is not about that
    device.save()
    response = later.post("/en/accounts/2fa/", {"token": current_token(device, ahead=1), "next": "/en/projects/"})
    assert response.status_code == 302
    assert later.get("/en/projects/").status_code == 200


def test_bad_token_input_is_a_form_error(client, staff):
    client.force_login(staff)
    response = client.post("/en/accounts/2fa/", {"token": "abc"})
    assert response.status_code == 200 and b"6-digit" in response.content


def test_a_superuser_needs_it_too(client, django_user_model, reference):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123456")
    client.force_login(admin)
    assert client.get("/en/admin/").status_code == 302


def test_the_two_factor_page_and_sign_out_stay_open(client, staff):
    client.force_login(staff)
    assert client.get("/en/accounts/2fa/").status_code == 200
    assert client.post("/en/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_other_roles_are_not_asked_unless_they_opt_in(client, make_user, reference):
    focal = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])
    client.force_login(focal)
    assert client.get("/en/projects/").status_code == 200
    _enrol(client)  # opting in
    other = Client()
    other.force_login(focal)
    assert other.get("/en/projects/").status_code == 302  # a device, once enrolled, is asked for


def test_the_verified_login_helper(client, staff):
    login_verified(client, staff)
    assert client.get("/en/projects/").status_code == 200


def test_next_must_stay_on_this_site(client, staff):
    client.force_login(staff)
    device_page = client.get("/en/accounts/2fa/")
    assert device_page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/en/accounts/2fa/", {"token": current_token(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and not re.match(r"https?://", response["Location"])


def test_the_secretariat_resets_a_lost_device(client, staff, make_user):
    colleague = make_user(Role.SECRETARIAT, username="colleague")
    TOTPDevice.objects.create(user=colleague, name="lost", confirmed=True)
    login_verified(client, staff)
    response = client.post(
        "/en/accounts/lockouts/", {"reset_device": "1", "username": "colleague", "reason": "lost phone"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert AuditEntry.objects.filter(action="otp.reset", object_id=str(colleague.pk)).count() == 1
