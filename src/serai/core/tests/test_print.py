"""Every page carries the print stylesheet (media=print, after the screen one), and the stylesheet
leaves the navigation, filters and buttons off paper and prints the charts' tables."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

PUBLIC_PAGES = [
    "/en/",
    "/ko/search/?q=energy",
    "/ru/countries/",
    "/en/countries/KZ/",
    "/en/bodies/",
    "/en/forum/",
    "/en/fields/",
    "/en/projects/",
    "/en/organisations/",
    "/en/people/",
    "/en/network/profiles/",
    "/en/trade/",
    "/en/iati/readiness/",
]
LINK = re.compile(r'<link rel="stylesheet" href="(/static/serai/[^"]*print[^"]*\.css)" media="print">')


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_link_the_print_stylesheet_after_the_screen_one(reference, path):
    response = Client().get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    match = LINK.search(html)
    assert match, f"{path}: no print stylesheet"
    assert html.index("serai/serai") < match.start()  # it overrides the screen rules


def test_the_print_stylesheet_hides_what_only_works_on_a_screen_and_shows_chart_tables():
    css = open(finders.find("serai/print.css"), encoding="utf-8").read()
    hidden = re.search(r"\n([^{}]*)\{ display: none !important; \}", css).group(1)
    for selector in (".main-nav", ".lang-switch", ".filters", "button", ".button", ".pager", "form"):
        assert selector in hidden, selector
    assert "figure.chart details::details-content" in css and "content-visibility: visible" in css
    assert "break-inside: avoid" in css and "attr(href)" in css
    assert "background: #fff !important; color: #000 !important" in css
