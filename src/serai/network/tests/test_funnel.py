"""The cooperation funnel: counts on a small fixture, visibility, a constant number of queries,
the page (chart + table) and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries, body
from serai.network import funnel
from serai.network.models import CooperationProfile, Introduction
from serai.projects.models import Participation, Project
from serai.reference.models import CooperationField

# The rows are written directly: this test is about counting what is there, not about the
# operations that put it there (those have their own tests).


def _profile(org, status, *codes, title="Profile"):
    profile = CooperationProfile.objects.create(
        organisation=org, kind="tech_offer", status=status, title=TranslatedText({"en": title})
    )
    profile.fields.set(CooperationField.objects.filter(code__in=codes))
    return profile


def _intro(profile, requester, status):
    return Introduction.objects.create(profile=profile, requester_org=requester, status=status)


def _project(code, status, *orgs, created=None):
    project = Project.objects.create(code=code, title=TranslatedText({"en": code}), status=status)
    for org in orgs:
        Participation.objects.create(project=project, organisation=org, role="4")
    if created is not None:
        Project.objects.filter(pk=project.pk).update(created_at=created)
    return project


@pytest.fixture
def world(reference, make_org):
    kz = make_org("Almaty Energy Institute", helix="research", country="KZ")
    kr = make_org("Seoul Tech University", helix="academia", country="KR")
    uz = make_org("Tashkent Grid Co.", helix="industry", country="UZ")
    p1 = _profile(kz, "published", "energy")
    p2 = _profile(kr, "published", "energy", "education")
    p3 = _profile(uz, "draft", "trade")
    i1 = _intro(p1, kr, "accepted")  # → project A (endorsed): joint and endorsed
    i2 = _intro(p1, uz, "requested")  # interest only
    i3 = _intro(p2, uz, "accepted")  # → project B (an idea: only those who see it count it)
    i4 = _intro(p3, kr, "accepted")  # on a draft profile: only those who see the profile count it
    _project("A", "endorsed", kz, kr)
    _project("B", "idea", kr, uz)
    # endorsed, with kr and uz, but created long before the introductions: not a joint proposal
    _project("C", "endorsed", kr, uz, created=timezone.now() - dt.timedelta(days=3650))
    return {"kz": kz, "kr": kr, "uz": uz, "intros": (i1, i2, i3, i4)}


def _by(rows):
    return {r.key: r.counts for r in rows}


@pytest.mark.django_db
def test_public_counts_published_profiles_and_public_projects_only(world):
    from django.contrib.auth.models import AnonymousUser

    result = funnel.funnel(AnonymousUser())
    assert result.total.counts == {"profiles": 2, "interests": 3, "introductions": 2, "joint": 1, "endorsed": 1}
    countries = _by(result.by_country)
    assert countries["KZ"] == {"profiles": 1, "interests": 2, "introductions": 1, "joint": 1, "endorsed": 1}
    assert countries["KR"] == {"profiles": 1, "interests": 1, "introductions": 1, "joint": 0, "endorsed": 0}
    assert countries["UZ"] == dict.fromkeys(funnel.STAGES, 0)
    fields = _by(result.by_field)
    assert fields["energy"] == {"profiles": 2, "interests": 3, "introductions": 2, "joint": 1, "endorsed": 1}
    assert fields["education"] == {"profiles": 1, "interests": 1, "introductions": 1, "joint": 0, "endorsed": 0}
    assert fields["trade"] == dict.fromkeys(funnel.STAGES, 0)


@pytest.mark.django_db
def test_secretariat_counts_everything(world, make_user):
    result = funnel.funnel(make_user(Role.SECRETARIAT))
    # i3 and i4 both lead to project B (an idea, which the Secretariat sees); C predates them
    assert result.total.counts == {"profiles": 3, "interests": 4, "introductions": 3, "joint": 3, "endorsed": 1}
    assert _by(result.by_country)["UZ"] == {
        "profiles": 1,
        "interests": 1,
        "introductions": 1,
        "joint": 1,
        "endorsed": 0,
    }
    assert _by(result.by_field)["trade"]["joint"] == 1


@pytest.mark.django_db
def test_from_interests_on_each_stage_is_a_subset_of_the_one_before(world, make_user):
    for user in (None, make_user(Role.SECRETARIAT)):
        result = funnel.funnel(user)
        for row in [result.total, *result.by_country, *result.by_field]:
            assert row.values[1:] == sorted(row.values[1:], reverse=True), row


@pytest.mark.django_db
def test_query_count_does_not_grow(world, make_org):
    from django.contrib.auth.models import AnonymousUser

    def grow():
        tj = make_org("Dushanbe Solar", helix="industry", country="TJ")
        kg = make_org("Bishkek Agro", helix="research", country="KG")
        for n in range(3):
            p = _profile(tj, "published", "agriculture", "health", title=f"More {n}")
            i = _intro(p, kg, "accepted")
            _project(f"M{n}", "implementation", tj, kg)
            assert i.pk

    assert_constant_queries(
        lambda: funnel.funnel(AnonymousUser()),
        grow,
        check=lambda a, b: b.total.counts["joint"] == a.total.counts["joint"] + 3,
    )


@pytest.mark.django_db
def test_page_has_chart_table_and_csv(client, world):
    response = client.get("/en/network/funnel/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fig-funnel-country"' in html and 'id="fig-funnel-field"' in html
    assert "<table" in html and "published profiles" in html
    assert "<script>" not in html  # the figures are JSON data, drawn by serai/charts.js
    response = client.get("/en/network/funnel.csv?by=country")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0] == ["country", "name", *funnel.STAGES]
    kz = next(r for r in rows if r[0] == "KZ")
    assert kz[2:] == ["1", "2", "1", "1", "1"]
    assert client.get("/en/network/funnel.csv?by=colour").status_code == 400
    for lang in ("ko", "ru"):
        assert client.get(f"/{lang}/network/funnel/").status_code == 200
    # the network's list page links to the directory and the funnel
    html = client.get("/en/network/profiles/").content.decode()
    assert "/en/network/funnel/" in html and "/en/network/directory/" in html
