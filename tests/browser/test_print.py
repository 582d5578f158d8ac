"""Printing a public page: the print stylesheet leaves the navigation, language switch and
buttons off paper and prints each chart's table (Chromium with print media emulated)."""

import pytest

pytestmark = pytest.mark.browser


def test_printing_the_home_page_hides_the_navigation_and_shows_the_chart_tables(site, page):
    page.set_default_timeout(60_000)
    page.goto(f"{site.url}/en/", wait_until="domcontentloaded")
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.is_visible() and page.locator(".lang-switch").is_visible()
    table = page.locator("figure.chart details table").first
    assert table.count() == 1 and not table.is_visible()  # folded on screen

    page.emulate_media(media="print")
    assert not nav.is_visible()
    assert not page.locator(".lang-switch").is_visible()
    assert page.locator("h1").is_visible()
    assert table.is_visible()  # the chart's table alternative is printed
    colour = page.evaluate("getComputedStyle(document.body).color")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (colour, background) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")

    page.emulate_media(media="screen")
    assert nav.is_visible()
