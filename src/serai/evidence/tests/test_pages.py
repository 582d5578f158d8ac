"""Trade evidence pages over a small synthetic store (with real BACI country codes)."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from serai.access.models import Role
from serai.core.testing import body as body_of
from serai.core.testing import count_queries, shared_data_path
from serai.trade import opportunities
from serai.trade.indicators import Analysis
from serai.trade.store import TradeStore

from .helpers import build_store


@pytest.fixture(scope="module")
def trade_dir(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("trade")).root


@pytest.fixture
def trade(settings, trade_dir, reference):
    settings.SERAI_TRADE_DIR = trade_dir
    settings.SERAI_WORLD_ATLAS = shared_data_path("geo/world-atlas_countries-50m.topo.json")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(trade_dir)}
    }
    from django.core.cache import cache

    cache.clear()
    return TradeStore(trade_dir)


def test_index_shows_map_table_and_synthetic_warning(client, trade):
    html = client.get("/en/trade/").content.decode()
    assert "Synthetic data — not real trade figures." in html
    assert html.count('class="map-focus"') == 6  # the six, drawn from the real world-atlas geometry
    for iso in ("KAZ", "KGZ", "TJK", "TKM", "UZB"):
        assert f'href="/en/trade/{iso}/?year=2020"' in html
    assert "/static/vendor/plotly.min.js" in html and "cdn" not in html.lower()


def test_pair_page_lists_the_engines_ranking_and_links_every_figure_to_the_method(client, trade):
    html = client.get("/en/trade/UZB/?year=2020&top=10").content.decode()
    expected = opportunities.untapped(Analysis(trade, "SYN-HS17"), "KOR", "UZB", 2020, top=10)
    shown = re.findall(r'<th scope="row">(\d{6})</th>', html)
    assert shown == [r["code"] for r in expected.rows] and len(shown) == 10
    figures = html.count('<figure class="chart">')
    assert figures == 3 and html.count('href="/en/trade/methods/#') >= figures
    back = client.get("/en/trade/UZB/?year=2020&direction=in&level=hs4&top=5").content.decode()
    expected = opportunities.untapped(Analysis(trade, "SYN-HS17"), "UZB", "KOR", 2020, level="hs4", top=5)
    assert re.findall(r'<th scope="row">(\d{4})</th>', back) == [r["code"] for r in expected.rows]


def test_exports_are_exactly_the_table_shown(client, trade):
    query = "year=2020&direction=in&level=hs6&field=agriculture&top=7"
    html = client.get(f"/en/trade/KAZ/?{query}").content.decode()
    shown = re.findall(r'<th scope="row">(\d{6})</th>', html)
    assert shown, "the filter must leave rows to compare"
    body = body_of(client.get(f"/en/trade/KAZ/opportunities.csv?{query}")).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert "SYNTHETIC" in rows[0][0] and rows[1][0] == "code"
    assert rows[1][:3] == ["code", "product", "field"]
    assert [r[0] for r in rows[2:]] == shown and {r[2] for r in rows[2:]} == {"agriculture"}
    xlsx = body_of(client.get(f"/en/trade/KAZ/opportunities.xlsx?{query}"))
    sheet = [list(r) for r in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)]
    assert [r[0] for r in sheet[2:]] == shown
    assert client.get(f"/en/trade/KAZ/opportunities.pdf?{query}").status_code == 404


def test_bloc_page_has_matrix_similarity_and_screen(client, trade):
    html = client.get("/en/trade/CA5/").content.decode()
    assert "Cooperation matrix" in html and "Export similarity" in html and "supplier concentration" in html
    expected = Analysis(trade, "SYN-HS17").similarity(("KOR", "KAZ", "KGZ", "TJK", "TKM", "UZB"), 2020, market="RUS")
    russia = client.get("/en/trade/CA5/?market=RUS").content.decode()
    assert "Export similarity (Finger–Kreinin, in the market of RUS)" in russia
    assert f"{expected['matrix'][('KOR', 'KAZ')]:.0f}</td>" in russia


def test_propose_a_project_from_an_opportunity(client, trade, make_user, reference, energy_field):
    from serai.projects.models import Project

    public = client.get("/en/trade/KAZ/?year=2020").content.decode()
    assert "Propose a project from this opportunity" not in public
    fp = make_user(Role.FOCAL_POINT, reference["states"]["KZ"])
    client.force_login(fp)
    html = client.get("/en/trade/KAZ/?year=2020&top=3").content.decode()
    code = re.findall(r'<th scope="row">(\d{6})</th>', html)[0]
    response = client.post(
        "/en/trade/propose/",
        {"dataset": "SYN-HS17", "year": "2020", "exporter": "KOR", "market": "KAZ", "level": "hs6", "code": code},
    )
    assert response.status_code == 302 and "/projects/new/?evidence=" in response["Location"]
    token = response["Location"].split("evidence=")[1]
    form = client.get(response["Location"]).content.decode()
    assert "Trade evidence attached" in form and "Synthetic data" in form and f"HS6 {code}" in form
    data = (
        {f"title_{i}": "" for i in range(6)}
        | {f"summary_{i}": "" for i in range(6)}
        | {f"description_{i}": "" for i in range(6)}
    )
    data |= {
        "title_0": "From the trade page",
        "title_6": "en",
        "summary_6": "en",
        "description_6": "en",
        "subcommittee": str(reference["bodies"]["economy"].pk),
        "countries": [str(reference["states"]["KR"].pk), str(reference["states"]["KZ"].pk)],
        "sector_field_0": str(energy_field.pk),
        "sector_pct_0": "100",
        "evidence": token,
    }
    assert client.post("/en/projects/new/", data).status_code == 302
    project = Project.objects.get(title__values__en="From the trade page")
    snap = project.trade_evidence
    assert (snap["exporter"], snap["market"], snap["code"], snap["synthetic"]) == ("KOR", "KAZ", code, True)
    row = next(
        r
        for r in opportunities.untapped(Analysis(trade, "SYN-HS17"), "KOR", "KAZ", 2020, top=None).rows
        if r["code"] == code
    )
    assert snap["row"]["untapped"] == pytest.approx(row["untapped"])
    # A forged code is refused, not stored.
    assert (
        client.post(
            "/en/trade/propose/",
            {
                "dataset": "SYN-HS17",
                "year": "2020",
                "exporter": "KOR",
                "market": "KAZ",
                "level": "hs6",
                "code": "999999",
            },
        ).status_code
        == 404
    )


def test_anonymous_visitors_cannot_propose(client, trade):
    response = client.post("/en/trade/propose/", {"exporter": "KOR", "market": "KAZ", "level": "hs6", "code": "010110"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_methods_page_and_languages(client, trade):
    html = client.get("/en/trade/methods/").content.decode()
    assert 'id="tci"' in html and "Michaely" in html and 'id="complexity"' in html
    ru = client.get("/ru/trade/UZB/?year=2020").content.decode()
    assert "Синтетические данные" in ru
    ko = client.get("/ko/trade/").content.decode()
    assert "합성 데이터" in ko


def test_pages_without_data(client, settings, tmp_path, reference):
    settings.SERAI_TRADE_DIR = tmp_path / "nothing"
    assert "No bilateral trade data is loaded yet." in client.get("/en/trade/").content.decode()
    assert client.get("/en/trade/UZB/").status_code == 200
    assert client.get("/en/trade/XYZ/").status_code == 404


def test_page_queries_do_not_grow_with_rows(client, trade):
    client.get("/en/trade/UZB/?year=2020&top=1")  # what the shell keeps between requests is warm
    few, _, _ = count_queries(lambda: client.get("/en/trade/UZB/?year=2020&top=5"))
    many, _, _ = count_queries(lambda: client.get("/en/trade/UZB/?year=2020&top=200"))
    assert few == many


def test_the_kept_pair_body_is_right_for_every_viewer_language_and_name(client, trade, make_user, reference):
    """Issue 19: the pair page's body is kept rendered per trade load, language and parameters; who
    may propose, the language and the reference names are part of what it is kept by."""
    from django.test import Client

    from serai.core.i18n import TranslatedText
    from serai.reference.models import MemberState

    url = "/en/trade/KAZ/?year=2020&top=3"
    propose = "Propose a project from this opportunity"
    public = client.get(url).content.decode()
    assert propose not in public and 'id="propose-form"' not in public
    fp = Client()
    fp.force_login(make_user(Role.FOCAL_POINT, reference["states"]["KZ"]))
    html = fp.get(url).content.decode()
    assert html.count(propose) == 3 and html.count('form="propose-form"') == 3
    form = html.split('id="propose-form"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form and 'name="exporter" value="KOR"' in form
    assert propose not in client.get(url).content.decode()  # the public page again, after the focal point's
    assert client.get(url.replace("/en/", "/ru/")).content.decode() != public
    from serai.core.audit import SystemActor
    from serai.reference.operations import update_member_state

    state = MemberState.objects.get(iso3="KAZ")  # renamed as the admin does: through the audited operation
    update_member_state(SystemActor("test"), state, {"name": TranslatedText({"en": "Kazakhstan Renamed"})})
    assert "Kazakhstan Renamed" in client.get(url).content.decode()
