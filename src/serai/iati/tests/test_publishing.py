"""What the IATI Validator checks beyond the schema (issue 21): the organisation file, yearly
budgets, no actual date in the future, the publisher identifier, no demo content, and activities
that carry their finance (defaults, transactions, organisation references)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone
from lxml import etree

from serai.core.audit import SystemActor
from serai.core.i18n import TranslatedText
from serai.core.models import AuditEntry
from serai.core.testing import body
from serai.iati import codelists, export, finance, queries
from serai.iati.models import Publication
from serai.iati.schema import validate_tree
from serai.projects import operations as project_operations
from serai.projects.models import FundingSource, Project

from .conftest import PUBLISHER

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tree_of(response) -> etree._Element:
    assert response.status_code == 200, body(response)[:300]
    return etree.fromstring(body(response))


def days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


@pytest.fixture
def funder(make_org):
    return make_org(
        "Korea International Cooperation Agency",
        helix="government",
        country="KR",
        iati_identifier="KR-GOV-010",
        iati_type="10",
    )


@pytest.fixture
def public(make_project, roles, funder):
    """A public project in implementation with a funder that has an IATI identifier."""
    project = make_project(
        roles["secretariat"],
        budget_amount=Decimal("1000000"),
        budget_currency="USD",
        planned_start=dt.date(2024, 3, 1),
        planned_end=dt.date(2027, 2, 28),
        actual_start=dt.date(2024, 3, 15),
    )
    project_operations.add_participation(roles["secretariat"], project, funder, "1")
    project_operations.add_participation(roles["secretariat"], project, roles["partner"], "4")
    Project.objects.filter(pk=project.pk).update(status="implementation")
    return Project.objects.get(pk=project.pk)


def activity_of(client, project) -> etree._Element:
    root = tree_of(client.get("/iati/activities.xml"))
    found = [a for a in root.findall("iati-activity") if a.findtext("iati-identifier").endswith("-" + project.code)]
    assert len(found) == 1, [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    return found[0]


# --- 1. the organisation file ---------------------------------------------------------------------
def test_organisation_file_publishes_the_secretariat_and_organisations_with_an_identifier(
    client, funder, make_org, reference
):
    from serai.governance.models import PriorityArea, WorkPlan, WorkPlanActivity

    plan = WorkPlan.objects.create(
        year=2026,
        status="adopted",
        adopted_on=dt.date(2026, 2, 10),
        title=TranslatedText({"en": "Work plan 2026", "ko": "2026 사업계획"}, source="en"),
    )
    area = PriorityArea.objects.create(plan=plan, title=TranslatedText({"en": "Energy"}))
    WorkPlanActivity.objects.create(area=area, title=TranslatedText({"en": "Forum"}), budget=Decimal("250000"))
    WorkPlanActivity.objects.create(area=area, title=TranslatedText({"en": "Study"}), budget=Decimal("50000"))
    WorkPlan.objects.create(year=2027, status="draft")  # a draft is not published
    make_org("Demo Institute", iati_identifier="KZ-BIN-000000000001", iati_type="80", is_demo=True)
    make_org("No Identifier Institute")

    root = tree_of(client.get("/iati/organisations.xml"))
    assert validate_tree(etree.ElementTree(root)) == []
    orgs = root.findall("iati-organisation")
    assert [o.findtext("organisation-identifier") for o in orgs] == [PUBLISHER, "KR-GOV-010"]
    secretariat = orgs[0]
    names = {n.get(XML_LANG) for n in secretariat.find("name").findall("narrative")}
    assert names == {None, "ko", "ru"}  # English is the record's language
    assert secretariat.find("reporting-org").get("ref") == PUBLISHER
    (budget,) = secretariat.findall("total-budget")
    start, end = budget.find("period-start").get("iso-date"), budget.find("period-end").get("iso-date")
    assert (start, end) == ("2026-01-01", "2026-12-31") and days(start, end) <= 365
    value = budget.find("value")
    assert value.text == "300000" and value.get("currency") == "USD" and start <= value.get("value-date") <= end
    docs = secretariat.findall("document-link")
    assert any(d.get("url").endswith("/en/workplan/2026/") and d.find("category").get("code") == "B02" for d in docs)
    for code in {d.find("category").get("code") for d in docs}:
        assert code in codelists.codes("DocumentCategory")
    assert orgs[1].find("reporting-org").get("ref") == PUBLISHER

    from serai.iati import rulesets

    if rulesets.standard() is not None:  # the official ruleset, when the shared data holds it
        errors = [f for f in rulesets.check(rulesets.standard(), root) if f.is_error]
        assert errors == [], [(f.rule_id, f.message) for f in errors]


# --- 2. budgets by year ---------------------------------------------------------------------------
def test_split_by_year_keeps_each_period_within_a_year_and_adds_up():
    for start, end in [
        (dt.date(2024, 3, 1), dt.date(2027, 2, 28)),
        (dt.date(2023, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (dt.date(2025, 6, 30), dt.date(2025, 6, 30)),
    ]:
        parts = finance.split_by_year(start, end, Decimal("1000000"))
        assert sum(p.amount for p in parts) == Decimal("1000000")
        assert parts[0].start == start and parts[-1].end == end
        for a, b in zip(parts, parts[1:]):
            assert b.start == a.end + dt.timedelta(days=1)
        assert all((p.end - p.start).days <= 365 for p in parts)  # ruleset 7.5.3 (time_limit)
    first, *_middle, last = finance.split_by_year(dt.date(2024, 3, 1), dt.date(2027, 2, 28), Decimal("1095"))
    assert first.amount == Decimal("306.00") and last.amount == Decimal("59.00")  # pro rata by days


def test_activity_budgets_are_yearly_with_value_dates_inside_and_a_revision_beside_the_original(client, public):
    activity = activity_of(client, public)
    budgets = activity.findall("budget")
    assert len(budgets) == 4  # 2024 (from March), 2025, 2026, 2027 (to February)
    for b in budgets:
        start, end = b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date")
        assert days(start, end) <= 365  # rule 7.5.3: each budget period at most one year
        assert start <= b.find("value").get("value-date") <= end
        assert b.get("type") == "1"
    assert sum(Decimal(b.findtext("value")) for b in budgets) == Decimal("1000000")
    # The budget changes after first publication: the original stays, the revised comes beside it.
    Project.objects.filter(pk=public.pk).update(budget_amount=Decimal("1200000"))
    activity = activity_of(client, public)
    by_type = {t: [b for b in activity.findall("budget") if b.get("type") == t] for t in ("1", "2")}
    assert sum(Decimal(b.findtext("value")) for b in by_type["1"]) == Decimal("1000000")
    assert sum(Decimal(b.findtext("value")) for b in by_type["2"]) == Decimal("1200000")
    assert validate_tree(etree.ElementTree(activity.getparent())) == []


# --- 3. dates -------------------------------------------------------------------------------------
def test_no_actual_date_in_the_future_in_utc(client, public):
    """At 05:00 in Seoul on 2 December it is still 1 December in UTC: Seoul's 'today' is the future."""
    now = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)
    Project.objects.filter(pk=public.pk).update(
        actual_start=dt.date(2026, 3, 1), actual_end=dt.date(2026, 12, 2), status="completed"
    )
    with mock.patch.object(timezone, "now", return_value=now):
        assert timezone.localdate() == dt.date(2026, 12, 2)  # the Secretariat's today (Asia/Seoul)
        dates = {d.get("type"): d.get("iso-date") for d in activity_of(client, public).findall("activity-date")}
        assert dates.get("2") == "2026-03-01" and "4" not in dates
        Project.objects.filter(pk=public.pk).update(
            actual_start=dt.date(2026, 12, 2), actual_end=None, status="implementation"
        )
        dates = {d.get("type"): d.get("iso-date") for d in activity_of(client, public).findall("activity-date")}
        assert "2" not in dates and dates["1"] == "2024-03-01"


def test_no_actual_result_for_a_period_that_has_not_begun(client, public, roles):
    from serai.projects.tests.helpers import add_indicator

    indicator = add_indicator(roles["secretariat"], public)
    today = export.today_utc()
    future = project_operations.add_period(
        roles["secretariat"], public, today + dt.timedelta(days=10), today + dt.timedelta(days=100)
    )
    update = project_operations.save_update(roles["secretariat"], indicator, future, Decimal(7), "early")
    project_operations.review_update(roles["secretariat"], update, "submit")
    project_operations.review_update(roles["secretariat"], update, "approve")
    periods = activity_of(client, public).findall("result/indicator/period")
    assert periods and all(p.find("actual") is None for p in periods)


def test_demo_dates_fit_each_status(reference):
    from serai.demo.projects import FINISHED, STARTED, generate, load_demo_projects
    from serai.demo.registry import load_demo
    from serai.projects.models import IndicatorUpdate

    load_demo(SystemActor("test"), "pw")
    load_demo_projects(SystemActor("test"))
    generate(60, seed=3)
    today = export.today_utc()
    projects = list(Project.objects.all())
    assert len(projects) == 90
    for p in projects:
        assert p.planned_start < p.planned_end, p.code  # no zero-length activity
        if p.status in STARTED:
            assert p.actual_start and p.actual_start < today, p.code
        else:
            assert p.actual_start is None, p.code
        if p.status in FINISHED:
            assert p.actual_end and p.actual_start < p.actual_end < today, p.code
        else:
            assert p.actual_end is None, p.code
    assert not IndicatorUpdate.objects.filter(period__start__gt=today).exists()
    assert {p.status for p in projects} & STARTED and {p.status for p in projects} - STARTED


# --- 4. the publisher identifier ------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/iati/activities.xml", "/iati/organisations.xml"])
def test_files_are_blocked_until_the_publisher_id_is_set(client, settings, public, url):
    settings.SERAI_IATI_PUBLISHER_ID = ""
    response = client.get(url)
    assert response.status_code == 503
    assert "SERAI_IATI_PUBLISHER_ID" in body(response).decode() and "blocked" in body(response).decode()
    assert client.get(f"/iati/projects/{public.pk}.xml").status_code == 503
    settings.SERAI_IATI_PUBLISHER_ID = "XI-IATI-EXAMPLE"  # the old placeholder counts as not set
    assert client.get(url).status_code == 503
    assert not Publication.objects.exists()


def test_readiness_report_says_publishing_is_blocked(client, settings, public):
    settings.SERAI_IATI_PUBLISHER_ID = ""
    html = client.get("/en/iati/readiness/").content.decode()
    assert "Publishing to IATI is blocked" in html and "SERAI_IATI_PUBLISHER_ID" in html
    assert "/iati/activities.xml" not in html and ".xml" not in html  # no link to a file that answers 503
    settings.SERAI_IATI_PUBLISHER_ID = PUBLISHER
    html = client.get("/en/iati/readiness/").content.decode()
    assert "Publishing to IATI is blocked" not in html
    assert "/iati/activities.xml" in html and "/iati/organisations.xml" in html


def test_the_identifier_is_kept_from_the_first_publication(client, settings, public):
    first = activity_of(client, public).findtext("iati-identifier")
    assert first == f"{PUBLISHER}-{public.code}"
    entry = AuditEntry.objects.filter(action="iati.publish").latest("pk")
    assert first in str(entry.changes)
    settings.SERAI_IATI_PUBLISHER_ID = "XM-DAC-99999"
    assert activity_of(client, public).findtext("iati-identifier") == first
    assert Publication.objects.get(project=public).identifier == first
    count = AuditEntry.objects.filter(action="iati.publish").count()
    client.get("/iati/activities.xml")
    assert AuditEntry.objects.filter(action="iati.publish").count() == count  # nothing new to record


# --- 5. demo content ------------------------------------------------------------------------------
def test_demo_content_is_never_in_an_iati_file(client, public, make_project, roles, make_org):
    demo = make_project(roles["secretariat"], budget_amount=Decimal("5000"), budget_currency="USD", is_demo=True)
    project_operations.add_participation(roles["secretariat"], demo, roles["partner"], "4")
    Project.objects.filter(pk=demo.pk).update(status="implementation")
    make_org(
        "Demo Funder", helix="government", country="KR", iati_identifier="KR-GOV-999", iati_type="10", is_demo=True
    )
    activities = body(client.get("/iati/activities.xml")).decode()
    assert public.code in activities and demo.code not in activities
    assert client.get(f"/iati/projects/{demo.pk}.xml").status_code == 404
    assert "KR-GOV-999" not in body(client.get("/iati/organisations.xml")).decode()
    with pytest.raises(Publication.DoesNotExist):
        Publication.objects.get(project=demo)
    # the demo's own files can still be checked
    assert any(a.identifier.endswith("-" + demo.code) for a in queries.ready_activities(include_demo=True))


# --- 6. finance -----------------------------------------------------------------------------------
def test_activities_carry_defaults_transactions_and_organisation_refs(client, public, funder, roles):
    source = project_operations.add_funding_source(
        roles["secretariat"],
        public,
        {
            "organisation": funder,
            "amount": Decimal("900000"),
            "currency": "USD",
            "committed_on": dt.date(2024, 2, 1),
            "disbursed": Decimal("300000"),
            "disbursed_on": dt.date(2024, 4, 1),
        },
    )
    assert AuditEntry.objects.filter(action="project.funding.add", object_id=str(source.pk)).exists()
    project_operations.add_funding_source(
        roles["secretariat"],
        public,
        {
            "name": "Seoul Foundation",
            "amount": Decimal("100000"),
            "currency": "USD",
            "flow_type": "30",
            "committed_on": export.today_utc() + dt.timedelta(days=30),
        },
    )
    activity = activity_of(client, public)
    assert validate_tree(etree.ElementTree(activity.getparent())) == []
    codes = {
        tag: activity.find(tag).get("code")
        for tag in (
            "collaboration-type",
            "default-flow-type",
            "default-finance-type",
            "default-aid-type",
            "default-tied-status",
        )
    }
    assert codes == {
        "collaboration-type": "1",
        "default-flow-type": "10",
        "default-finance-type": "110",
        "default-aid-type": "C01",
        "default-tied-status": "5",
    }  # the main funder is a government
    for tag, codelist in (
        ("collaboration-type", "CollaborationType"),
        ("default-flow-type", "FlowType"),
        ("default-finance-type", "FinanceType"),
        ("default-aid-type", "AidType"),
        ("default-tied-status", "TiedStatus"),
    ):
        assert codes[tag] in codelists.codes(codelist)
    transactions = activity.findall("transaction")
    kinds = sorted((t.find("transaction-type").get("code"), t.findtext("value")) for t in transactions)
    assert kinds == [("1", "300000"), ("11", "100000"), ("11", "900000")]
    today = export.today_utc().isoformat()
    for t in transactions:
        assert t.find("transaction-date").get("iso-date") <= today and t.find("value").get("value-date") <= today
    refs = {t.find("provider-org").get("ref") for t in transactions}
    assert "KR-GOV-010" in refs
    private = next(t for t in transactions if t.find("provider-org").findtext("narrative") == "Seoul Foundation")
    assert private.find("flow-type").get("code") == "30"  # differs from the activity's default
    participating = {p.findtext("narrative"): p.get("ref") for p in activity.findall("participating-org")}
    assert participating["Korea International Cooperation Agency"] == "KR-GOV-010"
    from serai.iati import rulesets

    if rulesets.standard() is not None:
        errors = [f for f in rulesets.check(rulesets.standard(), activity.getparent()) if f.is_error]
        assert errors == [], [(f.rule_id, f.message) for f in errors]


def test_the_funding_form_adds_and_removes_audited(client, public, roles, funder):
    client.force_login(roles["secretariat"])
    response = client.post(
        f"/en/projects/{public.pk}/funding/",
        {
            "organisation": funder.pk,
            "amount": "5000",
            "currency": "USD",
            "committed_on": "2024-01-10",
            "aid_type": "D02",
        },
    )
    assert response.status_code == 302
    source = FundingSource.objects.get(project=public)
    assert source.aid_type == "D02" and source.name
    page = client.get(f"/en/projects/{public.pk}/").content.decode()
    assert f'data-funding="{source.pk}"' in page
    # disbursed more than committed, or without its date: refused, nothing stored
    client.post(f"/en/projects/{public.pk}/funding/", {"name": "X", "amount": "5", "disbursed": "9", "currency": "USD"})
    assert FundingSource.objects.filter(project=public).count() == 1
    assert client.post(f"/en/projects/{public.pk}/funding/", {"remove": "①"}).status_code == 400
    client.post(f"/en/projects/{public.pk}/funding/", {"remove": str(source.pk)})
    assert not FundingSource.objects.filter(project=public).exists()
    assert AuditEntry.objects.filter(action="project.funding.remove").exists()
    client.force_login(roles["nobody"])
    assert client.post(f"/en/projects/{public.pk}/funding/", {"name": "Y", "amount": "1"}).status_code == 403
    assert not FundingSource.objects.filter(project=public).exists()
