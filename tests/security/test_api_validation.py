"""The project rules hold at every door (issue 13, item 14): the API, the form and the operations
refuse negative sector shares that add up to 100, an end before its start, too many or too long
tags; an API update must say which version it edits; a translated text is a JSON object, never a
form field's text (item 15: multipart bodies stored "{}" as a title)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from serai.access.models import Role
from serai.core.i18n import TranslatedText
from serai.projects import operations
from serai.projects.models import Project
from serai.projects.operations import SectorShare
from serai.reference.models import CooperationField

URL = "/api/v1/projects/"


@pytest.fixture
def fp(make_user, reference):
    return make_user(Role.FOCAL_POINT, reference["states"]["KZ"])


@pytest.fixture
def api(client, fp):
    client.force_login(fp)
    return client


def payload(**changes) -> dict:
    base = {
        "title": {"values": {"en": "Solar schools"}, "source": "en"},
        "summary": {"values": {"en": "Panels on roofs."}},
        "countries": ["KOR", "KAZ"],
        "subcommittee": "economy",
        "sectors": [{"field": "energy", "percentage": "100"}],
        "planned_start": "2026-03-01",
        "planned_end": "2027-03-01",
        "tags": ["solar"],
    }
    return base | changes


def _post(api, body, **kwargs):
    return api.post(URL, body, content_type="application/json", **kwargs)


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        (
            {"sectors": [{"field": "energy", "percentage": "150"}, {"field": "education", "percentage": "-50"}]},
            "sectors",
        ),
        ({"sectors": [{"field": "energy", "percentage": "100"}, {"field": "education", "percentage": "0"}]}, "sectors"),
        ({"planned_start": "2027-03-01", "planned_end": "2026-03-01"}, "planned_end"),
        ({"tags": [f"t{i}" for i in range(10_000)]}, "tags"),
        ({"tags": ["x" * 61]}, "tags"),
        ({"tags": [""]}, "tags"),
        ({"title": "{}"}, "title"),
        ({"title": {"values": {}}}, "title"),
        ({"title": {"values": ["en", "x"]}}, "title"),
        ({"title": {"values": {"en": 5}}}, "title"),
        ({"title": {"values": {"en": "x"}, "source": 7}}, "title"),
        ({"title": {"values": {"en": "x"}, "extra": 1}}, "title"),
    ],
)
def test_api_refuses_what_the_rules_refuse_and_writes_nothing(api, reference, changes, key):
    response = _post(api, payload(**changes))
    assert response.status_code == 400, response.content
    assert key in response.json(), response.json()
    assert not Project.objects.exists()


def test_api_accepts_a_good_project(api, reference):
    response = _post(
        api, payload(sectors=[{"field": "energy", "percentage": "60.5"}, {"field": "education", "percentage": "39.5"}])
    )
    assert response.status_code == 201, response.content


def test_multipart_and_form_bodies_are_refused(api, reference):
    """A form-encoded title is text, not the translated-text object: "{}" was stored as a title."""
    for body, kind in [
        ({"title": "{}", "countries": ["KOR", "KAZ"]}, None),
        ("title=%7B%7D", "application/x-www-form-urlencoded"),
    ]:
        response = api.post(URL, body, **({"content_type": kind} if kind else {}))
        assert response.status_code == 415, response.content
    assert not Project.objects.exists()


def test_update_must_name_the_version_it_edits(api, reference):
    body = _post(api, payload()).json()
    url = f"{URL}{body['id']}/"
    missing = api.patch(url, {"tags": ["b"]}, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()
    assert Project.objects.get().tags == ["solar"]
    ok = api.patch(url, {"tags": ["b"], "version": body["version"]}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    for changes, key in [
        ({"planned_end": "2020-01-01"}, "planned_end"),
        ({"tags": ["t"] * 21}, "tags"),
        (
            {"sectors": [{"field": "energy", "percentage": "200"}, {"field": "education", "percentage": "-100"}]},
            "sectors",
        ),
    ]:
        refused = api.patch(url, changes | {"version": ok.json()["version"]}, content_type="application/json")
        assert refused.status_code == 400 and key in refused.json(), refused.content
    project = Project.objects.get()
    assert project.planned_end == dt.date(2027, 3, 1) and project.tags == ["b"]
    assert [str(s.percentage) for s in project.sectors.all()] == ["100.00"]


def test_the_rules_live_in_the_domain(fp, reference):
    """Operations refuse the same things, so the admin, commands and forms cannot bypass them."""
    states = reference["states"]
    energy = CooperationField.objects.get(code="energy")
    education = CooperationField.objects.get(code="education")
    base = {"title": TranslatedText({"en": "Domain"}), "planned_start": dt.date(2026, 1, 1)}
    with pytest.raises(ValidationError) as sectors:
        operations.create_project(
            fp,
            base,
            countries=[states["KR"], states["KZ"]],
            sectors=[SectorShare(energy, Decimal(150)), SectorShare(education, Decimal(-50))],
        )
    assert "sectors" in sectors.value.message_dict
    with pytest.raises(ValidationError) as dates:
        operations.create_project(
            fp, base | {"planned_end": dt.date(2025, 1, 1)}, countries=[states["KR"], states["KZ"]]
        )
    assert "planned_end" in dates.value.message_dict
    with pytest.raises(ValidationError) as tags:
        operations.create_project(fp, base | {"tags": ["t"] * 10_000}, countries=[states["KR"], states["KZ"]])
    assert "tags" in tags.value.message_dict
    assert not Project.objects.exists()


def test_the_form_shows_the_same_rules_on_its_fields(client, fp, reference):
    client.force_login(fp)
    energy = CooperationField.objects.get(code="energy")
    data = {f"{name}_{i}": "" for name in ("title", "summary", "description") for i in range(6)}
    data |= {
        "title_0": "Form project",
        "title_6": "en",
        "summary_6": "en",
        "description_6": "en",
        "planned_start": "2027-01-01",
        "planned_end": "2026-01-01",
        "countries": [str(reference["states"]["KR"].pk), str(reference["states"]["KZ"].pk)],
        "sector_field_0": str(energy.pk),
        "sector_pct_0": "100",
        "tags_text": ", ".join(f"t{i}" for i in range(30)),
    }
    response = client.post("/en/projects/new/", data)
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert "planned_end" in form.errors and "tags_text" in form.errors, form.errors
    assert not Project.objects.exists()
