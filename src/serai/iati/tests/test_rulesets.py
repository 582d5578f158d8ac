"""The IATI ruleset evaluator: every official meta-test, the rule types the meta-tests leave out,
and the official 2.03 standard ruleset over what Serai publishes (the demo content's feed and
generated projects) — which must have no ruleset error.

The ruleset, its SPEC.rst and the meta-tests are read from ../shared/data/iati/rulesets (never
copied here); without them these tests skip, or fail with SERAI_REQUIRE_SHARED_DATA=1.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from serai.core.audit import SystemActor
from serai.core.safexml import parse_file
from serai.core.testing import shared_data_path
from serai.iati import rulesets

UTC = dt.UTC

# (rule file, XML file, whether the file passes the rule) — the official meta-test table: the
# upstream harness (IATI-Rulesets meta_tests.sh at a88f835, which pairs the files of meta_tests/
# and is not part of the shared data), plus the three rule files it does not list, paired by
# their _good/_bad file names.
META_TESTS = [
    ("empty", "empty", True),
    ("title_exists", "empty", True),
    ("title_exists", "empty_activity", False),
    ("title_exists", "title", True),
    ("title_text_exists", "title", False),
    ("title_text_exists", "title_text", True),
    ("no_paths", "empty", True),
    ("no_paths", "empty_activity", False),
    ("no_more_than_one_title", "title", True),
    ("no_more_than_one_title", "empty_activity", True),
    ("no_more_than_one_title", "title_twice", False),
    ("results_references", "results_refs_good", True),
    ("results_references", "results_refs_bad", False),
    ("dependent_title_description", "empty_activity", True),
    ("dependent_title_description", "title", False),
    ("dependent_title_description", "description", False),
    ("dependent_title_description", "title_description", True),
    ("sum", "sum_good", True),
    ("sum", "sum_bad", False),
    ("sum_two", "sum_two_good", True),
    ("sum_two", "sum_two_bad", False),
    ("date_order", "empty_activity", True),
    ("date_order", "date_good", True),
    ("date_order", "date_bad", False),
    ("regex_matches", "regex_good", True),
    ("regex_matches", "regex_bad", False),
    ("regex_no_matches", "regex_bad", True),
    ("regex_no_matches", "regex_good", False),
    ("starts_with", "identifiers", True),
    ("starts_with", "identifiers_bad", False),
    ("unique", "unique_good", True),
    ("unique", "unique_bad", False),
    # upstream leaves "unique_title_description title_description False" commented out (FIXME: the
    # rule file misspells "description", so the pair cannot fail); it is not run there either.
    ("unique_title_description", "title_description_content", True),
    ("if_then", "if_then_good", True),
    ("if_then", "if_then_bad", False),
    ("condition", "empty_activity", True),
    ("condition", "activity_status_2", True),
    ("condition", "activity_status_3", False),
    *[
        (f"result_indicator_{part}_selector_with_conditions", f"results_indicator_{xml}_value_{case}", expected)
        for part, xml in (
            ("baseline", "baseline"),
            ("period_target", "period_target"),
            ("period_actual", "period_actual"),
        )
        for case, expected in (("good", True), ("bad", False), ("not_relevant", True))
    ],
    ("only_one_of", "only_one_of_activity_bad", False),
    ("only_one_of", "only_one_of_activity_good", True),
    ("only_one_of", "only_one_of_transaction_bad", False),
    ("only_one_of", "only_one_of_transaction_good", True),
    ("period_time", "period_time_good", True),
    ("period_time", "period_time_bad", False),
    ("time_limit", "time_limit_good", True),
    ("time_limit", "time_limit_bad", False),
    ("date_now", "date_now_good", True),
    ("date_now", "date_now_bad", False),
    ("at_least_one", "at_least_one_bad", False),
    ("at_least_one", "at_least_one_ref", True),
    ("at_least_one", "at_least_one_narrative", True),
    ("at_least_one", "at_least_one_no_element_good", True),
    *[
        ("one_or_all", f"one_or_all_{name}", expected)
        for name, expected in (
            ("lang_bad", False),
            ("lang_good", True),
            ("lang_bad_all", False),
            ("lang_good_all", True),
            ("sector_bad", False),
            ("sector_good", True),
            ("sector_all_good", True),
            ("sector_all_bad", False),
            ("currency_bad", False),
            ("currency_good", True),
            ("currency_all_bad", False),
            ("currency_all_good", True),
        )
    ],
    ("one_or_all_org", "one_or_all_org_currency_good", True),
    ("one_or_all_org", "one_or_all_org_currency_bad", False),
    ("between_dates", "between_dates_good", True),
    ("between_dates", "between_dates_bad", False),
    ("recipient_region_budget", "recipient_region_budget_good", True),
    ("recipient_region_budget", "recipient_region_budget_bad", False),
    ("total_expenditure", "total_expenditure_good", True),
    ("total_expenditure", "total_expenditure_bad", False),
    ("range", "range_good", True),
    ("range", "range_bad", False),
    # not in the upstream harness: paired by name
    ("forloop", "forloop_good", True),
    ("forloop", "forloop_bad", False),
    ("recipient_country", "recipient_country_good", True),
    ("recipient_country", "recipient_country_bad", False),
    ("sector_percentage_sum", "sector_percentage_sum_good", True),
    ("sector_percentage_sum", "sector_percentage_sum_bad", False),
]


def meta_dir():
    return shared_data_path("iati", "rulesets", "meta_tests")


@pytest.mark.shared_data
def test_the_table_covers_every_official_meta_test_file():
    files = {p.name for p in meta_dir().iterdir()}
    used = {f"{rule}.json" for rule, _x, _e in META_TESTS} | {f"{xml}.xml" for _r, xml, _e in META_TESTS}
    assert len(files) == 111
    assert files - used == set(), "a meta-test file is in no test"
    assert used - files == set(), "the table names a file that is not there"
    assert len(META_TESTS) == 89


@pytest.mark.shared_data
@pytest.mark.parametrize(("rule", "xml", "expected"), META_TESTS, ids=[f"{r}-{x}" for r, x, _e in META_TESTS])
def test_official_meta_test(rule, xml, expected):
    folder = meta_dir()
    ruleset = rulesets.load(folder / f"{rule}.json")
    tree = parse_file(folder / f"{xml}.xml")
    findings = list(rulesets.check(ruleset, tree))
    assert rulesets.passes(ruleset, tree) is expected, findings
    assert (findings == []) is expected


# --- rule types and choices the meta-tests leave out -------------------------------------------------
def doc(body: str) -> etree._Element:
    return etree.fromstring(f"<iati-activities>{body}</iati-activities>".encode())


def run(ruleset: dict, body: str, **kw) -> list[rulesets.Finding]:
    return list(rulesets.check(ruleset, doc(body), id_sets=kw.pop("id_sets", {}), **kw))


def rule(name: str, **case) -> dict:
    return {"//iati-activity": {name: {"cases": [case]}}}


ACT = "<iati-activity><iati-identifier>XI-IATI-X-1</iati-identifier>{}</iati-activity>"


def test_date_now_compares_in_utc_so_seouls_today_can_still_be_the_future():
    now = dt.datetime(2026, 12, 1, 18, 30, tzinfo=UTC)  # 03:30 on 2 December in Seoul
    r = rule(
        "date_order",
        less="activity-date[@type='2']/@iso-date",
        more="NOW",
        ruleInfo={"id": "11.1.4", "severity": "error", "message": "m"},
    )
    future = run(r, ACT.format('<activity-date type="2" iso-date="2026-12-02"/>'), now=now)
    assert [(f.rule_id, f.identifier, f.severity) for f in future] == [("11.1.4", "XI-IATI-X-1", "error")]
    assert run(r, ACT.format('<activity-date type="2" iso-date="2026-12-01"/>'), now=now) == []
    stamp = rule("dateNow", date="@last-updated-datetime")  # camelCase names are accepted too
    assert run(stamp, '<iati-activity last-updated-datetime="2026-12-02T03:00:00+09:00"/>', now=now) == []
    assert len(run(stamp, '<iati-activity last-updated-datetime="2026-12-02T04:00:00+09:00"/>', now=now)) == 1


def test_date_order_checks_every_matched_date_not_only_the_first():
    now = dt.datetime(2026, 12, 1, tzinfo=UTC)
    r = rule("date_order", less="transaction/transaction-date/@iso-date", more="NOW")
    body = ACT.format(
        '<transaction><transaction-date iso-date="2025-01-01"/></transaction>'
        '<transaction><transaction-date iso-date="2027-01-01"/></transaction>'
    )
    [finding] = run(r, body, now=now)
    assert "2027-01-01" in finding.detail


def test_time_limit_counts_365_days():
    r = rule("time_limit", start="budget/period-start/@iso-date", end="budget/period-end/@iso-date")
    year = '<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/></budget>'  # leap year
    assert run(r, ACT.format(year)) == []
    over = '<budget><period-start iso-date="2023-01-01"/><period-end iso-date="2025-12-31"/></budget>'
    [finding] = run(r, ACT.format(over))
    assert "1095 days" in finding.detail


def test_dependent_no_spaces_no_percent_and_range_bounds():
    assert (
        len(
            run(
                rule("no_spaces", paths=["iati-identifier"]),
                "<iati-activity><iati-identifier> A-1</iati-identifier></iati-activity>",
            )
        )
        == 1
    )
    assert run(rule("no_spaces", paths=["iati-identifier"]), ACT.format("")) == []
    assert len(run(rule("no_percent", paths=["test/@v"]), '<iati-activity><test v="50%"/></iati-activity>')) == 1
    r = rule("range", paths=["test/@v"], min=0, max=100)
    assert len(run(r, '<iati-activity><test v="abc"/></iati-activity>')) == 1  # not a number
    assert run(r, '<iati-activity><test v="100.0"/></iati-activity>') == []


def test_startswith_prefix_separator_and_org_id_prefix_id_set():
    r = rule("startswith", prefix=["reporting-org/@ref"], separator="-", paths=["iati-identifier"])
    assert (
        run(r, '<iati-activity><reporting-org ref="A-B"/><iati-identifier>A-B-1</iati-identifier></iati-activity>')
        == []
    )
    # "A-BC-1" starts with "A-B" but not with "A-B-"
    assert (
        len(
            run(r, '<iati-activity><reporting-org ref="A-B"/><iati-identifier>A-BC-1</iati-identifier></iati-activity>')
        )
        == 1
    )
    agency = rule(
        "startswith", prefix=["ORG-ID-PREFIX"], paths=["reporting-org/@ref"], idCondition="NOT_EXISTING_ORG_ID"
    )
    body = '<iati-activity><reporting-org ref="ZZ-NOPE-1"/></iati-activity>'
    assert len(run(agency, body, id_sets={"ORG-ID-PREFIX": {"XI-IATI"}, "ORG-ID": frozenset()})) == 1
    # a registered publisher's identifier is exempt (idCondition)
    assert run(agency, body, id_sets={"ORG-ID-PREFIX": {"XI-IATI"}, "ORG-ID": {"ZZ-NOPE-1"}}) == []


def test_loop_value_with_a_quote_is_a_finding_not_a_crash():
    r = {
        "//iati-activity": {
            "loop": {
                "cases": [
                    {
                        "foreach": "sector/@vocabulary",
                        "subs": ["paths"],
                        "do": {
                            "strict_sum": {"cases": [{"paths": ["sector[@vocabulary = '$1']/@percentage"], "sum": 100}]}
                        },
                    }
                ]
            }
        }
    }
    [finding] = run(r, """<iati-activity><sector vocabulary="a'b" percentage="100"/></iati-activity>""")
    assert "could not be evaluated" in finding.detail
    with pytest.raises(rulesets.RulesetError):
        run({"//iati-activity": {"no_such_rule": {"cases": [{}]}}}, ACT.format(""))


# --- the official standard ruleset over Serai's own files ---------------------------------------------
def standard() -> dict:
    shared_data_path("iati", "rulesets", "standard.json")
    ruleset = rulesets.standard()
    assert ruleset is not None
    return ruleset


def summary(findings) -> str:
    return "; ".join(f"{sev} {rid} ({name}): {n}" for (sev, rid, name), n in rulesets.count_by_rule(findings).items())


@pytest.mark.shared_data
def test_standard_ruleset_finds_what_the_issue_found_in_a_crafted_activity():
    body = ACT.format(
        '<reporting-org ref="XI-IATI"/><title><narrative>T</narrative></title>'
        '<activity-date type="2" iso-date="2099-01-01"/>'
        '<sector vocabulary="1" code="11220" percentage="60"/><sector vocabulary="1" code="12220" percentage="60"/>'
        '<budget><period-start iso-date="2023-01-01"/><period-end iso-date="2025-12-31"/>'
        '<value currency="USD" value-date="2023-01-01">1</value></budget>'
    )
    found = {f.rule_id for f in rulesets.check(standard(), doc(body)) if f.is_error}
    assert {"11.1.4", "7.5.3", "2.1.2", "4.1.1"} <= found


def public_activities(projects) -> etree._Element:
    """The <iati-activities> document Serai would publish for ``projects`` (all content as if it
    were real: the demo flag is ignored, so that the demo content itself is checked)."""
    from serai.iati import export, queries, readiness

    root = etree.Element("iati-activities", version="2.03")
    for project in queries.with_export_data(projects.order_by("code")):
        activity = export.from_project(project)
        if not readiness.blocking([p for p in readiness.check(activity) if not p.rule]):
            root.append(export.activity_element(activity))
    return root


@pytest.fixture
def publisher(settings):
    settings.SERAI_IATI_PUBLISHER_ID = "XI-IATI-KCACF"
    settings.SERAI_IATI_PUBLISHER_REF = "XI-IATI-KCACF"  # the setting's earlier name


@pytest.fixture
def dac_codes(reference):
    """The reference data as on the demo instance: cooperation fields with their DAC codes."""
    from serai.reference.operations import load_reference

    load_reference(SystemActor("test"), shared_data_path("iati", "codelists"))


@pytest.fixture
def demo(dac_codes, publisher):
    from serai.demo.projects import load_demo_projects
    from serai.demo.registry import load_demo

    load_demo(SystemActor("test"), "pw")
    load_demo_projects(SystemActor("test"))


@pytest.mark.shared_data
def test_public_feed_of_the_demo_content_has_no_ruleset_error(client, demo):
    from django.contrib.auth.models import AnonymousUser

    from serai.projects import queries as project_queries

    ruleset = standard()
    root = public_activities(project_queries.projects(AnonymousUser()))
    assert len(root) >= 12
    errors = [f for f in rulesets.check(ruleset, root) if f.is_error]
    assert errors == [], summary(errors)
    # and the feed as served
    served = etree.fromstring(b"".join(client.get("/iati/activities.xml").streaming_content))
    errors = [f for f in rulesets.check(ruleset, served) if f.is_error]
    assert errors == [], summary(errors)


@pytest.mark.shared_data
def test_500_generated_projects_have_no_ruleset_error(dac_codes, publisher):
    from django.contrib.auth.models import AnonymousUser

    from serai.demo.projects import generate
    from serai.demo.registry import load_demo
    from serai.projects import queries as project_queries

    ruleset = standard()
    load_demo(SystemActor("test"), "pw")  # the organisations the generator draws participants from
    generate(500, seed=2026)
    root = public_activities(project_queries.projects(AnonymousUser()))
    assert len(root) >= 200
    errors = [f for f in rulesets.check(ruleset, root) if f.is_error]
    assert errors == [], summary(errors)


# --- readiness, its page and the command --------------------------------------------------------------
def public_project(make_project, roles, **values):
    from serai.projects import operations
    from serai.projects.models import Project

    project = make_project(**values)
    operations.add_participation(roles["secretariat"], project, roles["partner"], "1")
    Project.objects.filter(pk=project.pk).update(status="implementation", is_demo=False)
    return Project.objects.get(pk=project.pk)


def single_sector_at_60(project):
    from serai.projects.models import ProjectSector

    ProjectSector.objects.filter(project=project).update(percentage=60)  # IATI rule 2.1.4: omitted or 100


@pytest.mark.shared_data
def test_readiness_shows_ruleset_findings_beside_the_codelist_ones(make_project, publisher, client, roles):
    from serai.iati import readiness

    standard()
    project = public_project(make_project, roles)
    single_sector_at_60(project)
    report = readiness.for_project(project)
    found = [p for p in report["problems"] if p.rule == "2.1.4"]
    assert found and found[0].level == "error" and "IATI rule 2.1.4" in found[0].message
    assert not readiness.blocking(found)  # shown, but the Validator's rules do not hold the project back
    client.force_login(roles["secretariat"])
    assert "IATI rule 2.1.4" in client.get(f"/en/projects/{project.pk}/").content.decode()
    html = client.get("/en/iati/readiness/").content.decode()
    assert project.code in html and "IATI rule 2.1.4" in html


@pytest.mark.shared_data
def test_readiness_page_is_paginated_with_constant_queries(make_project, roles, publisher, client):
    from serai.core.testing import assert_constant_queries, cold, count_queries

    standard()
    for _ in range(26):
        public_project(make_project, roles)
    first = client.get("/en/iati/readiness/").content.decode()
    assert first.count('<th scope="row">') == 25 and "page=2" in first
    second = client.get("/en/iati/readiness/?page=2").content.decode()
    assert second.count('<th scope="row">') == 1
    assert client.get("/en/iati/readiness/?page=x").status_code == 400
    n = assert_constant_queries(
        lambda: client.get("/en/iati/readiness/?page=2").content,
        lambda: [public_project(make_project, roles) for _ in range(5)],
        check=lambda a, b: b.count(b'<th scope="row">') > a.count(b'<th scope="row">'),
    )
    cold()
    assert n == count_queries(lambda: client.get("/en/iati/readiness/").content)[0]


MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z">
 <iati-activity last-updated-datetime="2026-01-01T00:00:00Z" xml:lang="en" default-currency="USD">
  <iati-identifier>XI-IATI-KCACF-T-1</iati-identifier>
  <reporting-org ref="XI-IATI-KCACF" type="40"><narrative>Secretariat</narrative></reporting-org>
  <title><narrative>Test</narrative></title>
  <description><narrative>A test.</narrative></description>
  <participating-org ref="XI-IATI-KCACF" role="1" type="40"><narrative>Secretariat</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  <recipient-country code="KZ"/>
  <sector vocabulary="1" code="11220"/>
  <budget type="1" status="1">
   <period-start iso-date="2024-01-01"/>
   <period-end iso-date="{end}"/>
   <value value-date="2024-01-01">1000</value>
  </budget>
 </iati-activity>
</iati-activities>
"""


@pytest.mark.shared_data
def test_validate_command_prints_ruleset_findings(tmp_path, db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    standard()
    bad = tmp_path / "bad.xml"
    bad.write_text(MINIMAL.format(end="2025-12-31"), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="1 ruleset errors"):
        call_command("iati", "validate", str(bad), stdout=out)
    assert (
        "error 7.5.3 [time_limit] XI-IATI-KCACF-T-1 line 13: Budget Period must not be longer than one year."
        in out.getvalue()
    )
    good = tmp_path / "good.xml"
    good.write_text(MINIMAL.format(end="2024-12-31"), encoding="utf-8")
    out = StringIO()
    call_command("iati", "validate", str(good), stdout=out)
    assert "valid IATI 2.03; 0 ruleset errors" in out.getvalue()
    with pytest.raises(CommandError, match="either a FILE or --feed"):
        call_command("iati", "validate")


@pytest.mark.shared_data
def test_validate_command_checks_the_feed(make_project, roles, dac_codes, publisher):
    from io import StringIO

    from django.core.management import CommandError, call_command

    standard()
    project = public_project(make_project, roles)
    out = StringIO()
    try:
        call_command("iati", "validate", "--feed", stdout=out)
    except CommandError:
        pytest.fail(out.getvalue())
    assert "the public activity feed: valid IATI 2.03; 0 ruleset errors" in out.getvalue()
    single_sector_at_60(project)
    with pytest.raises(CommandError, match="ruleset errors"):
        call_command("iati", "validate", "--feed", stdout=StringIO())


@pytest.mark.shared_data
def test_a_sector_in_the_own_vocabulary_carries_its_name(make_project, roles, publisher):
    """Rule 2.2.1: a project whose cooperation field has no DAC code is published with the field's
    code in vocabulary 99, which must then include a narrative (the field's name)."""
    from serai.iati import export, queries
    from serai.projects.models import Project

    project = public_project(make_project, roles)  # the energy field, no DAC code chosen
    activity = export.from_project(queries.with_export_data(Project.objects.filter(pk=project.pk)).get())
    element = export.activity_element(activity)
    sector = element.find("sector")
    assert sector.get("vocabulary") == "99" and sector.get("code") == "energy"
    assert sector.findtext("narrative") == str(project.sectors.get().field.name.get("en"))
    assert "2.2.1" not in {f.rule_id for f in rulesets.check_activity(element, standard())}


def test_validate_command_refuses_the_feed_until_the_publisher_is_set(settings, db):
    from django.core.management import CommandError, call_command

    settings.SERAI_IATI_PUBLISHER_ID = ""
    with pytest.raises(CommandError, match="Publishing to IATI is blocked"):
        call_command("iati", "validate", "--feed")
