"""access sits below reference, orgs, people, projects, governance and network: it names their
values by value and their rows by field name. These tests keep those names true."""

import pytest

from serai.access import operations, permissions
from serai.access.models import SCOPED_BODY_KINDS, Role
from serai.projects.tests.conftest import energy, make_project, roles  # noqa: F401 (fixtures)


def test_the_scoped_body_kinds_are_reference_body_kinds():
    from serai.reference.models import BodyKind

    assert set(SCOPED_BODY_KINDS) == {BodyKind.SUBCOMMITTEE, BodyKind.WORKING_GROUP}
    assert set(SCOPED_BODY_KINDS) <= set(BodyKind.values)


def test_the_public_project_statuses_are_the_projects_own():
    from serai.projects.models import PUBLIC_STATUSES

    assert set(permissions.PROJECT_PUBLIC) == set(PUBLIC_STATUSES)


@pytest.mark.django_db
def test_a_project_filter_across_many_countries_lists_each_project_once(system, make_project, roles, reference):  # noqa: F811
    """A focal point of both countries of a draft project sees it once (the filter is a subquery
    by field name, not a join that repeats the row per matching country)."""
    from serai.projects import queries

    fp = roles["fp_kz"]
    operations.grant_role(system, fp, Role.FOCAL_POINT, reference["states"]["UZ"])
    permissions.forget(fp)
    project = make_project(countries=("KR", "KZ", "UZ"))
    assert project.status not in permissions.PROJECT_PUBLIC
    assert [p.pk for p in queries.projects(fp)] == [project.pk]
    assert list(queries.projects(roles["fp_uz"]).filter(pk=project.pk).values_list("pk", flat=True)) == [project.pk]
    assert not queries.projects(roles["economy"]).filter(pk=project.pk).exists()


@pytest.mark.django_db
def test_a_seat_with_a_running_term_makes_its_holder_a_member_of_the_body(system, make_user, reference):
    """principal() reads the seats from the user's side (Person.user, Membership.person)."""
    import datetime as dt

    from django.utils import timezone

    from serai.core.i18n import TranslatedText
    from serai.governance.models import Membership
    from serai.people.models import Person

    user = make_user()
    person = Person.objects.create(name=TranslatedText({"en": "A. Member"}), user=user)
    body = reference["bodies"]["economy"]
    today = timezone.localdate()
    Membership.objects.create(body=body, person=person, start_date=today - dt.timedelta(days=10))
    ended = reference["bodies"]["social-culture"]
    Membership.objects.create(
        body=ended, person=person, start_date=today - dt.timedelta(days=10), end_date=today - dt.timedelta(days=1)
    )
    assert permissions.principal(user).bodies == frozenset({body.pk})
