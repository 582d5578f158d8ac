"""Issue 14: a crawler guard. From the home page, as an anonymous visitor and as each demo role, in
English, Korean and Russian, follow every internal link, htmx GET and GET form (bounded per URL
pattern, see crawl.py) and fail on any 5xx, any 4xx the site itself offered, any console error,
any request to another host, and any English UI text on a Korean or Russian page that is not
marked (``lang``) as a content fallback. A phone pass at 375 px fails on horizontal overflow.

Each visitor walks the English site (at most SERAI_CRAWL_PER_PATTERN URLs per pattern, default 2;
SERAI_CRAWL_MAX_PAGES pages, default 150). A page kind is rendered in chromium the first time any
visitor reaches it (console, outside requests, sub-requests); later visits of the same kind are
plain HTTP requests (status, and the links they offer, read from the HTML), so every role's links
are checked while the browser work stays bounded. Each page kind a visitor rendered in English is
then rendered in Korean and Russian too, unless an earlier visitor did so (the words on a page kind
do not depend much on who reads it).

The visitors are split over three files so that pytest-xdist (``--dist=loadfile``) runs them on
different workers: this one crawls as the anonymous visitor and the Secretariat, who render the page
kinds; test_crawler_roles.py crawls as the focal points, the subcommittee member and the partner
editor, rendering only the kinds the first two do not reach (found by an HTTP-only walk of theirs);
test_crawler_phone.py is the 375 px pass.
"""

from __future__ import annotations

import pytest

from .crawl import RENDERING_ROLES, crawl_every_language, offers, pattern, report

pytestmark = pytest.mark.browser


def test_pattern_bounds_urls():
    assert pattern("http://127.0.0.1:1/ko/projects/12/?page=2&q=x") == "/{lang}/projects/{id}/?page&q"
    assert pattern("http://127.0.0.1:1/iati/projects/7.xml") == "/iati/projects/{id}.xml"
    assert pattern("http://127.0.0.1:1/en/trade/UZB/?year=2020") == "/{lang}/trade/{key}/?year"
    assert pattern("http://127.0.0.1:1/en/trade/methods/") == "/{lang}/trade/methods/"


def test_offers_reads_links_and_get_forms_with_their_defaults():
    html = """<a href="/en/a/">a</a><a href="/x.csv" download>x</a><div hx-get="/en/frag/"></div>
    <form action="/en/search/"><input name="q" value="solar"><select name="s"><option value="1">1</option>
    <option value="2" selected>2</option></select><input type="checkbox" name="c" value="y">
    <button type="submit" name="go">Go</button></form><form method="post" action="/en/no/"><input name="z"></form>"""
    found = offers(html, "http://h/en/")
    assert found["links"] == ["http://h/en/a/", "http://h/en/search/?q=solar&s=2"]
    assert found["fetches"] == ["http://h/x.csv", "http://h/en/frag/"]


def test_crawl_every_language_as_anonymous_and_the_secretariat(demo_site, browser):
    problems = crawl_every_language(browser, demo_site.url, RENDERING_ROLES)
    assert not problems, f"{len(problems)} problems:\n{report(problems)}"
