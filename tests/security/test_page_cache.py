"""The public page cache shares only renders that depend on nothing but public content.

Issue 13, defect 1: a signed-in user without a role (here a focal point whose role was revoked)
was served and stored as "public", yet still sees the draft they created and their own person
record; anonymous visitors then got that render (draft, edit link, forms, the user's CSRF token).
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from serai.access.models import Role, RoleAssignment
from serai.access.operations import grant_role, revoke_role
from serai.core import audit, pagecache
from serai.core.i18n import TranslatedText
from serai.projects import operations as project_operations

# The project tests' fixtures (roles, make_project, walk...).

DRAFT_TITLE = "Secret draft of a revoked focal point"
PERSON_NAME = "Private person of a revoked focal point"

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def revoked(roles, make_project, make_person, system):
    """A former focal point (role revoked) with a draft project they created and their own,
    unlisted person record."""
    user = roles["fp_kz"]
    draft = make_project(actor=user, title=TranslatedText({"en": DRAFT_TITLE}, source="en"))
    make_person(name=PERSON_NAME, country="KZ", user=user, is_public=False)
    for assignment in RoleAssignment.objects.filter(user=user):
        revoke_role(system, assignment, reason="left the post")
    return user, draft


def _urls(draft):
    return [
        "/en/projects/",
        f"/en/projects/{draft.pk}/",
        "/api/v1/projects/",
        f"/api/v1/projects/{draft.pk}/",
        f"/en/search/?q={draft.code}",
        "/en/search/?q=Secret",
        "/en/countries/KZ/",
        "/en/",
    ]


def test_a_signed_in_user_without_a_role_never_feeds_the_public_cache(client, revoked):
    user, draft = revoked
    client.force_login(user)
    seen = {}
    for url in _urls(draft):
        response = client.get(url)
        seen[url] = response.content.decode()
    # The scenario is real: signed in, the user sees their draft, edit link, forms and person.
    assert DRAFT_TITLE in seen["/en/projects/"]
    assert f"/en/projects/{draft.pk}/edit/" in seen[f"/en/projects/{draft.pk}/"]
    assert TOKEN.search(seen[f"/en/projects/{draft.pk}/"])
    assert DRAFT_TITLE in seen["/api/v1/projects/"]
    assert DRAFT_TITLE in seen[f"/api/v1/projects/{draft.pk}/"]
    assert PERSON_NAME in seen["/en/countries/KZ/"]
    user_tokens = {t for page in seen.values() for t in TOKEN.findall(page)}

    client.logout()
    for url in _urls(draft):
        response = client.get(url)
        page = response.content.decode()
        assert DRAFT_TITLE not in page, url
        if draft.code not in url:
            assert draft.code not in page, url
        assert PERSON_NAME not in page, url
        assert f"/projects/{draft.pk}/edit/" not in page, url
        assert f"/projects/{draft.pk}/transition/" not in page, url
        assert not any(t in page for t in user_tokens), url
    assert client.get(f"/en/projects/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{draft.pk}/").status_code == 404


def test_the_anonymous_render_is_not_served_to_a_signed_in_user(client, revoked):
    user, _draft = revoked
    assert DRAFT_TITLE not in client.get("/en/projects/").content.decode()  # cached for the public
    client.force_login(user)
    assert DRAFT_TITLE in client.get("/en/projects/").content.decode()
    assert DRAFT_TITLE in client.get("/api/v1/projects/").content.decode()


def test_a_shared_render_never_carries_a_csrf_token(db, rf):
    """Belt and braces: even for an anonymous request, a fragment whose render used the CSRF token
    is served but not stored."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    template = engines["django"].from_string("<form method=post>{% csrf_token %}</form>")
    request = rf.get("/en/whatever/")
    request.user = AnonymousUser()
    calls = []

    def render():
        calls.append(1)
        return template.render({}, request)

    key = pagecache.public_key(request, "csrf-test")
    assert key is not None
    first = pagecache.fragment(request, key, render)
    second = pagecache.fragment(request, key, render)
    assert "csrfmiddlewaretoken" in first and len(calls) == 2  # rendered twice: never stored
    assert second != "" and TOKEN.search(second)


def test_private_writes_keep_the_public_content_version(roles, make_project, system, make_org, make_user, reference):
    from serai.workspace import operations as workspace

    user = roles["fp_kz"]
    project = make_project(actor=user)
    (note,) = workspace.notify(
        roles["secretariat"],
        "project.moved",
        [user],
        params={"title": "x", "code": project.code, "status": "x"},
        link=("project_detail", [project.pk]),
    )
    before = pagecache.content_version()
    workspace.mark_read(user, note)
    workspace.save_filter(user, "project_list", "Mine", "country=KZ&status=draft")
    workspace.set_preference(user, language="ru", email=False)
    workspace.mark_all_read(user)
    audit.record(system, "login.lockout", user, extra={"ip": "192.0.2.1"})
    assert pagecache.content_version() == before

    make_org("A new public organisation")  # a public write moves it
    assert pagecache.content_version() > before
    moved = pagecache.content_version()
    project_operations.fire_transition(user, project, "submit")
    assert pagecache.content_version() > moved
    moved = pagecache.content_version()
    # a role puts a focal point's person on the country page; an entry without an object counts too
    grant_role(system, make_user(), Role.FOCAL_POINT, reference["states"]["UZ"])
    assert pagecache.content_version() > moved
    moved = pagecache.content_version()
    audit.record(system, "project.generate", None, after={"projects": 0})
    assert pagecache.content_version() > moved


@override_settings(ALLOWED_HOSTS=["a.example", "b.example", "testserver"])
def test_cached_api_bodies_do_not_keep_the_first_requesters_host(client, roles, make_project, walk, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 1)  # a "next" link on the first page
    public = [walk(make_project(), "endorsed") for _ in range(2)]
    for url in ("/api/v1/projects/", f"/api/v1/projects/{public[0].pk}/"):
        first = client.get(url, HTTP_HOST="a.example").content.decode()
        assert "http://a.example/api/v1/projects/" in first
        second = client.get(url, HTTP_HOST="b.example")
        assert second.status_code == 200
        body = second.content.decode()
        assert "a.example" not in body, url
        assert "http://b.example/api/v1/projects/" in body
        cache.clear()
        assert second.json() == client.get(url, HTTP_HOST="b.example").json()  # as a fresh render
    listing = client.get("/api/v1/projects/", HTTP_HOST="b.example").json()
    assert listing["next"] == "http://b.example/api/v1/projects/?page=2"
    assert listing["results"][0]["url"].startswith("http://b.example/api/v1/projects/")
