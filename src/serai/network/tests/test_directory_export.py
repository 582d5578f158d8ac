"""The directory export (organisations and published profiles, CSV and XLSX): cells neutralised,
only what the viewer may see, the import layout (an export imports again), a constant query count."""

from __future__ import annotations

import csv
import io

import pytest

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries, body, count_queries
from serai.network import directory, importer
from serai.network.models import CooperationProfile
from serai.reference.models import CooperationField


def _profile(org, status, title, **values):
    profile = CooperationProfile.objects.create(
        organisation=org, kind="tech_offer", status=status, title=TranslatedText({"en": title}), **values
    )
    profile.fields.set(CooperationField.objects.filter(code="energy"))
    return profile


@pytest.fixture
def world(reference, make_org):
    evil = make_org('=HYPERLINK("http://evil.example","click")', helix="industry", country="KZ", acronym="@SUM(1+1)")
    kr = make_org("Seoul Tech University", helix="academia", country="KR", iati_identifier="KR-UNI-1")
    _profile(evil, "published", "+Grid models", hs4=["8504"])
    _profile(kr, "draft", "Secret draft plan")
    _profile(kr, "submitted", "Awaiting moderation")
    return {"evil": evil, "kr": kr}


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


@pytest.mark.django_db
def test_formulas_are_neutralised_in_csv_and_xlsx(client, world):
    rows = _csv(client.get("/en/network/directory/organisations.csv"))
    assert rows[0] == directory.ORG_HEADER
    evil = next(r for r in rows[1:] if r[0] == str(world["evil"].pk))
    assert evil[2] == '\'=HYPERLINK("http://evil.example","click")' and evil[5] == "'@SUM(1+1)"
    profiles = _csv(client.get("/en/network/directory/profiles.csv"))
    assert profiles[1][profiles[0].index("title_en")] == "'+Grid models"
    assert profiles[1][profiles[0].index("organisation_name")].startswith("'=HYPERLINK")

    from openpyxl import load_workbook

    response = client.get("/en/network/directory/organisations.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    evil_x = next(r for r in cells[1:] if r[0] == world["evil"].pk)
    assert evil_x[2].startswith("'=") and evil_x[5] == "'@SUM(1+1)"


@pytest.mark.django_db
def test_the_public_gets_published_profiles_only(client, world, make_user):
    titles = [r[5] for r in _csv(client.get("/en/network/directory/profiles.csv"))[1:]]
    assert titles == ["'+Grid models"]
    orgs = _csv(client.get("/en/network/directory/organisations.csv"))
    counts = {r[0]: r[-1] for r in orgs[1:]}
    assert counts == {str(world["evil"].pk): "1", str(world["kr"].pk): "0"}  # the draft is not counted
    # an editor of the organisation sees its drafts on its pages, but the directory holds published profiles only
    client.force_login(make_user(Role.ORG_EDITOR, world["kr"]))
    assert [r[5] for r in _csv(client.get("/en/network/directory/profiles.csv"))[1:]] == ["'+Grid models"]
    body_text = body(client.get("/en/network/directory/profiles.xlsx"))
    assert b"Secret draft plan" not in body_text and b"Awaiting moderation" not in body_text


@pytest.mark.django_db
def test_an_expired_profile_leaves_the_public_export(client, world, make_user):
    import datetime as dt

    CooperationProfile.objects.filter(title__values__en="+Grid models").update(valid_until=dt.date(2020, 1, 1))
    assert len(_csv(client.get("/en/network/directory/profiles.csv"))) == 1  # the header only
    client.force_login(make_user(Role.SECRETARIAT))
    assert len(_csv(client.get("/en/network/directory/profiles.csv"))) == 2


@pytest.mark.django_db
def test_unknown_kind_or_format_is_404(client, world):
    assert client.get("/en/network/directory/people.csv").status_code == 404
    assert client.get("/en/network/directory/organisations.pdf").status_code == 404
    assert client.get("/en/network/directory/").status_code == 200


@pytest.mark.django_db
def test_an_export_imports_again_unchanged(client, world, system, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    orgs = body(client.get("/en/network/directory/organisations.csv"))
    # the neutralised cells are text with a quote now; keep the plain organisation only
    lines = orgs.decode("utf-8-sig").splitlines()
    plain = "\n".join([lines[0], *[line for line in lines[1:] if "Seoul" in line]]).encode()
    report = importer.run(system, [("organisations.csv", plain)])
    assert report.ok, [str(e) for e in report.errors]
    assert report.unchanged == {"organisation": 1} and report.created == {}


@pytest.mark.django_db
def test_query_count_does_not_grow(world, make_org):
    from django.contrib.auth.models import AnonymousUser

    def fetch():
        return [list(directory.organisation_rows(AnonymousUser())), list(directory.profile_rows(AnonymousUser()))]

    def grow():
        for n in range(4):
            org = make_org(f"More {n}", helix="research", country="UZ")
            _profile(org, "published", f"Offer {n}")

    n = assert_constant_queries(fetch, grow, check=lambda a, b: len(b[1]) == len(a[1]) + 4)
    assert n == count_queries(fetch)[0]
