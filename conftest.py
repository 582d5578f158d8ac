"""Fixtures shared by every Serai test."""

from __future__ import annotations

import itertools

import pytest

from serai.core.audit import SystemActor

_counter = itertools.count(1)


def pytest_configure(config):
    from django.conf import settings

    # Notification e-mails: sent when the test's transaction "commits", in the test's thread.
    settings.SERAI_NOTIFY_SYNC = True
    # The two-factor step (Secretariat, superusers) is off for the suite, which signs users in with
    # force_login; tests/security/test_login_two_factor.py turns it on and checks it.
    settings.SERAI_REQUIRE_2FA = False


@pytest.fixture
def system():
    return SystemActor("tests")


@pytest.fixture
def reference(db, system):
    """The Forum's reference data (without DAC codes, which need the shared codelists)."""
    from serai.reference.operations import load_reference

    load_reference(system, None)
    from serai.reference.models import Body, MemberState

    return {
        "states": {s.iso2: s for s in MemberState.objects.all()},
        "bodies": {b.code: b for b in Body.objects.all()},
    }


@pytest.fixture
def make_user(db, system):
    """make_user(role=None, scope=None, **fields) → a user holding that role."""
    from serai.access.operations import create_user, grant_role

    def factory(role=None, scope=None, username=None, password="pw-for-tests-1"):
        user = create_user(system, username or f"user{next(_counter)}", password=password)
        if role:
            grant_role(system, user, role, scope)
        return user

    return factory


@pytest.fixture
def make_org(db, system, reference):
    from serai.core.i18n import TranslatedText
    from serai.orgs.operations import create_organisation

    def factory(name="Org", helix="research", country="KZ", **values):
        values.setdefault("member_state", reference["states"].get(country) if country else None)
        return create_organisation(
            system, {"name": TranslatedText({"en": name}), "helix": helix, **values}
        )

    return factory


@pytest.fixture
def make_person(db, system, reference):
    from serai.core.i18n import TranslatedText
    from serai.people.operations import create_person

    def factory(name="Person", country="KZ", **values):
        values.setdefault("member_state", reference["states"].get(country) if country else None)
        return create_person(system, {"name": TranslatedText({"en": name}), **values})

    return factory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached fragments are keyed by the newest audit entry's id; ids can repeat across tests that
    roll back, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A test that activates a language (a request does, through LocaleMiddleware) must not leave it
    active for the next test: every test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
