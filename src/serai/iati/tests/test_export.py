"""The export: demo projects (built through the real workflow) as schema-valid IATI 2.03, one
narrative per language, readiness problems on the project page, filters and files."""

import pytest
from lxml import etree

from serai.core.audit import SystemActor
from serai.core.testing import count_queries
from serai.iati import export, queries, readiness
from serai.iati.schema import validate_tree
from serai.orgs.models import Organisation
from serai.projects.models import Project

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def demo(reference):
    from serai.demo.projects import load_demo_projects
    from serai.demo.registry import load_demo

    load_demo(SystemActor("test"), "pw")
    load_demo_projects(SystemActor("test"))
    # The demo's content standing in for real content: demo content itself is never published.
    Project.objects.update(is_demo=False)
    Organisation.objects.update(is_demo=False)
    return Project.objects.all()


def parse(body: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(body))


def test_activity_file_is_schema_valid_and_multilingual(client, demo):
    response = client.get("/iati/activities.xml")
    assert response.status_code == 200 and response.streaming
    tree = parse(b"".join(response.streaming_content))
    assert validate_tree(tree) == []
    activities = tree.getroot().findall("iati-activity")
    public = [p for p in demo if p.is_public]
    assert activities and len(activities) <= len(public)
    assert {a.findtext("iati-identifier") for a in activities} <= {export.identifier(p) for p in public}
    langs = {n.get(XML_LANG) for a in activities for n in a.find("title").findall("narrative")}
    assert {None, "ko", "ru"} <= langs  # en is the activity's language; ko and ru each get their own narrative
    for a in activities:
        assert a.find("participating-org").get("role") in {"1", "2", "3", "4"}
        pct = [float(s.get("percentage")) for s in a.findall("sector") if s.get("vocabulary") == "1"]
        assert not pct or abs(sum(pct) - 100) < 0.01
        assert all(c.get("code") in {"KZ", "UZ", "TM", "KG", "TJ"} for c in a.findall("recipient-country"))


def test_country_filter_and_project_file(client, demo):
    kz = parse(b"".join(client.get("/iati/activities.xml?country=KZ").streaming_content))
    assert validate_tree(kz) == []
    for a in kz.getroot().findall("iati-activity"):
        assert "KZ" in {c.get("code") for c in a.findall("recipient-country")}
    ready = next(p for p in queries.exportable() if not readiness.blocking(readiness.check(export.from_project(p))))
    one = parse(b"".join(client.get(f"/iati/projects/{ready.pk}.xml").streaming_content))
    assert validate_tree(one) == [] and one.getroot()[0].findtext("iati-identifier") == export.identifier(ready)
    hidden = Project.objects.exclude(
        status__in=["endorsed", "implementation", "suspended", "completed", "evaluated"]
    ).first()
    assert client.get(f"/iati/projects/{hidden.pk}.xml").status_code == 404


def test_export_queries_do_not_grow_with_projects(demo):
    def run():
        return b"".join(export.stream_activities(export.from_project(p) for p in queries.exportable()))

    n_all, body, _ = count_queries(run)
    exported = body.count(b"<iati-activity ")
    # One query for the projects and one per prefetched relation (ten of them), however many projects:
    # with one query per project or per result the count would pass the number of activities.
    assert exported >= 12 and n_all <= 11


def test_readiness_reports_codelist_and_missing_fields_per_project(client, demo, reference):
    project = next(p for p in queries.exportable())
    sector = project.sectors.first()
    from serai.reference.models import DacSector

    bogus = DacSector.objects.create(code="99999", name="Not a DAC code")
    sector.dac_sector = bogus
    sector.save()
    report = readiness.for_project(project)
    assert not report["ready"]
    assert any(p.element == "sector/@code" and "99999" in p.message for p in report["problems"])
    assert "IATI publishing readiness" not in client.get(f"/en/projects/{project.pk}/").content.decode()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="staff"))  # shown to those who can fix it
    page = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert "IATI publishing readiness" in page and "99999 is not a code of the IATI Sector codelist" in page
    client.logout()
    body = b"".join(client.get("/iati/activities.xml").streaming_content)
    assert export.identifier(project).encode() not in body  # kept out until fixed
    assert validate_tree(parse(body)) == []
    html = client.get("/en/iati/readiness/").content.decode()
    assert "public projects are ready" in html and project.code in html and "Publishing to IATI is blocked" not in html


def test_organisation_file_is_schema_valid(client, demo, settings):
    from serai.orgs.models import Organisation

    Organisation.objects.filter(pk=Organisation.objects.first().pk).update(iati_identifier="KR-GOV-010", iati_type="10")
    tree = parse(b"".join(client.get("/iati/organisations.xml").streaming_content))
    assert validate_tree(tree) == []
    identifiers = [o.text for o in tree.getroot().findall("iati-organisation/organisation-identifier")]
    assert identifiers == [settings.SERAI_IATI_PUBLISHER_ID, "KR-GOV-010"]  # the Secretariat first (issue 21)


def test_readiness_report_and_activity_file_queries_are_constant(client, demo):
    from serai.core.testing import assert_constant_queries
    from serai.demo.projects import generate

    seeds = iter(range(1, 10))
    assert_constant_queries(
        lambda: client.get("/en/iati/readiness/").content,
        lambda: generate(25, seed=next(seeds), demo=False),
        check=lambda a, b: b.count(b"<tr>") > a.count(b"<tr>"),
    )
    assert_constant_queries(
        lambda: b"".join(client.get("/iati/activities.xml").streaming_content),
        lambda: generate(25, seed=next(seeds), demo=False),
        check=lambda a, b: b.count(b"<iati-activity ") > a.count(b"<iati-activity "),
        warm_up=False,  # each counted fetch records the new projects it publishes
    )


def test_command_exports_and_validates(tmp_path, demo):
    from django.core.management import call_command

    out = tmp_path / "activities.xml"
    call_command("iati", "export", str(out), "--country", "UZ")
    tree = etree.parse(str(out))
    assert validate_tree(tree) == [] and tree.getroot().findall("iati-activity")
    call_command("iati", "validate", str(out))
    bad = tmp_path / "bad.xml"
    bad.write_text('<iati-activities version="2.03"><iati-activity/></iati-activities>')
    with pytest.raises(Exception, match="schema errors"):
        call_command("iati", "validate", str(bad))


def test_readiness_names_organisations_in_the_readers_language():
    """Found by the crawler (issue 14): Korean and Russian pages named partners in English."""
    from django.utils import translation

    from serai.iati import data as d

    activity = d.Activity(
        identifier="XI-1",
        reporting_org=d.Org(),
        title={"en": "T"},
        status="2",
        dates={},
        participating=[d.Org(names={"en": "Hanyang University", "ko": "한양대학교"})],
    )
    with translation.override("ko"):
        messages = [p.message for p in readiness.check(activity)]
    assert any("한양대학교" in m for m in messages) and not any("Hanyang" in m for m in messages)
    with translation.override("ru"):  # no Russian name: the first one there is
        assert any("Hanyang University" in p.message for p in readiness.check(activity))
