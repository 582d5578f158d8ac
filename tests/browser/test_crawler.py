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
"""

from __future__ import annotations

import os
import time

import pytest

from .crawl import LANGS, Crawl, in_language, login, offers, pattern, report

pytestmark = pytest.mark.browser

PASSWORD = "serai-demo"
ROLES = [None, "staff", "fp-kz", "fp-uz", "econ", "nu-editor"]
LOCALES = {"en": "en-GB", "ko": "ko-KR", "ru": "ru-RU"}


@pytest.fixture
def demo_site(site, system, settings, tmp_path):
    """The live server with the demo content and logins of ``serai loaddemo`` and a small trade store."""
    from serai.demo.projects import load_demo_projects
    from serai.demo.registry import load_demo
    from serai.evidence.tests.helpers import build_store

    settings.SERAI_TRADE_DIR = build_store(tmp_path).root
    load_demo(system, PASSWORD)
    load_demo_projects(system)
    return site


def _context(browser, lang, **options):
    return browser.new_context(
        locale=LOCALES[lang], viewport=options.pop("viewport", {"width": 1280, "height": 900}), **options
    )


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


def test_crawl_every_role_and_language(demo_site, browser):
    per_pattern = int(os.environ.get("SERAI_CRAWL_PER_PATTERN", "2"))
    max_pages = int(os.environ.get("SERAI_CRAWL_MAX_PAGES", "150"))
    problems, lines = [], []
    rendered = {lang: set() for lang in LANGS}
    began = time.monotonic()
    for who in ROLES:
        context = _context(browser, "en")
        if who:
            login(context, demo_site.url, who, PASSWORD)
        english = Crawl(
            context,
            demo_site.url,
            who or "anonymous",
            "en",
            per_pattern=per_pattern,
            max_pages=max_pages,
            rendered=rendered["en"],
        ).run()
        crawls = [english] + [
            Crawl(context, demo_site.url, english.who, lang, rendered=rendered[lang]).render_all(
                [in_language(url, lang) for url in english.renders]
            )
            for lang in ("ko", "ru")
        ]
        for crawl in crawls:
            crawl.close()
            problems += crawl.problems
            line = (
                f"{crawl.who:>10}/{crawl.lang}: {len(crawl.visited):3d} pages ({len(crawl.renders)} rendered), "
                f"{crawl.fetched:3d} downloads/fragments, {crawl.seconds:5.1f} s, {len(crawl.problems)} problems"
            )
            lines.append(line)
            print(line, flush=True)
        context.close()
    print("crawl: %.0f s" % (time.monotonic() - began))
    if os.environ.get("SERAI_CRAWL_PATTERNS"):
        print("\n".join(sorted(rendered["en"])))
    if os.environ.get("SERAI_CRAWL_REPORT"):  # a file for the full list (outside the repository)
        with open(os.environ["SERAI_CRAWL_REPORT"], "w", encoding="utf-8") as out:
            out.write(report(problems) + "\n")
    assert not problems, f"{len(problems)} problems:\n{report(problems)}"


def test_no_page_overflows_a_phone_screen(demo_site, browser):
    problems, rendered = [], set()
    for who in (None, "staff"):
        context = _context(browser, "ru", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
        if who:
            login(context, demo_site.url, who, PASSWORD)
        crawl = Crawl(
            context,
            demo_site.url,
            who or "anonymous",
            "ru",
            per_pattern=1,
            max_pages=150,
            check_english=False,
            check_overflow=True,
            rendered=rendered,
        ).run()
        crawl.close()
        context.close()
        problems += crawl.problems
        print(
            f"{crawl.who:>10}/ru at 375 px: {len(crawl.visited)} pages ({len(crawl.renders)} rendered), "
            f"{crawl.seconds:.1f} s, {len(crawl.problems)} problems",
            flush=True,
        )
    assert not problems, f"{len(problems)} problems:\n{report(problems)}"
