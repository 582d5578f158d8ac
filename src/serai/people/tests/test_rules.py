"""Issue 18: the person page asks the permission module who may see a person's history (rule
``audit.view``) instead of testing for the Secretariat in the template."""

import pytest

from serai.access import permissions
from serai.access.models import Role


@pytest.mark.django_db
def test_history_link_follows_the_audit_rule(client, make_user, make_person, reference):
    person = make_person("Aigerim Sadykova", country="KZ", is_public=True)
    history = f"/en/audit/people.person/{person.pk}/"
    users = {
        "secretariat": make_user(Role.SECRETARIAT),
        "focal_point_kz": make_user(Role.FOCAL_POINT, reference["states"]["KZ"]),
        "no_role": make_user(),
    }
    for name, user in users.items():
        client.force_login(user)
        page = client.get(f"/en/people/{person.pk}/")
        assert page.status_code == 200, name
        assert (history in page.content.decode()) is permissions.can(user, "audit.view"), name
        assert client.get(history).status_code == (200 if name == "secretariat" else 403), name


@pytest.mark.django_db
def test_a_hidden_person_is_404_for_whoever_the_rule_refuses(client, make_user, make_person, reference):
    person = make_person("Private Person", country="UZ", is_public=False)
    for user, status in (
        (make_user(Role.FOCAL_POINT, reference["states"]["KZ"]), 404),
        (make_user(Role.FOCAL_POINT, reference["states"]["UZ"]), 200),
    ):
        assert permissions.can(user, "person.view", person) is (status == 200)
        client.force_login(user)
        assert client.get(f"/en/people/{person.pk}/").status_code == status
        assert client.get(f"/en/people/{person.pk}/edit/").status_code == (404 if status == 404 else 200)
