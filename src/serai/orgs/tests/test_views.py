"""Organisation forms: permission, validation through operations, and edit conflicts."""

import pytest

from serai.access.models import Role
from serai.orgs.models import Organisation


def _form(name="Almaty Logistics Cluster", helix="industry", country=None, version=None, **extra):
    data = {
        "name_0": name,
        "name_1": "",
        "name_2": "",
        "name_3": "",
        "name_4": "",
        "name_5": "",
        "name_6": "en",
        "acronym": "",
        "helix": helix,
        "iati_type": "",
        "iati_identifier": "",
        "member_state": str(country.pk) if country else "",
        "other_country": "",
        "website": "",
        "description_0": "",
        "description_1": "",
        "description_2": "",
        "description_3": "",
        "description_4": "",
        "description_5": "",
        "description_6": "en",
    }
    if version is not None:
        data["version"] = str(version)
    data.update(extra)
    return data


@pytest.mark.django_db
def test_focal_point_adds_an_organisation_in_own_country_only(client, make_user, reference):
    kz, uz = reference["states"]["KZ"], reference["states"]["UZ"]
    client.force_login(make_user(Role.FOCAL_POINT, kz))
    response = client.post("/en/organisations/new/", _form(country=kz))
    assert response.status_code == 302
    org = Organisation.objects.get(name__values__en="Almaty Logistics Cluster")
    assert org.iati_type == "70"  # default IATI type for industry
    refused = client.post("/en/organisations/new/", _form(name="Elsewhere", country=uz))
    assert refused.status_code == 200  # the form shows the error (UZ is not a choice)
    assert not Organisation.objects.filter(name__values__en="Elsewhere").exists()


@pytest.mark.django_db
def test_public_cannot_reach_forms(client, make_org):
    org = make_org()
    assert client.get("/en/organisations/new/").status_code == 302
    assert client.get(f"/en/organisations/{org.pk}/edit/").status_code == 302


@pytest.mark.django_db
def test_editor_without_right_gets_403(client, make_user, make_org, reference):
    org = make_org(country="UZ")
    client.force_login(make_user(Role.FOCAL_POINT, reference["states"]["KZ"]))
    assert client.get(f"/en/organisations/{org.pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_second_editor_is_told_of_the_conflict(client, make_user, make_org, reference):
    kz = reference["states"]["KZ"]
    org = make_org("Shared Org", helix="research", country="KZ")
    client.force_login(make_user(Role.SECRETARIAT))
    first = client.post(f"/en/organisations/{org.pk}/edit/", _form("Shared Org (first)", "research", kz, version=1))
    assert first.status_code == 302
    second = client.post(f"/en/organisations/{org.pk}/edit/", _form("Shared Org (second)", "research", kz, version=1))
    assert second.status_code == 200
    assert "changed by someone else" in second.content.decode()
    org.refresh_from_db()
    assert org.name.get("en") == "Shared Org (first)" and org.version == 2


@pytest.mark.django_db
def test_invalid_helix_type_pair_is_shown_on_the_form(client, make_user, reference):
    client.force_login(make_user(Role.SECRETARIAT))
    response = client.post(
        "/en/organisations/new/", _form(helix="industry", iati_type="80", country=reference["states"]["KZ"])
    )
    assert response.status_code == 200
    assert "does not fit the helix" in response.content.decode()
