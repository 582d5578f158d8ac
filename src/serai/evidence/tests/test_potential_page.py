"""The pair page shows the gravity-based export potential: realised, untapped, each score's inputs, the flag."""

import re

import pytest

from serai.core.testing import shared_data_path
from serai.trade import potential
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


def test_pair_page_shows_export_potential_with_inputs_and_flag(client, trade, settings):
    html = client.get("/en/trade/KAZ/?year=2020&direction=in&top=8").content.decode()
    section = html[html.index('id="potential"') :]
    expected = potential.potential(Analysis(trade, "SYN-HS17"), "KAZ", "KOR", 2020, settings.SERAI_WORLD_ATLAS, top=8)
    shown = re.findall(r'<th scope="row" class="code">(\d{6})</th>', section)
    assert shown == [r["code"] for r in expected.rows] and len(shown) == 8
    for label in (
        "Realised",
        "Untapped",
        "Supply (world share)",
        "Demand (imports)",
        "Ease (gravity)",
        "New for this market",
    ):
        assert label in section
    assert "gravity expectation" in section and "km" in section
    assert any(r["new"] for r in expected.rows) and ">new</td>" in section


def test_pair_page_potential_without_geometry_is_no_data_not_an_error(client, trade, settings, tmp_path):
    settings.SERAI_WORLD_ATLAS = tmp_path / "missing.json"
    response = client.get("/en/trade/KAZ/?year=2020")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No data" in html[html.index('id="potential"') :] and "map geometry not found" in html
