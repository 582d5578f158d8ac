"""Signed-in people get the project list and page from their own fragment cache (issue 19): a
second render comes from the cache, every write through an operation shows at once, and the
visibility rule holds on the cached paths for every role."""

import pytest
from django.test import Client

from serai.access import operations as access_operations
from serai.access.models import Role
from serai.core.audit import SystemActor
from serai.core.i18n import TranslatedText
from serai.core.testing import count_queries
from serai.projects import operations

pytestmark = pytest.mark.django_db

SECRET = "Quasar"


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_second_render_comes_from_the_cache_and_an_edit_shows_at_once(roles, make_project):
    project = make_project(title=TranslatedText({"en": "Steppe wind"}))
    client = _signed_in(roles["fp_kz"])
    for path in ("/en/projects/", f"/en/projects/{project.pk}/"):
        first, body1, _ = count_queries(lambda path=path: _text(client, path))
        again, body2, _ = count_queries(lambda path=path: _text(client, path))
        assert "Steppe wind" in body1 and "Steppe wind" in body2
        assert again < first, path  # the body's queries are gone

    operations.update_project(
        roles["fp_kz"], project, {"title": TranslatedText({"en": "Steppe sun"})}, expected_version=project.version
    )
    for path in ("/en/projects/", f"/en/projects/{project.pk}/", "/en/projects/?country=KZ&sort=code"):
        body = _text(client, path)
        assert "Steppe sun" in body and "Steppe wind" not in body, path


def test_a_result_added_to_a_project_shows_on_its_cached_page(roles, make_project):
    project = make_project()
    client = _signed_in(roles["fp_kz"])
    assert "Cleaner power for schools" not in _text(client, f"/en/projects/{project.pk}/")
    operations.add_result(roles["fp_kz"], project, "outcome", TranslatedText({"en": "Cleaner power for schools"}))
    assert "Cleaner power for schools" in _text(client, f"/en/projects/{project.pk}/")


@pytest.mark.parametrize(
    "role,sees",
    [
        ("secretariat", True),
        ("fp_kz", True),
        ("fp_uz", False),
        ("economy", False),
        ("editor", False),
        ("nobody", False),
        ("anonymous", False),
    ],
)
def test_visibility_holds_on_the_cached_paths(roles, make_project, role, sees):
    draft = make_project(title=TranslatedText({"en": f"{SECRET} draft"}))
    # every other role renders the pages first, so a shared fragment would leak here
    for other in ("secretariat", "fp_kz", "fp_uz", "economy", "editor", "nobody"):
        warm = _signed_in(roles[other])
        warm.get("/en/projects/")
        warm.get("/en/projects/?country=KZ&sort=code")
        warm.get(f"/en/projects/{draft.pk}/")
    client = Client() if role == "anonymous" else _signed_in(roles[role])
    for _ in range(2):  # the first render and the cached one
        assert (SECRET in _text(client, "/en/projects/")) is sees
        assert (SECRET in _text(client, "/en/projects/?country=KZ&sort=code")) is sees
        detail = client.get(f"/en/projects/{draft.pk}/")
        assert (detail.status_code == 200) is sees
        assert (SECRET in detail.content.decode()) is sees


def test_a_role_granted_or_revoked_changes_what_the_cached_pages_show(roles, reference, make_project):
    draft = make_project(title=TranslatedText({"en": f"{SECRET} draft"}))
    newcomer = roles["nobody"]
    client = _signed_in(newcomer)
    assert SECRET not in _text(client, "/en/projects/")
    assignment = access_operations.grant_role(
        SystemActor("test"), newcomer, Role.FOCAL_POINT, reference["states"]["KZ"]
    )
    assert SECRET in _text(client, "/en/projects/")
    assert client.get(f"/en/projects/{draft.pk}/").status_code == 200
    access_operations.revoke_role(SystemActor("test"), assignment)
    assert SECRET not in _text(client, "/en/projects/")
    assert client.get(f"/en/projects/{draft.pk}/").status_code == 404


def test_cached_forms_carry_a_fresh_valid_csrf_token(roles, make_project):
    project = make_project()
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles["fp_kz"])
    first = _text(client, f"/en/projects/{project.pk}/")
    second = _text(client, f"/en/projects/{project.pk}/")

    def tokens(html):
        import re

        return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

    assert tokens(first) and tokens(second)
    assert "seraiSlot" not in first + second  # every slot was filled
    assert tokens(first)[0] != tokens(second)[0]  # masked afresh for each response
    response = client.post(
        f"/en/projects/{project.pk}/editors/",
        {"csrfmiddlewaretoken": tokens(second)[0], "username": roles["fp_uz"].username},
    )
    assert response.status_code in (200, 302)  # not 403: the cached form's token is valid


def test_each_language_gets_its_own_fragment(roles, make_project):
    project = make_project(
        title=TranslatedText({"en": "Steppe wind", "ru": "Степной ветер", "ko": "초원의 바람"}, source="en")
    )
    client = _signed_in(roles["fp_kz"])
    for lang, title in (("en", "Steppe wind"), ("ru", "Степной ветер"), ("ko", "초원의 바람")):
        assert title in _text(client, f"/{lang}/projects/{project.pk}/")
        assert title in _text(client, f"/{lang}/projects/")
