import re

import pytest

from serai.evidence.tests.helpers import build_store

pytestmark = pytest.mark.browser


@pytest.fixture
def trade_site(site, settings, tmp_path):
    settings.SERAI_TRADE_DIR = build_store(tmp_path).root
    return site


def test_trade_pair_page_draws_its_charts_offline_and_filters(trade_site, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{trade_site.url}/en/trade/UZB/?year=2020")
    page.wait_for_function("() => document.querySelectorAll('.chart-area .main-svg').length >= 3")
    assert page.get_by_role("alert").filter(has_text="Synthetic data").is_visible()
    assert all(url.startswith(trade_site.url) for url in requests), [
        u for u in requests if not u.startswith(trade_site.url)
    ]
    page.get_by_role("combobox", name="Direction").select_option("in")
    page.get_by_role("combobox", name="Level").select_option("hs4")
    page.get_by_role("button", name="Show").last.click()
    page.wait_for_url(re.compile(r"direction=in"))
    caption = page.locator("#opportunity-table caption").inner_text()
    assert "UZB → KOR" in caption
    codes = page.locator("#opportunity-table tbody th").all_inner_texts()
    assert codes and all(re.fullmatch(r"\d{4}", c) for c in codes)
