import csv
import io

import pytest

from serai.access.models import Role
from serai.core.testing import assert_constant_queries
from serai.core.testing import body as body_of
from serai.demo.projects import generate
from serai.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(reference, make_org):
    make_org("Generator partner A")
    make_org("Generator partner B", helix="industry")


def _grow(n=15):
    return lambda: generate(n, seed=n)


@pytest.mark.parametrize("role", [None, Role.SECRETARIAT, Role.FOCAL_POINT])
@pytest.mark.parametrize(
    "url", ["/en/projects/", "/en/projects/?status=implementation&sort=-budget", "/api/v1/projects/"]
)
def test_project_lists_have_constant_queries(client, demo_world, make_user, reference, role, url):
    if role:
        client.force_login(make_user(role, reference["states"]["KZ"] if role == Role.FOCAL_POINT else None))
    generate(5, seed=1)

    def check(first, second):
        assert first.status_code == second.status_code == 200

    assert_constant_queries(lambda: client.get(url), _grow(), check=check)


def test_project_detail_has_constant_queries(client, demo_world, make_user, make_org):
    from serai.projects.models import Participation, Project

    client.force_login(make_user(Role.SECRETARIAT))
    generate(1, seed=3)
    project = Project.objects.get()
    grown = []

    def grow():  # new partners (the generated project already has every existing organisation)
        for n in range(3):
            org = make_org(f"Grown partner {n}", country="KZ")
            Participation.objects.create(project=project, organisation=org, role="3")
            grown.append(org)

    def check(first, second):  # every organisation grown in is listed (linked) as a participant
        # by its link: the names alone are also in the Secretariat's "add a partner" choices
        links = [f'href="/en/organisations/{org.pk}/"' for org in grown]
        assert not any(link in first.content.decode() for link in links)
        assert all(link in second.content.decode() for link in links)

    assert_constant_queries(lambda: client.get(f"/en/projects/{project.pk}/"), grow, check=check)


def test_filters_combine_and_export_matches_the_filtered_list(client, demo_world, make_user, reference):
    client.force_login(make_user(Role.SECRETARIAT))
    generate(60, seed=5)
    query = "country=UZ&scope=multilateral&sort=code"
    page = client.get(f"/en/projects/?{query}")
    # the list reads (id, updated_at) pairs and renders each row from its fragment
    ids = [pk for pk, _updated in page.context["page"].paginator.object_list]
    rows = {p.pk: p for p in Project.objects.filter(pk__in=ids).prefetch_related("countries")}
    listed = [rows[pk].code for pk in ids]
    assert listed and len(listed) == page.context["page"].paginator.count
    assert all("UZ" in {c.iso2 for c in p.countries.all()} and p.scope == "multilateral" for p in rows.values())
    exported = body_of(client.get(f"/en/projects/export.csv?{query}")).decode("utf-8-sig")
    assert [row["Code"] for row in csv.DictReader(io.StringIO(exported))] == listed
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body_of(client.get(f"/en/projects/export.xlsx?{query}"))))
    codes = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert codes == listed


def test_search_finds_korean_and_russian_titles(client, demo_world):
    generate(30, seed=9)
    assert client.get("/en/projects/?q=태양광").context["page"].paginator.count >= 1
    assert client.get("/en/projects/?q=Солнечные").context["page"].paginator.count >= 1
    assert client.get("/en/projects/?q=zzzznotaword").context["page"].paginator.count == 0


def test_simple_search_backend_works_on_any_database(demo_world):
    from serai.core.search import SimpleBackend
    from serai.projects.models import Project

    generate(30, seed=9)
    found = SimpleBackend().search(Project.objects.all(), "Solar mini-grids")
    assert found.exists() and all("Solar" in p.search_document for p in found)


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi: 3" in text and "/api/v1/projects/{id}/transition/" in text


def test_api_write_flow_with_version_conflict_and_transition_errors(client, make_user, reference, energy):
    fp = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])
    anonymous = client.post("/api/v1/projects/", {}, content_type="application/json")
    assert anonymous.status_code in (401, 403)
    client.force_login(fp)
    payload = {
        "title": {"values": {"en": "API project", "ru": "Проект через API"}, "source": "en"},
        "summary": {"values": {"en": "Made through the API."}},
        "countries": ["KOR", "KAZ"],
        "subcommittee": "economy",
        "sectors": [{"field": "energy", "percentage": "100"}],
        "planned_start": "2026-03-01",
        "planned_end": "2027-03-01",
    }
    created = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["scope"] == "bilateral" and body["status"] == "idea" and body["version"] == 1
    url = f"/api/v1/projects/{body['id']}/"
    assert client.patch(url, {"tags": ["a"], "version": 1}, content_type="application/json").status_code == 200
    stale = client.patch(url, {"tags": ["b"], "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    bad = client.post(f"{url}transition/", {"name": "endorse"}, content_type="application/json")
    assert bad.status_code == 409 and "cannot be moved" in bad.json()["detail"][0]
    ok = client.post(f"{url}transition/", {"name": "submit"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    bad_sectors = client.patch(
        url, {"sectors": [{"field": "energy", "percentage": "50"}]}, content_type="application/json"
    )
    assert bad_sectors.status_code == 400


def test_create_form_and_transition_dialog(client, make_user, reference, energy):
    from serai.projects.models import Project

    fp = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])
    client.force_login(fp)
    data = (
        {f"title_{i}": "" for i in range(6)}
        | {f"summary_{i}": "" for i in range(6)}
        | {f"description_{i}": "" for i in range(6)}
    )
    data |= {
        "title_0": "Form project",
        "title_6": "en",
        "summary_0": "From the form.",
        "summary_6": "en",
        "description_6": "en",
        "subcommittee": str(reference["bodies"]["economy"].pk),
        "planned_start": "2026-01-01",
        "planned_end": "2027-01-01",
        "countries": [str(reference["states"]["KR"].pk), str(reference["states"]["KZ"].pk)],
        "sector_field_0": str(energy.pk),
        "sector_pct_0": "100",
        "tags_text": "pilot, energy",
    }
    response = client.post("/en/projects/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(title__values__en="Form project")
    assert project.tags == ["pilot", "energy"] and project.scope == "bilateral"
    detail = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert 'data-open-dialog="dlg-submit"' in detail
    client.post(f"/en/projects/{project.pk}/transition/", {"name": "submit"})
    project.refresh_from_db()
    assert project.status == "submitted"
    refused = client.post(f"/en/projects/{project.pk}/transition/", {"name": "screen"}, follow=True)
    assert "You may not do this" in refused.content.decode()
