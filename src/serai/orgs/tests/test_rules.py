"""Issue 18: who may add an organisation, and in which countries, is decided by the permission
module (``organisation.create_any``, ``organisation.create`` and its filter on member states), not
by the views; the pages answer accordingly."""

import pytest

from serai.access import permissions
from serai.access.models import Role
from serai.orgs import queries


@pytest.fixture
def users(make_user, make_org, reference):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "focal_point_kz": make_user(Role.FOCAL_POINT, reference["states"]["KZ"]),
        "editor": make_user(Role.ORG_EDITOR, make_org("Editor Org", country="KZ")),
        "subcommittee": make_user(Role.SUBCOMMITTEE_MEMBER, reference["bodies"]["economy"]),
        "no_role": make_user(),
    }


MAY_ADD = {"secretariat", "focal_point_kz"}


@pytest.mark.django_db
def test_create_any_rule(users):
    for name, user in users.items():
        assert permissions.can(user, "organisation.create_any") is (name in MAY_ADD), name


@pytest.mark.django_db
def test_create_rule_takes_a_member_state_or_its_id(users, reference):
    kz, uz = reference["states"]["KZ"], reference["states"]["UZ"]
    fp = users["focal_point_kz"]
    assert permissions.can(fp, "organisation.create", kz) and permissions.can(fp, "organisation.create", kz.pk)
    assert not permissions.can(fp, "organisation.create", uz) and not permissions.can(fp, "organisation.create", uz.pk)
    assert not permissions.can(fp, "organisation.create", None)  # no member state: the Secretariat's
    assert permissions.can(users["secretariat"], "organisation.create", None)


@pytest.mark.django_db
def test_the_country_choices_follow_the_rule(users, reference):
    from serai.reference.models import MemberState

    for name, user in users.items():
        offered = set(queries.creatable_states(user).values_list("pk", flat=True))
        allowed = {s.pk for s in MemberState.objects.all() if permissions.can(user, "organisation.create", s)}
        assert offered == allowed, name
    assert set(queries.creatable_states(users["focal_point_kz"])) == {reference["states"]["KZ"]}


@pytest.mark.django_db
def test_the_add_page_and_link_answer_by_the_rule(client, users):
    for name, user in users.items():
        client.force_login(user)
        offered = "/en/organisations/new/" in client.get("/en/organisations/").content.decode()
        status = client.get("/en/organisations/new/").status_code
        assert (offered, status) == ((True, 200) if name in MAY_ADD else (False, 403)), name


@pytest.mark.django_db
def test_the_form_offers_only_the_countries_the_rule_allows(client, users, reference):
    client.force_login(users["focal_point_kz"])
    form = client.get("/en/organisations/new/").context["form"]
    assert set(form.fields["member_state"].queryset) == {reference["states"]["KZ"]}
    client.force_login(users["secretariat"])
    form = client.get("/en/organisations/new/").context["form"]
    assert set(form.fields["member_state"].queryset) >= set(reference["states"].values())


@pytest.mark.django_db
def test_history_link_follows_the_audit_rule(client, users, make_org):
    org = make_org("Audited Org", country="KZ")
    history = f"/en/audit/orgs.organisation/{org.pk}/"
    for name, user in users.items():
        client.force_login(user)
        page = client.get(f"/en/organisations/{org.pk}/").content.decode()
        assert (history in page) is permissions.can(user, "audit.view"), name
        assert client.get(history).status_code == (200 if name == "secretariat" else 403), name
