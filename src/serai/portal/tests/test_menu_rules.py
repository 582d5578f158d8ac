"""Issue 18: the menu's links follow the permission rules of the pages they lead to (``may`` in the
page context asks ``permissions.can``), so a focal point — who may use the control room — is
offered it, and nobody is offered a page that answers 403."""

import pytest
from django.urls import reverse

from serai.access import permissions
from serai.access.models import Role

# menu link → the rule its page requires
LINKS = {
    "controlroom_board": "controlroom.view",
    "audit_log": "audit.view",
    "languages": "language.view",
    "login_lockouts": "login.unlock",
}


@pytest.fixture
def users(make_user, make_org, reference):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "focal_point_kz": make_user(Role.FOCAL_POINT, reference["states"]["KZ"]),
        "editor": make_user(Role.ORG_EDITOR, make_org("Editor Org", country="KZ")),
        "subcommittee": make_user(Role.SUBCOMMITTEE_MEMBER, reference["bodies"]["economy"]),
        "no_role": make_user(),
    }


def _menu(page: str) -> str:
    return page.split("<nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
def test_focal_point_is_offered_the_control_room(client, users):
    client.force_login(users["focal_point_kz"])
    url = reverse("controlroom_board")
    assert url in _menu(client.get("/en/").content.decode())
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_each_menu_link_follows_its_rule(client, users):
    for name, user in users.items():
        client.force_login(user)
        menu = _menu(client.get("/en/").content.decode())
        for link, rule in LINKS.items():
            url = reverse(link)
            may = permissions.can(user, rule)
            assert (url in menu) is may, f"{name}: {link}"
            if not may:
                assert client.get(url).status_code in (403, 404), f"{name}: {link}"


@pytest.mark.django_db
def test_anonymous_menu_has_none_of_them(client):
    menu = _menu(client.get("/en/").content.decode())
    for link in LINKS:
        assert reverse(link) not in menu


def test_may_is_closed_for_an_unknown_action():
    from serai.portal.context_processors import May

    may = May(None)
    assert not may["controlroom"]  # a prefix of actions, not an action
    assert not may["controlroom"]["no_such_page"]
    assert may["reference"]["view"] is True
