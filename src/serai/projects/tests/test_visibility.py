"""Draft and pipeline projects are visible only to the Secretariat, the focal points of the
countries involved and the project's editors; public after endorsement. The rule must hold for
pages, search, the API, exports and counts."""

import csv
import io

import pytest
from django.test import Client

from serai.access import permissions
from serai.core.testing import body as body_of
from serai.projects import queries

pytestmark = pytest.mark.django_db

SECRET = "Quasar"  # a word only the draft's title holds


@pytest.fixture
def projects(make_project, walk, roles):
    from serai.core.i18n import TranslatedText

    draft = make_project(title=TranslatedText({"en": f"{SECRET} draft", "ko": "비밀 초안", "ru": "Секретный черновик"}))
    endorsed = walk(make_project(title=TranslatedText({"en": "Endorsed pipeline"})), "endorsed")
    appraisal = walk(make_project(title=TranslatedText({"en": f"{SECRET} in appraisal"})), "appraisal")
    return {"draft": draft, "endorsed": endorsed, "appraisal": appraisal}


# who sees which: (role, draft, appraisal)
SEES = [
    ("anonymous", False, False),
    ("nobody", False, False),
    ("secretariat", True, True),
    ("fp_kz", True, True),  # Kazakhstan is involved
    ("fp_uz", False, False),
    ("economy", False, True),  # the subcommittee appraises it
    ("social", False, False),
    ("editor", False, False),
]


def _client(roles, role):
    client = Client()
    if role != "anonymous":
        client.force_login(roles[role])
    return client


@pytest.mark.parametrize("role,sees_draft,sees_appraisal", SEES)
def test_rule_holds_for_queries_pages_search_api_exports_and_counts(projects, roles, role, sees_draft, sees_appraisal):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else roles[role]
    expected = (
        {projects["endorsed"].pk}
        | ({projects["draft"].pk} if sees_draft else set())
        | ({projects["appraisal"].pk} if sees_appraisal else set())
    )
    # queries and the per-object rule agree
    assert set(queries.projects(user).values_list("pk", flat=True)) == expected
    for key, project in projects.items():
        assert permissions.can(user, "project.view", project) == (project.pk in expected), key
    client = _client(roles, role)
    # list page and its count
    page = client.get("/en/projects/")
    assert page.context["page"].paginator.count == len(expected)
    assert (SECRET in page.content.decode()) == (sees_draft or sees_appraisal)
    # detail page: 404 for what may not be seen
    for key, project in projects.items():
        status = client.get(f"/en/projects/{project.pk}/").status_code
        assert status == (200 if project.pk in expected else 404), key
    # search, in English and Russian
    found = client.get(f"/en/projects/?q={SECRET}").context["page"].paginator.count
    assert found == int(sees_draft) + int(sees_appraisal)
    assert client.get("/ru/projects/?q=Секретный").context["page"].paginator.count == int(sees_draft)
    # API list, count and detail
    api = client.get("/api/v1/projects/").json()
    assert api["count"] == len(expected) and {p["id"] for p in api["results"]} == expected
    assert client.get(f"/api/v1/projects/{projects['draft'].pk}/").status_code == (200 if sees_draft else 404)
    assert client.get(f"/api/v1/projects/?q={SECRET}").json()["count"] == int(sees_draft) + int(sees_appraisal)
    # exports
    exported = body_of(client.get("/en/projects/export.csv")).decode("utf-8-sig")
    codes = {row["Code"] for row in csv.DictReader(io.StringIO(exported))}
    assert codes == {p.code for p in projects.values() if p.pk in expected}
    xlsx = client.get("/en/projects/export.xlsx")
    assert xlsx.status_code == 200 and body_of(xlsx)[:2] == b"PK"


def test_project_editors_see_their_draft(projects, roles, make_user):
    from serai.projects.models import Project

    outsider = make_user()
    draft = projects["draft"]
    assert not queries.projects(outsider).filter(pk=draft.pk).exists()
    Project.editors.through.objects.create(project_id=draft.pk, user_id=outsider.pk)
    permissions.forget(outsider)
    assert queries.projects(outsider).filter(pk=draft.pk).exists()


def test_declined_and_withdrawn_projects_never_become_public(make_project, walk, roles):
    from django.contrib.auth.models import AnonymousUser

    from serai.projects import operations

    declined = operations.fire_transition(
        roles["secretariat"], walk(make_project(), "screening"), "decline", reason="No funds."
    )
    withdrawn = operations.fire_transition(roles["fp_kz"], make_project(), "withdraw")
    visible = set(queries.projects(AnonymousUser()).values_list("pk", flat=True))
    assert declined.pk not in visible and withdrawn.pk not in visible
