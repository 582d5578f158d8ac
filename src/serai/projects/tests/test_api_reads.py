"""The API's reads (issue 19): built in plain Python from ``.values()`` rows, each project's own
content cached per row version. What they answer is exactly what ``ProjectSerializer`` (the
published schema) gives; an edit shows at once, whatever it changed; a viewer who may not see a
project never gets it, even when someone who may see it has just put it in the cache."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory
from django.utils import translation
from rest_framework.request import Request

from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries, count_queries
from serai.projects import operations, queries
from serai.projects.operations import SectorShare
from serai.projects.serializers import ProjectSerializer
from serai.reference.models import DacSector

pytestmark = pytest.mark.django_db


def _serialized(user, lang: str, pk: int | None = None):
    """What DRF's ``ProjectSerializer`` gives (the shape the API answered with before), as JSON."""
    visible = queries.for_list(queries.filtered(user, queries.Filters()))
    request = Request(RequestFactory().get("/api/v1/projects/"))
    with translation.override(lang):
        if pk is not None:
            data = ProjectSerializer(visible.get(pk=pk), context={"request": request}).data
        else:
            data = ProjectSerializer(visible, many=True, context={"request": request}).data
        return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@pytest.fixture
def varied(make_project, roles, reference, energy):
    """Projects with every kind of value the API shows: flags, both dates, a rate, tags, a DAC
    code, two sector shares, three countries, no subcommittee."""
    dac = DacSector.objects.create(code="23210", name="Energy generation, renewable sources")
    energy.dac_sectors.add(dac)
    staff = roles["secretariat"]
    plain = make_project()
    rich = make_project(
        countries=("KR", "KZ", "UZ"),
        title=TranslatedText({"en": "Solar", "ko": "태양광"}, source="en", flags={"ko": "machine"}),
        description=TranslatedText({"ru": "Описание"}, source="ru"),
        budget_amount=Decimal("1234567.5"),
        budget_currency="KZT",
        usd_rate=Decimal("0.00212345"),
        usd_rate_date=dt.date(2026, 2, 1),
        tags=["solar", "pilot"],
    )
    operations.update_project(
        staff,
        rich,
        {},
        sectors=[
            SectorShare(field=energy, dac_sector=dac, percentage=Decimal("62.5")),
            SectorShare(field=energy, percentage=Decimal("37.5")),
        ],
    )
    bare = make_project(actor=staff, complete=False, countries=())
    return [plain, rich, bare]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_reads_answer_exactly_what_the_serializer_gives(client, roles, varied, lang):
    staff = roles["secretariat"]
    client.force_login(staff)
    expected = _serialized(staff, lang)
    assert len(expected) == 3
    for _render in ("cold", "warm"):  # the second render takes each project's content from the cache
        listed = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE=lang)
        assert listed.status_code == 200
        assert listed.json()["results"] == expected
        for project in varied:
            detail = client.get(f"/api/v1/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
            assert detail.json() == _serialized(staff, lang, project.pk)
    rich = next(p for p in expected if p["id"] == varied[1].pk)
    assert rich["sectors"] == [
        {"field": "energy", "dac_code": "23210", "percentage": "62.50"},
        {"field": "energy", "dac_code": None, "percentage": "37.50"},
    ]
    assert rich["usd_rate"] == "0.00212345" and rich["title"]["flags"] == {"ko": "machine"}


def test_a_cached_project_shows_every_edit_at_once(client, roles, reference, make_project, energy):
    staff, fp = roles["secretariat"], roles["fp_kz"]
    states = reference["states"]
    project = make_project()
    url = f"/api/v1/projects/{project.pk}/"
    client.force_login(staff)

    def shown():
        detail = client.get(url).json()
        listed = {p["id"]: p for p in client.get("/api/v1/projects/").json()["results"]}
        assert listed[project.pk] == detail
        return detail

    first = shown()  # in the cache now
    assert first["title"]["values"]["en"] == "Project 1" and first["version"] == 1

    new_title = TranslatedText({"en": "Renamed", "ru": "Переименован"}, source="en")
    operations.update_project(fp, project, {"title": new_title}, expected_version=1)
    after_edit = shown()
    assert after_edit["title"] == new_title.to_json() and after_edit["version"] == 2

    # Countries and sectors are other rows, and the scope follows them by an update of the column:
    # the project's row is not saved, its version and save time stay (the premise of this part).
    project.refresh_from_db()
    operations.update_project(staff, project, {}, countries=[states["KR"], states["KZ"], states["UZ"]])
    project.refresh_from_db()
    operations.update_project(staff, project, {}, sectors=[SectorShare(field=energy, percentage=Decimal("100"))])
    moved = shown()
    assert moved["version"] == 2
    assert moved["countries"] == ["KOR", "KAZ", "UZB"] and moved["scope"] == "multilateral"
    assert moved["title"] == new_title.to_json()

    project.refresh_from_db()
    operations.fire_transition(fp, project, "submit")
    submitted = shown()
    assert submitted["status"] == "submitted" and submitted["status_label"] == "Proposal submitted"
    assert submitted["version"] == 3

    project.refresh_from_db()
    operations.update_project(fp, project, {"tags": ["late"]}, expected_version=3)
    assert shown()["tags"] == ["late"]


def test_a_viewer_who_may_not_see_a_project_never_gets_it_from_the_cache(client, roles, make_project):
    project = make_project(actor=roles["fp_kz"])  # an idea of Korea and Kazakhstan: not public
    url = f"/api/v1/projects/{project.pk}/"
    for who in ("secretariat", "fp_kz"):  # those who may see it put its content in the cache
        client.force_login(roles[who])
        assert client.get(url).json()["id"] == project.pk
        assert project.pk in [p["id"] for p in client.get("/api/v1/projects/").json()["results"]]
    for who in ("fp_uz", "social", "nobody", None):
        client.logout()
        if who:
            client.force_login(roles[who])
        assert client.get(url).status_code == 404, who
        listed = client.get("/api/v1/projects/").json()
        assert project.pk not in [p["id"] for p in listed["results"]], who
        assert str(project.title) not in json.dumps(listed, ensure_ascii=False), who


@pytest.mark.parametrize("url", ["/api/v1/projects/", "/api/v1/projects/?country=KZ&sort=code"])
def test_reads_keep_a_constant_query_count_and_a_warm_page_reads_no_content(client, roles, make_project, url):
    client.force_login(roles["fp_kz"])
    make_project()

    def cold():  # every project's content read (the cache emptied first, whatever it held)
        cache.clear()
        return client.get(url)

    def grow():
        for _n in range(4):
            make_project()

    def check(first, second):
        assert len(second.json()["results"]) == len(first.json()["results"]) + 4

    cold()  # a first request reads what the shell keeps afterwards (the session's first save...)
    assert_constant_queries(cold, grow, check=check)
    client.get(url)  # every project's content in the cache now
    _n, warm, sql = count_queries(lambda: client.get(url))
    assert len(warm.json()["results"]) == 5
    assert not [q for q in sql if '"summary"' in q], "a warm page read a project's content again"
