"""A body's page lists who holds a role on it as well as who holds a seat (issue 14, also seen i):
it said "No members recorded." while a subcommittee expert held a role there. Names follow the
people register's visibility rules; a login's user name is never shown."""

from __future__ import annotations

from django.test import Client

from serai.access.models import Role
from serai.people.models import Person


def _members(client, code="economy") -> str:
    page = client.get(f"/en/bodies/{code}/").content.decode()
    return page.split('id="members-title"')[1].split("</section>")[0]


def test_role_holders_are_listed_with_their_visibility(reference, make_user, make_person):
    economy = reference["bodies"]["economy"]
    public_expert = make_user(Role.SUBCOMMITTEE_MEMBER, economy, username="expert-login-a")
    private_expert = make_user(Role.SUBCOMMITTEE_MEMBER, economy, username="expert-login-b")
    no_person = make_user(Role.SUBCOMMITTEE_MEMBER, economy, username="expert-login-c")
    make_user(Role.SUBCOMMITTEE_MEMBER, reference["bodies"]["social-culture"], username="elsewhere")
    Person.objects.filter(pk=make_person("Dilnoza Expert", country="UZ", is_public=True).pk).update(user=public_expert)
    Person.objects.filter(pk=make_person("Hidden Expert", country="KZ").pk).update(user=private_expert)

    public = _members(Client())
    assert "No members recorded." not in public
    assert "Dilnoza Expert" in public and "Hidden Expert" not in public
    assert public.count("not listed publicly") == 1
    assert "1 more member with an account is not in the people register." in public
    for login in ("expert-login-a", "expert-login-b", "expert-login-c", "elsewhere"):
        assert login not in public

    focal_kz = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])  # sees the KZ person by name
    client = Client()
    client.force_login(focal_kz)
    assert "Hidden Expert" in _members(client)
    assert no_person.username not in _members(client)


def test_a_body_without_seats_or_roles_still_says_so(client, reference):
    assert "No members recorded." in _members(client, "social-culture")
