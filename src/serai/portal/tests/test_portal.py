"""The dashboard, country and field pages and global search: right figures, only visible
content, three languages, constant query counts."""

import csv
import io
from decimal import Decimal

import pytest

from serai.core.i18n import TranslatedText
from serai.core.testing import assert_constant_queries
from serai.core.testing import body as body_of
from serai.governance import operations as governance_operations
from serai.governance.models import Meeting
from serai.portal import queries
from serai.projects.models import Project


@pytest.fixture
def public_project(make_project):
    """make_public(countries, **values) → a project moved straight to a public status."""

    def factory(countries=("KR", "KZ"), status="endorsed", budget=None, **values):
        project = make_project(countries=countries, **values)
        Project.objects.filter(pk=project.pk).update(
            status=status, budget_usd=budget, scope="bilateral" if len(countries) == 2 else "multilateral"
        )
        return Project.objects.get(pk=project.pk)

    return factory


def test_headline_figures_and_map_count_only_visible_projects(client, roles, public_project, make_project):
    public_project(budget=Decimal("1000000"))
    public_project(countries=("KR", "KZ", "UZ"), status="implementation", budget=Decimal("500000"))
    public_project(status="completed")
    make_project()  # an idea: not public
    figures = queries.headline(None)
    assert (figures["projects"], figures["active"], figures["finished"]) == (3, 2, 1)
    assert figures["budget_usd"] == Decimal("1500000")
    assert queries.headline(roles["secretariat"])["projects"] == 4
    values = queries.map_values(None, "projects")
    assert values["398"] == 3 and values["860"] == 1 and values["762"] == 0  # KZ, UZ, TJ
    assert queries.map_values(None, "budget")["860"] == 500000
    page = client.get("/en/").content.decode()
    assert "1,500,000" in page and 'data-iso="KAZ"' in page


def test_breakdowns_and_their_csv(client, public_project, energy):
    public_project(budget=Decimal("200"))
    public_project(budget=Decimal("100"))
    by_field = queries.breakdown(None, "field")
    assert [(r.key, r.projects, r.budget_usd) for r in by_field] == [("energy", 2, Decimal("300"))]
    assert {r.key: r.projects for r in queries.breakdown(None, "status")} == {"endorsed": 2}
    assert [r.projects for r in queries.breakdown(None, "year")] == [2]
    rows = list(csv.reader(io.StringIO(body_of(client.get("/en/dashboard/field.csv")).decode("utf-8-sig"))))
    assert rows[0] == ["field", "projects", "budget_usd"] and rows[1][:2] == ["Energy", "2"]
    ru = list(csv.reader(io.StringIO(body_of(client.get("/ru/dashboard/field.csv")).decode("utf-8-sig"))))
    assert ru[1][0] == "Энергетика"
    assert client.get("/en/dashboard/nothing.csv").status_code == 404


def test_the_dashboard_shows_the_next_meeting_and_latest_decisions(client, roles, reference):
    sec = roles["secretariat"]
    forum = reference["bodies"]["forum"]
    planned = Meeting.objects.create(
        body=forum, number=19, year=2026, status="planned", theme={"values": {"en": "Next session"}, "source": "en"}
    )
    held = Meeting.objects.filter(body=forum, status="held").order_by("-year").first()
    adopted = governance_operations.record_decision(sec, held, TranslatedText({"en": "The Forum welcomes the plan."}))
    governance_operations.adopt_decision(sec, adopted)
    governance_operations.record_decision(sec, held, TranslatedText({"en": "A draft never shown."}))
    page = client.get("/en/").content.decode()
    assert f"/en/meetings/{planned.pk}/" in page and "The Forum welcomes the plan." in page
    assert "A draft never shown." not in page


def test_home_query_count_is_constant(client, public_project):
    public_project()
    assert_constant_queries(
        lambda: client.get("/en/"),
        lambda: [public_project() for _ in range(5)],
        check=lambda a, b: b.context["figures"]["projects"] == 6,
    )


def test_search_finds_korean_and_russian_projects_and_respects_visibility(client, roles, public_project, make_project):
    public_project(
        title=TranslatedText({"ko": "중앙아시아 스마트 물류 센터", "en": "Smart logistics hub"}, source="ko")
    )
    public_project(
        title=TranslatedText({"ru": "Цифровая карта водных ресурсов", "en": "Digital water map"}, source="ru")
    )
    make_project(title=TranslatedText({"ru": "Черновик водного проекта"}, source="ru"))  # an idea: private
    ko = client.get("/ko/search/", {"q": "물류"}).content.decode()
    assert "중앙아시아 스마트 물류 센터" in ko
    ru = queries.search(None, "водных")
    assert [p.title.get("ru") for p in ru["projects"]["items"]] == ["Цифровая карта водных ресурсов"]
    assert queries.search(None, "Черновик")["projects"]["items"] == []
    assert len(queries.search(roles["secretariat"], "Черновик")["projects"]["items"]) == 1


def test_search_groups_organisations_meetings_decisions_and_documents(
    client, roles, reference, make_org, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    sec = roles["secretariat"]
    make_org("Институт водных проблем", country="UZ")
    held = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    decision = governance_operations.record_decision(
        sec, held, TranslatedText({"ru": "Форум приветствует водную инициативу."})
    )
    governance_operations.adopt_decision(sec, decision)
    governance_operations.record_decision(sec, held, TranslatedText({"ru": "Проект: водная стратегия."}))
    governance_operations.attach_document(
        sec,
        held,
        SimpleUploadedFile("water.pdf", b"%PDF-1.4\n"),
        title=TranslatedText({"ru": "Записка о водной политике"}),
        kind="background",
        is_public=True,
    )
    results = queries.search(None, "водн")
    assert [len(results[k]["items"]) for k in ("organisations", "decisions", "documents")] == [1, 1, 1]
    page = client.get("/ru/search/", {"q": "водн"}).content.decode()
    # the decision is shown by its snippet, the match marked
    assert "Форум приветствует <mark>водную</mark> инициативу." in page and "водная стратегия" not in page
    assert "Записка о водной политике" in page
    assert queries.search(None, "Seoul")["meetings"]["items"]  # host cities of held sessions


def test_search_query_count_does_not_grow_with_results(client, public_project):
    def grow():
        for n in range(4):
            public_project(title=TranslatedText({"en": f"Corridor study {n}"}))

    grow()
    assert_constant_queries(
        lambda: client.get("/en/search/", {"q": "corridor"}),
        grow,
        check=lambda a, b: b.content.decode().count("Corridor study") == 8,
    )


def test_a_country_page_shows_its_projects_focal_points_and_actions(
    client, roles, reference, public_project, make_person
):
    from serai.people.models import Person

    kz = reference["states"]["KZ"]
    public_project(title=TranslatedText({"en": "KZ bilateral"}))
    public_project(countries=("KR", "KZ", "UZ"), title=TranslatedText({"en": "Regional corridor"}))
    person = make_person("Focal point of Kazakhstan", country="KZ", is_public=True)
    Person.objects.filter(pk=person.pk).update(user=roles["fp_kz"])
    held = Meeting.objects.filter(body__kind="forum", status="held").first()
    governance_operations.add_action(
        roles["secretariat"], held, TranslatedText({"en": "Send the corridor data"}), owner=kz
    )
    page = client.get("/en/countries/KZ/").content.decode()
    assert "KZ bilateral" in page and "Regional corridor" in page and "Focal point of Kazakhstan" in page
    assert "Send the corridor data" not in page  # actions are for people with a role
    client.force_login(roles["fp_uz"])
    assert "Send the corridor data" in client.get("/en/countries/KZ/").content.decode()
    page = client.get("/en/countries/UZ/").content.decode()
    assert "Regional corridor" in page and "KZ bilateral" not in page


def test_country_and_field_page_query_counts_are_constant(client, public_project):
    public_project()  # one bilateral and one multilateral project, so both lists start non-empty
    public_project(countries=("KR", "KZ", "TJ"))
    grow = lambda: [public_project(countries=("KR", "KZ", "TJ")) for _ in range(4)]  # noqa: E731
    assert_constant_queries(
        lambda: client.get("/en/countries/KZ/"),
        grow,
        check=lambda a, b: b.content.decode().count("status-endorsed") > a.content.decode().count("status-endorsed"),
    )
    assert_constant_queries(
        lambda: client.get("/en/fields/energy/"),
        grow,
        check=lambda a, b: b.content.decode().count("status-endorsed") >= 6,
    )


def test_a_field_page_lists_projects_organisations_and_its_work_plan_area(client, public_project, make_org):
    public_project(title=TranslatedText({"en": "Solar for schools"}))
    org = make_org("Energy Institute", country="KZ")
    from serai.reference.models import CooperationField

    org.fields.add(CooperationField.objects.get(code="energy"))
    page = client.get("/en/fields/energy/").content.decode()
    assert "Solar for schools" in page and "Energy Institute" in page and "Work plan 2022: Energy" in page


def test_public_bodies_are_cached_until_the_next_write(client, roles, public_project, django_assert_max_num_queries):
    """Home, country and search bodies are rendered once for the public and reused; any audited
    write gives them a new key; people with a role get their own fragments (serai.core.fragments)."""
    public_project(title=TranslatedText({"en": "Corridor study"}))
    for path in ("/en/", "/en/countries/KZ/", "/en/search/?q=corridor"):
        client.get(path)
        with django_assert_max_num_queries(4):  # the content version, and what the page shell needs
            assert client.get(path).status_code == 200
    public_project(title=TranslatedText({"en": "Corridor study two"}))  # an audited write
    assert client.get("/en/search/?q=corridor").content.decode().count("Corridor study") == 2
    figures = [c for c in client.get("/en/").context if "figures" in c]  # rendered afresh
    assert figures and figures[0]["figures"]["projects"] == 2
    client.force_login(roles["fp_kz"])
    # never from the public cache: rendered for them, then kept in their own fragments until a write
    assert [c for c in client.get("/en/").context if "figures" in c]
    assert not [c for c in client.get("/en/").context if "figures" in c]
    public_project(title=TranslatedText({"en": "Corridor study three"}))
    figures = [c for c in client.get("/en/").context if "figures" in c]
    assert figures and figures[0]["figures"]["projects"] == 3


def test_headline_and_breakdowns_from_one_grouped_read_match_each_sql_aggregate(
    client, roles, public_project, make_project
):
    """Issue 19: the headline figures and the status, subcommittee and year breakdowns are added
    up from one grouped query; they equal the database's own aggregates, budgets without a value
    and projects without a subcommittee or a start date included, and the dashboard reads the
    visible projects three times (grouped, by field, by country) instead of six."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractYear

    from serai.projects import queries as project_queries

    public_project(budget=Decimal("1000000"))
    public_project(countries=("KR", "KZ", "UZ"), status="implementation", budget=Decimal("500000"))
    public_project(status="completed")  # no budget
    public_project(status="declined", budget=Decimal("7"))
    undated = public_project(status="evaluated", budget=Decimal("3"))
    Project.objects.filter(pk=undated.pk).update(planned_start=None, subcommittee=None)
    make_project()  # an idea: seen by the Secretariat only
    for user in (None, roles["secretariat"], roles["fp_kz"]):
        visible = project_queries.projects(user)
        by_status = {
            r["status"]: (r["n"], r["usd"])
            for r in visible.values("status").annotate(n=Count("id"), usd=Sum("budget_usd")).order_by()
        }
        assert {r.key: (r.projects, r.budget_usd) for r in queries.breakdown(user, "status")} == by_status
        by_sub = {
            str(r["subcommittee_id"] or ""): (r["n"], r["usd"])
            for r in visible.values("subcommittee_id").annotate(n=Count("id"), usd=Sum("budget_usd")).order_by()
        }
        assert {r.key: (r.projects, r.budget_usd) for r in queries.breakdown(user, "subcommittee")} == by_sub
        by_year = {
            str(r["y"] or ""): (r["n"], r["usd"])
            for r in visible.annotate(y=ExtractYear("planned_start"))
            .values("y")
            .annotate(n=Count("id"), usd=Sum("budget_usd"))
            .order_by()
        }
        assert {r.key: (r.projects, r.budget_usd) for r in queries.breakdown(user, "year")} == by_year
        figures = queries.headline(user)
        assert figures["projects"] == visible.count()
        assert (
            figures["budget_usd"]
            == visible.exclude(status__in=("declined", "withdrawn")).aggregate(s=Sum("budget_usd"))["s"]
        )
    assert queries.headline(None)["budget_usd"] == Decimal("1500003")
    assert [r.key for r in queries.breakdown(None, "year")][-1] == ""  # no start date: last
    client.force_login(roles["fp_kz"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/en/").status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if '"projects_project' in q["sql"].split(" WHERE ")[0]]
    assert len(reads) == 3, reads
