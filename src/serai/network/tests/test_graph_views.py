"""The collaboration graph's pages: drawing data, table, exports, filters and who sees which links."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from serai.core.testing import body
from serai.governance import operations as gov_ops
from serai.governance.models import Meeting
from serai.projects import operations as project_ops
from serai.projects.tests.conftest import energy, make_project, roles, walk  # noqa: F401 (fixtures)

URL = "/en/network/graph/"


@pytest.fixture
def world(roles, make_project, walk, make_org, make_person, reference, system):  # noqa: F811
    """A public project (KR university + the KZ partner + an Uzbek firm, co-funded by two funders),
    a private one (two organisations found nowhere else), a meeting and a body seat."""
    sec = roles["secretariat"]
    kr = make_org("Seoul Tech University", helix="academia", country="KR")
    uz = make_org('=HYPERLINK("http://x")', helix="industry", country="UZ")  # a name that looks like a formula
    public = make_project(countries=("KR", "KZ", "UZ"))
    project_ops.add_participation(sec, public, kr, "4")
    project_ops.add_participation(sec, public, uz, "1")
    project_ops.add_participation(sec, public, kr, "1")
    walk(public, "endorsed")
    secret_a = make_org("Hidden Alpha", helix="research", country="KZ")
    secret_b = make_org("Hidden Beta", helix="government", country="TJ")
    private = make_project(countries=("KR", "KZ", "TJ"))
    project_ops.add_participation(sec, private, secret_a, "4")
    project_ops.add_participation(sec, private, secret_b, "4")
    meeting = Meeting.objects.filter(status="held").first()
    listed = make_person("Listed Person", country="KR", organisation=kr, is_public=True)
    unlisted = make_person("Unlisted Person", country="KZ", organisation=roles["partner"])
    gov_ops.add_participant(
        sec, meeting, {"person": listed, "country": reference["states"]["KR"], "attendance": "attended"}
    )
    gov_ops.add_participant(
        sec,
        meeting,
        {
            "person": unlisted,
            "country": reference["states"]["KZ"],
            "organisation": roles["partner"],
            "attendance": "attended",
        },
    )
    gov_ops.add_participant(sec, meeting, {"name": "Delegate", "organisation": uz, "attendance": "attended"})
    gov_ops.add_participant(sec, meeting, {"name": "No-show", "organisation": secret_a, "attendance": "absent"})
    return {
        "kr": kr,
        "uz": uz,
        "public": public,
        "private": private,
        "secret_a": secret_a,
        "secret_b": secret_b,
        "meeting": meeting,
        "listed": listed,
        "unlisted": unlisted,
        "sec": sec,
    }


def _json(client, query=""):
    response = client.get(URL + "data.json" + query)
    assert response.status_code == 200
    return response.json()


def _edges(data) -> set[frozenset]:
    return {frozenset((e["source"], e["target"])) for e in data["elements"]["edges"]}


def test_page_draws_from_json_without_inline_script(client, world, roles):  # noqa: F811
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="graph-canvas"' in html and "vendor/cytoscape.min.js" in html and "network/graph.js" in html
    assert "<script>" not in html  # data comes from the JSON endpoint (CSP: no inline script)
    data = _json(client)
    ids = {n["id"] for n in data["elements"]["nodes"]}
    kr, uz, partner = f"org:{world['kr'].pk}", f"org:{world['uz'].pk}", f"org:{roles['partner'].pk}"
    assert {kr, uz, partner} <= ids
    assert frozenset((kr, uz)) in _edges(data)
    assert all(isinstance(n["x"], float | int) and isinstance(n["y"], float | int) for n in data["elements"]["nodes"])
    assert data["stats"]["exact"] is True


def test_public_does_not_see_links_of_a_project_before_endorsement(client, world, roles):  # noqa: F811
    hidden = {f"org:{world['secret_a'].pk}", f"org:{world['secret_b'].pk}"}
    data = _json(client)
    assert not hidden & {n["id"] for n in data["elements"]["nodes"]}
    edges_csv = body(client.get(URL + "edges.csv")).decode("utf-8-sig")
    assert "Hidden Alpha" not in edges_csv and f"project:{world['private'].pk}" not in edges_csv
    graphml = body(client.get(URL + "export.graphml"))
    assert b"Hidden Alpha" not in graphml
    # the Secretariat sees the private project's link
    client.force_login(world["sec"])
    assert frozenset(hidden) in _edges(_json(client))


def test_people_visibility_on_meeting_links(client, world, roles):  # noqa: F811
    listed, unlisted = f"person:{world['listed'].pk}", f"person:{world['unlisted'].pk}"
    public = _json(client, "?kind=delegation")
    assert {n["id"] for n in public["elements"]["nodes"]} == {listed, f"org:{world['uz'].pk}"}  # not the absent
    assert _edges(public) == {frozenset((listed, f"org:{world['uz'].pk}"))}
    assert public["elements"]["edges"][0]["first"] == world["meeting"].year
    # an unlisted delegate from a country delegation is not revealed through their organisation either
    partner = f"org:{roles['partner'].pk}"
    assert frozenset((listed, partner)) not in _edges(_json(client))
    client.force_login(world["sec"])
    assert frozenset((listed, unlisted)) in _edges(_json(client))


def test_body_seats_link_people_with_overlapping_terms(client, world, reference, make_person):
    sec = world["sec"]
    body_ = reference["bodies"]["economy"]
    a = make_person("Seat A", country="KR", is_public=True)
    b = make_person("Seat B", country="KZ", is_public=True)
    c = make_person("Seat C", country="UZ", is_public=True)
    gov_ops.add_member(
        sec,
        body_,
        a,
        position="member",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2023, 12, 31),
        country=reference["states"]["KR"],
    )
    gov_ops.add_member(
        sec, body_, b, position="member", start_date=dt.date(2022, 1, 1), country=reference["states"]["KZ"]
    )
    gov_ops.add_member(
        sec,
        body_,
        c,
        position="member",
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2012, 1, 1),
        country=reference["states"]["UZ"],
    )
    ka, kb, kc = (f"person:{p.pk}" for p in (a, b, c))
    edges = _edges(_json(client, "?kind=body"))
    assert frozenset((ka, kb)) in edges and frozenset((ka, kc)) not in edges and frozenset((kb, kc)) not in edges
    # the year filter keeps the link in its overlap (2022-2023) only
    assert frozenset((ka, kb)) in _edges(_json(client, "?kind=body&year_from=2023&year_to=2023"))
    assert frozenset((ka, kb)) not in _edges(_json(client, "?kind=body&year_from=2019&year_to=2021"))


@pytest.mark.parametrize(
    "query, field",
    [
        ("?year_from=abc", "year_from"),
        ("?year_from=1200", "year_from"),
        ("?country=XX", "country"),
        ("?helix=robots", "helix"),
        ("?kind=gossip", "kind"),
        ("?field=nothing", "field"),
        ("?year_from=2024&year_to=2020", "year_to"),
        ("table/?sort=colour", "sort"),
        ("table/?page=0", "page"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(client, world, query, field):
    for suffix in ("", "data.json", "nodes.csv", "edges.csv", "export.graphml"):
        if query.startswith("table/") and suffix:
            continue
        url = URL + (query if query.startswith("table/") else suffix + query)
        response = client.get(url)
        assert response.status_code == 400, url
        assert field in response.content.decode(), url


def test_filters_by_country_and_helix(client, world):
    data = _json(client, "?country=KR&country=UZ")
    assert data["elements"]["nodes"] and {n["country"] for n in data["elements"]["nodes"]} <= {"KR", "UZ"}
    data = _json(client, "?helix=industry&helix=academia")
    assert {n["helix"] for n in data["elements"]["nodes"]} <= {"industry", "academia"}


def test_table_sorted_and_paginated(client, world):
    response = client.get(URL + "table/?sort=-degree")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-sort="descending"' in html and "Seoul Tech University" in html
    rows = etree.HTML(html).findall(".//table[@id='graph-nodes']/tbody/tr")
    degrees = [int(r.findall("td")[3].text) for r in rows]
    assert degrees == sorted(degrees, reverse=True) and degrees
    assert client.get(URL + "table/?sort=label&page=99").status_code == 200  # past the end: the last page


def test_exports_graphml_parses_and_csv_cells_are_neutralised(client, world):
    doc = etree.fromstring(body(client.get(URL + "export.graphml")))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    labels = {d.text for d in doc.findall(".//g:node/g:data[@key='n_label']", ns)}
    assert '=HYPERLINK("http://x")' in labels  # GraphML carries the text as it is, escaped
    assert doc.findall(".//g:edge", ns)
    nodes = list(csv.reader(io.StringIO(body(client.get(URL + "nodes.csv")).decode("utf-8-sig"))))
    assert nodes[0][:2] == ["id", "Name"]
    names = [row[1] for row in nodes[1:]]
    assert '\'=HYPERLINK("http://x")' in names and '=HYPERLINK("http://x")' not in names
    edges = list(csv.reader(io.StringIO(body(client.get(URL + "edges.csv")).decode("utf-8-sig"))))
    assert len(edges) > 1 and all(not cell.startswith("=") for row in edges for cell in row)


def test_query_count_does_not_grow_with_the_graph(client, world, roles, make_project, walk, make_org):  # noqa: F811
    from django.core.cache import cache

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL + "data.json").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    sec = roles["secretariat"]
    for i in range(3):
        project = make_project(countries=("KR", "KZ"))
        for j in range(3):
            project_ops.add_participation(sec, project, make_org(f"Extra {i}-{j}", country="KZ"), "4")
        walk(project, "endorsed")
    assert count() == before


def test_accepted_introduction_links_for_its_organisations_only(client, net, make_profile):
    from serai.network import operations as net_ops

    profile = make_profile("kz_inst")
    intro = net_ops.express_interest(net["ed_kr"], profile, net["kr_uni"], "Let us meet.")
    pair = frozenset((f"org:{net['kr_uni'].pk}", f"org:{net['kz_inst'].pk}"))
    client.force_login(net["ed_kr"])
    assert pair not in _edges(_json(client))  # requested only
    net_ops.accept_introduction(net["ed_kz"], intro)
    data = _json(client, "?kind=introduction")
    assert _edges(data) == {pair}
    assert data["elements"]["edges"][0]["kinds"] == ["introduction"]
    client.logout()
    assert pair not in _edges(_json(client))  # the public
    client.force_login(net["nobody"])
    assert pair not in _edges(_json(client))
    client.force_login(net["ed_uz"])  # an editor of another organisation
    assert pair not in _edges(_json(client))


def test_iati_co_funders_link_for_roles_that_see_the_landscape(client, tmp_path, make_org, make_user, roles):  # noqa: F811
    from serai.access.models import Role
    from serai.iati import operations as iati_ops
    from serai.iati.generate import generate

    kr = make_org("Korea Agency", helix="government", country="KR", iati_identifier="KR-GOV-010")
    multi = make_org(
        "World Fund", helix="international", country=None, other_country="US", iati_identifier="XM-DAC-903"
    )
    path = generate(tmp_path / "a.xml", 1, member_share=1.0, seed=5)
    doc = etree.parse(str(path))
    activity = doc.getroot()[0]
    old = activity.findall("participating-org")
    at = list(activity).index(old[0])
    for el in old:
        activity.remove(el)
    for i, ref in enumerate(("KR-GOV-010", "XM-DAC-903", "XX-UNKNOWN-1")):
        el = etree.Element("participating-org", ref=ref, role="1", type="10")
        etree.SubElement(el, "narrative").text = ref
        activity.insert(at + i, el)
    doc.write(str(path))
    run = iati_ops.import_file(roles["secretariat"], str(path))
    assert run.imported == 1, run.reasons
    pair = frozenset((f"org:{kr.pk}", f"org:{multi.pk}"))
    assert pair not in _edges(_json(client))  # the public does not see the landscape
    client.force_login(make_user(Role.FOCAL_POINT, kr.member_state))
    data = _json(client, "?kind=cofunding")
    assert _edges(data) == {pair}
    csv_text = body(client.get(URL + "edges.csv?kind=cofunding")).decode("utf-8-sig")
    assert "iati:" in csv_text


def test_drawn_links_keep_each_nodes_strongest_first():
    from serai.network.graph import Link
    from serai.network.views_graph import strongest

    links = [Link("a", "b", 5), Link("a", "c", 4), Link("b", "c", 3), Link("c", "d", 1), Link("d", "e", 1)]
    assert strongest(links, 10) == links
    # every node's strongest link (a, b: a-b; c: a-c; d: c-d; e: d-e) comes before the heavier b-c
    assert [(link.a, link.b) for link in strongest(links, 4)] == [("a", "b"), ("a", "c"), ("c", "d"), ("d", "e")]
    assert [(link.a, link.b) for link in strongest(links, 3)] == [("a", "b"), ("a", "c"), ("c", "d")]


def test_empty_graph_pages_answer(client, reference):
    assert "graph-canvas" in client.get(URL).content.decode()
    assert _json(client)["elements"] == {"nodes": [], "edges": []}
    assert "No links match these filters." in client.get(URL + "table/").content.decode()
    assert etree.fromstring(body(client.get(URL + "export.graphml"))) is not None
