import pytest

from serai.access.models import Role


@pytest.mark.django_db
def test_public_sees_listed_people_without_contact_details(client, make_person):
    make_person("Listed Lee", is_public=True, email="lee@example.invalid")
    make_person("Hidden Han", email="han@example.invalid")
    body = client.get("/en/people/").content.decode()
    assert "Listed Lee" in body and "Hidden Han" not in body
    assert "lee@example.invalid" not in body


@pytest.mark.django_db
def test_focal_point_sees_own_country_with_contacts(client, make_person, make_user, reference):
    make_person("KZ Private", country="KZ", email="kz@example.invalid")
    make_person("UZ Private", country="UZ", email="uz@example.invalid")
    client.force_login(make_user(Role.FOCAL_POINT, reference["states"]["KZ"]))
    body = client.get("/en/people/").content.decode()
    assert "KZ Private" in body and "kz@example.invalid" in body
    assert "UZ Private" not in body


@pytest.mark.django_db
def test_hidden_person_detail_is_404_not_403(client, make_person):
    person = make_person("Hidden", email="h@example.invalid")
    assert client.get(f"/en/people/{person.pk}/").status_code == 404


@pytest.mark.django_db
def test_person_without_login_is_created_by_org_editor(client, make_user, make_org, reference):
    from serai.people.models import Person

    org = make_org("Editor Org", country="KZ")
    client.force_login(make_user(Role.ORG_EDITOR, org))
    data = {f"name_{i}": "" for i in range(6)} | {f"position_{i}": "" for i in range(6)}
    data |= {
        "name_0": "New Colleague",
        "name_6": "en",
        "position_6": "en",
        "organisation": str(org.pk),
        "member_state": "",
        "email": "",
        "phone": "",
    }
    response = client.post("/en/people/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(name__values__en="New Colleague")
    assert person.user is None and person.organisation == org


@pytest.mark.django_db
def test_add_a_person_is_offered_only_to_those_who_may_add_one(client, make_user, make_org, reference):
    """Found by the crawler (issue 14): a subcommittee member was offered "Add a person", a 403."""
    users = {
        "econ": (make_user(Role.SUBCOMMITTEE_MEMBER, reference["bodies"]["economy"]), False),
        "no role": (make_user(), False),
        "focal point": (make_user(Role.FOCAL_POINT, reference["states"]["KZ"]), True),
        "editor": (make_user(Role.ORG_EDITOR, make_org("Editor Org", country="KZ")), True),
        "secretariat": (make_user(Role.SECRETARIAT), True),
    }
    for name, (user, may) in users.items():
        client.force_login(user)
        offered = "/en/people/new/" in client.get("/en/people/").content.decode()
        status = client.get("/en/people/new/").status_code
        assert (offered, status) == ((True, 200) if may else (False, 403)), name
