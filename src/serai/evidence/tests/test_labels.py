"""Public trade figures say what they are (issue 14, item 5): the trade intensity is the trade
intensity index (not complementarity), amounts carry their unit in the page's language, the
synthetic-data warning stands beside every synthetic figure, and HS codes come with product names."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from serai.core.templatetags.serai_tags import format_money
from serai.core.testing import body as body_of
from serai.core.testing import shared_data_path
from serai.evidence import queries as evidence_queries
from serai.trade import codes, ingest, opportunities, synth
from serai.trade.indicators import Analysis
from serai.trade.store import TradeStore

from .helpers import OTHERS, SIX


@pytest.fixture(scope="module")
def named_trade_dir(tmp_path_factory):
    """A small synthetic store whose HS6 codes are real ones, loaded with BACI's product dictionary."""
    root = tmp_path_factory.mktemp("named-trade")
    products = shared_data_path("hs/baci_product_codes_HS17_V202301.csv")
    synth.generate(
        root / "csv",
        [2020],
        countries=SIX + OTHERS,
        products=codes.read_product_codes(products),
        n_countries=40,
        n_products=400,
        rows=40_000,
        seed=5,
    )
    store = TradeStore(root / "store")
    ingest.load(root / "csv", store, products=products)
    return store.root


@pytest.fixture
def trade(settings, named_trade_dir, reference):
    settings.SERAI_TRADE_DIR = named_trade_dir
    settings.SERAI_WORLD_ATLAS = shared_data_path("geo/world-atlas_countries-50m.topo.json")
    settings.SERAI_HS_NAMES = shared_data_path("hs")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"labels-{named_trade_dir}"}
    }
    from django.core.cache import cache

    cache.clear()
    return TradeStore(named_trade_dir)


def _overview(store):
    ctx = evidence_queries.context()
    return {r["iso3"]: r for r in evidence_queries.overview(ctx)}


def test_home_trade_map_shows_the_trade_intensity_index_and_the_synthetic_warning(client, trade):
    rows = _overview(trade)
    html = client.get("/en/?map=trade").content.decode()
    kaz = rows["KAZ"]
    assert kaz["intensity_reporter_to_partner"] != pytest.approx(kaz["tci_reporter_to_partner"])
    titles = dict(
        re.findall(r'<use href="[^"]*" fill="[^"]*" class="map-focus"><title>([^<:]+): ([^<]+)</title>', html)
    )
    assert titles["Kazakhstan"] == f"{kaz['intensity_reporter_to_partner']:.2f}"
    assert "Synthetic data — not real trade figures." in html
    assert 'href="/en/trade/methods/#tii"' in html
    # the table beside the map holds the same values
    assert re.search(rf'data-iso="KAZ">.*?<td class="num">{re.escape(titles["Kazakhstan"])}</td>', html)


def test_country_page_names_complementarity_and_intensity_and_turnover_unit(client, trade):
    kaz = _overview(trade)["KAZ"]
    html = client.get("/en/countries/KZ/").content.decode()
    section = html[html.index('id="trade-title"') : html.index("Trade evidence and opportunities")]
    assert f"<dd>{format_money(kaz['turnover'], 'kUSD', 'en')}</dd>" in section  # thousand USD, converted
    assert "Turnover (USD)" not in section
    assert re.search(
        r"Complementarity, Korea.{1,6}s exports → partner.{1,6}s imports</a></dt><dd>"
        + re.escape(f"{kaz['tci_reporter_to_partner']:.1f}"),
        section,
    )
    assert re.search(
        r"Korea → partner trade intensity</a></dt><dd>" + re.escape(f"{kaz['intensity_reporter_to_partner']:.2f}"),
        section,
    )
    assert "Synthetic data — not real trade figures." in section


@pytest.mark.parametrize(("lang", "unit"), [("ko", "달러"), ("ru", "долл. США")])
def test_trade_money_is_written_in_the_page_language(client, trade, lang, unit):
    for path in (f"/{lang}/trade/", f"/{lang}/trade/KAZ/?year=2020", f"/{lang}/countries/KZ/"):
        html = client.get(path).content.decode()
        assert not re.search(r"\$\s?[\d.,]+\s?(bn|m|k)\b", html), path
        assert unit in html, path
    kaz = _overview(trade)["KAZ"]
    page = client.get(f"/{lang}/trade/").content.decode()
    assert format_money(kaz["exports"], "kUSD", lang) in page


def test_opportunity_tables_name_the_products(client, trade):
    store_names = trade.product_names()
    html = client.get("/en/trade/KAZ/?year=2020&top=10").content.decode()
    rows = re.findall(r'<th scope="row">(\d{6})</th>\s*<td class="product">([^<]*)</td>', html)
    assert len(rows) == 10 and all(name == store_names[code] and name for code, name in rows)
    for level, digits in (("hs4", 4), ("hs2", 2)):
        html = client.get(f"/en/trade/KAZ/?year=2020&level={level}&top=5").content.decode()
        rows = re.findall(rf'<th scope="row">(\d{{{digits}}})</th>\s*<td class="product">([^<]*)</td>', html)
        assert len(rows) == 5 and all(rows[i][1] for i in range(5)), level
    section = client.get("/en/trade/KAZ/?year=2020&level=section&top=3").content.decode()
    assert re.findall(r'<th scope="row">[IVX]+</th>\s*<td class="product">[A-Z][^<]+</td>', section)


def test_product_names_fall_back_to_english_marked_as_such(client, trade):
    ko = client.get("/ko/trade/KAZ/?year=2020&top=5").content.decode()
    rows = re.findall(r'<th scope="row">(\d{6})</th>\s*<td class="product" lang="en">([^<]+)</td>', ko)
    assert len(rows) == 5
    en = client.get("/en/trade/KAZ/?year=2020&top=5").content.decode()
    assert 'class="product" lang="en"' not in en


def test_exports_carry_the_product_names(client, trade):
    query = "year=2020&direction=out&level=hs6&top=6"
    expected = opportunities.untapped(Analysis(trade, "SYN-HS17"), "KOR", "KAZ", 2020, top=6)
    names = trade.product_names()
    body = body_of(client.get(f"/en/trade/KAZ/opportunities.csv?{query}")).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][:3] == ["code", "product", "field"]
    assert [(r[0], r[1]) for r in rows[2:]] == [(r["code"], names[r["code"]]) for r in expected.rows]
    xlsx = body_of(client.get("/en/trade/KAZ/opportunities.xlsx?year=2020&level=hs4&top=4"))
    sheet = [list(r) for r in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)]
    assert sheet[1][:2] == ["code", "product"] and all(r[1] for r in sheet[2:])
