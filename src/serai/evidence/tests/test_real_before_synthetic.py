"""Never show synthetic numbers as real (issue 17): with a real bilateral year loaded beside a
synthetic one the pages use the real one and carry no synthetic banner; asked for the synthetic
dataset, every page and the evidence snapshot say so; a partner absent from a year is "no data"."""

import pytest

from serai.core.testing import shared_data_path
from serai.evidence import queries
from serai.trade import ingest
from serai.trade.store import TradeStore

from .helpers import build_store

BANNER = "Synthetic data — not real trade figures."
# A small real-format year (BACI layout, real codes): Korea trades with UZB and KAZ; TJK only imports.
REAL_ROWS = [
    (410, 860, 850440, 50.0),
    (410, 860, 870323, 80.0),
    (860, 410, 520100, 30.0),
    (410, 398, 870323, 60.0),
    (398, 410, 270900, 90.0),
    (643, 410, 270900, 40.0),
    (410, 643, 850440, 20.0),
    (860, 643, 520100, 10.0),
    (398, 643, 720110, 5.0),
    (410, 762, 870323, 7.0),
]


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("trade-mixed")
    store = build_store(root)
    folder = root / "real"
    folder.mkdir()
    (folder / "country_codes_V202501.csv").write_text(
        "country_code,country_name,country_iso2,country_iso3\n410,Rep. of Korea,KR,KOR\n398,Kazakhstan,KZ,KAZ\n"
        "417,Kyrgyzstan,KG,KGZ\n762,Tajikistan,TJ,TJK\n795,Turkmenistan,TM,TKM\n860,Uzbekistan,UZ,UZB\n"
        "643,Russian Federation,RU,RUS\n"
    )
    (folder / "BACI_HS17_Y2020_V202501.csv").write_text(
        "t,i,j,k,v,q\n" + "".join(f"2020,{i},{j},{k},{v},1.0\n" for i, j, k, v in sorted(REAL_ROWS))
    )
    ingest.load(folder, store)
    return store.root


@pytest.fixture
def trade(settings, mixed_dir, reference):
    settings.SERAI_TRADE_DIR = mixed_dir
    settings.SERAI_WORLD_ATLAS = shared_data_path("geo/world-atlas_countries-50m.topo.json")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(mixed_dir)}
    }
    from django.core.cache import cache

    cache.clear()
    return TradeStore(mixed_dir)


def test_pages_use_the_real_year_by_default_and_label_the_synthetic_one(client, trade):
    assert {e.dataset for e in trade.entries()} == {"HS17", "SYN-HS17"}
    html = client.get("/en/trade/").content.decode()
    assert BANNER not in html and "(HS17)" in html
    html = client.get("/en/trade/UZB/").content.decode()
    assert BANNER not in html and "HS17 V202501" in html
    asked = client.get("/en/trade/UZB/?dataset=SYN-HS17&year=2020").content.decode()
    assert BANNER in asked and "SYN-HS17" in asked


def test_the_evidence_snapshot_says_whether_it_is_synthetic(trade):
    real = queries.context(None, None)
    snap = queries.evidence_snapshot(real, "KOR", "UZB", "hs6", "870323")
    assert snap["synthetic"] is False and snap["dataset"] == "HS17"
    synthetic = queries.context("SYN-HS17", 2020)
    row = queries.ranking(synthetic, "KOR", "UZB", level="hs6", field=None, top=1).rows[0]
    assert queries.evidence_snapshot(synthetic, "KOR", "UZB", "hs6", row["code"])["synthetic"] is True


def test_a_partner_absent_from_the_year_is_no_data_not_zero(client, trade):
    """TKM and KGZ have no trade at all in the real year: the page says so instead of zeros."""
    response = client.get("/en/trade/TKM/")
    html = response.content.decode()
    assert response.status_code == 200 and "no data, not zero" in html and "0.0" not in html


def test_a_partner_that_exports_nothing_has_no_complementarity(client, trade):
    """TJK imports from Korea but exports nothing: its TCI towards Korea is "no data", not 0."""
    html = client.get("/en/trade/TJK/").content.decode()
    assert "no data" in html


def test_the_index_lists_an_absent_partner_as_no_data(client, trade):
    """TKM has no trade in the real year: its row is there and says "no data", it is not dropped
    and not a row of zeros."""
    rows = {r["iso3"]: r for r in queries.overview(queries.context(None, None))}
    assert rows["TKM"]["exports"] is None and "absent" in rows["TKM"]["absent"]
    html = client.get("/en/trade/").content.decode()
    tkm = html[html.index('href="/en/trade/TKM/') :]
    tkm = tkm[: tkm.index("</tr>")]
    assert tkm.count("no data") == 4 and "0.0" not in tkm
