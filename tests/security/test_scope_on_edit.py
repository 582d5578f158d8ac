"""An edit is checked against the scope the editor has *after* the change, as creating is (issue 13,
item 5): a focal point cannot move a project, an organisation or a person into another country's
scope — through the operation, the page or the API — and nothing is half-written when refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from serai.core.i18n import TranslatedText
from serai.orgs import operations as org_operations
from serai.people import operations as people_operations
from serai.projects import operations
from serai.projects.models import Project


def countries(project) -> list[str]:
    return sorted(Project.objects.get(pk=project.pk).countries.values_list("iso2", flat=True))


@pytest.fixture
def kz_project(make_project, roles):
    return make_project(actor=roles["secretariat"], countries=("KR", "KZ"))


def test_a_focal_point_cannot_move_a_project_out_of_their_country(kz_project, roles, reference):
    states = reference["states"]
    with pytest.raises(PermissionDenied):
        operations.update_project(
            roles["fp_kz"], kz_project, {"tags": ["moved"]}, countries=[states["KR"], states["UZ"]]
        )
    assert countries(kz_project) == ["KR", "KZ"]
    assert Project.objects.get(pk=kz_project.pk).tags == []  # nothing half-written


def test_a_proposing_focal_point_cannot_move_their_own_project_either(make_project, roles, reference):
    states = reference["states"]
    project = make_project(actor=roles["fp_kz"], countries=("KR", "KZ"))  # fp-kz is its editor
    with pytest.raises(PermissionDenied):
        operations.update_project(roles["fp_kz"], project, {}, countries=[states["KR"], states["UZ"]])
    assert countries(project) == ["KR", "KZ"]
    # creating it there is refused the same way
    with pytest.raises(PermissionDenied):
        make_project(actor=roles["fp_kz"], countries=("KR", "UZ"))


def test_edits_that_keep_the_editor_in_scope_still_work(kz_project, make_project, roles, reference):
    states = reference["states"]
    operations.update_project(roles["fp_kz"], kz_project, {}, countries=[states["KR"], states["KZ"], states["UZ"]])
    assert countries(kz_project) == ["KR", "KZ", "UZ"]
    operations.update_project(roles["secretariat"], kz_project, {}, countries=[states["KR"], states["TJ"]])
    assert countries(kz_project) == ["KR", "TJ"]
    # a partner organisation's editor proposes for any country, and may move their own proposal
    theirs = make_project(actor=roles["editor"], countries=("KR", "KZ"))
    operations.update_project(roles["editor"], theirs, {}, countries=[states["KR"], states["UZ"]])
    assert countries(theirs) == ["KR", "UZ"]


def test_the_api_refuses_the_move_too(client, kz_project, roles):
    client.force_login(roles["fp_kz"])
    url = f"/api/v1/projects/{kz_project.pk}/"
    version = Project.objects.get(pk=kz_project.pk).version
    response = client.patch(
        url, {"countries": ["KOR", "UZB"], "tags": ["moved"], "version": version}, content_type="application/json"
    )
    assert response.status_code == 403, response.content
    assert countries(kz_project) == ["KR", "KZ"] and Project.objects.get(pk=kz_project.pk).tags == []
    ok = client.patch(url, {"countries": ["KOR", "KAZ", "UZB"], "version": version}, content_type="application/json")
    assert ok.status_code == 200 and countries(kz_project) == ["KR", "KZ", "UZ"]


def test_the_edit_page_refuses_the_move(client, kz_project, roles, reference):
    client.force_login(roles["fp_kz"])
    form = client.get(f"/en/projects/{kz_project.pk}/edit/").context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "widgets"):
            for i, sub in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if sub is None else sub
        elif isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    data["countries"] = [str(reference["states"]["KR"].pk), str(reference["states"]["UZ"].pk)]
    response = client.post(f"/en/projects/{kz_project.pk}/edit/", data)
    assert response.status_code in (400, 403) or (response.status_code == 200 and response.context["form"].errors)
    assert countries(kz_project) == ["KR", "KZ"]


def test_a_focal_point_cannot_move_an_organisation_or_a_person_to_another_country(
    roles, reference, make_org, make_person
):
    states = reference["states"]
    org = make_org("Almaty Institute", country="KZ")
    for state in (states["UZ"], None):
        with pytest.raises(PermissionDenied):
            org_operations.update_organisation(roles["fp_kz"], org, {"member_state": state})
        org.refresh_from_db()
        assert org.member_state == states["KZ"]
    person = make_person("Aigerim", country="KZ")
    uz_org = make_org("Tashkent Institute", country="UZ")
    for move in (
        {"member_state": states["UZ"]},
        {"member_state": None, "organisation": uz_org},
        {"member_state": states["UZ"], "organisation": uz_org},
    ):
        with pytest.raises(PermissionDenied):
            people_operations.update_person(roles["fp_kz"], person, move)
        person.refresh_from_db()
        assert person.member_state == states["KZ"] and person.organisation is None
    # within their own country the edit goes through
    people_operations.update_person(roles["fp_kz"], person, {"name": TranslatedText({"en": "Aigerim N."})})
