"""The matcher's index from the database: what goes in, and rebuilt only after a change."""

from __future__ import annotations

import pytest

from serai.core.i18n import TranslatedText
from serai.network import index as match_index
from serai.network.models import CooperationProfile
from serai.projects.tests import conftest as _projects
from serai.reference.models import CooperationField

roles, make_project, energy, walk = _projects.roles, _projects.make_project, _projects.energy, _projects.walk


@pytest.fixture(autouse=True)
def _fresh_index():
    match_index.forget()
    yield
    match_index.forget()


def _profile(org, status, title):
    profile = CooperationProfile.objects.create(
        organisation=org, kind="tech_offer", status=status, title=TranslatedText({"en": title}), hs4=["8541"]
    )
    profile.fields.set(CooperationField.objects.filter(code="energy"))
    return profile


def test_entities_hold_every_organisation_and_the_public_profiles_only(make_org):
    org = make_org("Solar Institute", helix="research", country="KZ")
    live = _profile(org, "published", "Solar cells")
    draft = _profile(org, "draft", "Secret plan")
    keys = {e.key: e for e in match_index.entities()}
    assert f"org:{org.pk}" in keys and f"profile:{live.pk}" in keys
    assert f"profile:{draft.pk}" not in keys
    entity = keys[f"profile:{live.pk}"]
    assert (entity.country, entity.helix, entity.fields, entity.hs4) == (
        "KZ",
        "research",
        frozenset({"energy"}),
        frozenset({"8541"}),
    )
    assert entity.texts == (("en", "Solar cells"),)
    # the organisation carries its public profiles' products, not the draft's text
    assert keys[f"org:{org.pk}"].hs4 == frozenset({"8541"})


def test_index_is_rebuilt_only_after_an_audited_change(make_org):
    make_org("First", helix="research", country="KZ")
    first = match_index.get_index()
    assert match_index.get_index() is first  # nothing changed: the same index
    newcomer = make_org("Second", helix="industry", country="UZ")  # an audited write moves the content version
    second = match_index.get_index()
    assert second is not first
    assert second.entity(f"org:{newcomer.pk}") is not None


def test_collaborations_come_from_public_projects_only(make_org, make_project, walk, roles):
    a = make_org("A", helix="research", country="KZ")
    b = make_org("B", helix="industry", country="KR")
    from serai.projects import operations

    hidden = make_project()
    operations.add_participation(roles["secretariat"], hidden, a, "4")
    operations.add_participation(roles["secretariat"], hidden, b, "4")
    assert not [c for c in match_index._collaborations() if {c[0], c[1]} == {a.pk, b.pk}]
    public = make_project()
    operations.add_participation(roles["secretariat"], public, a, "4")
    operations.add_participation(roles["secretariat"], public, b, "4")
    walk(public, "endorsed")
    pairs = [c for c in match_index._collaborations() if {c[0], c[1]} == {a.pk, b.pk}]
    assert pairs and pairs[0][2] == "project" and pairs[0][3] == 2026
