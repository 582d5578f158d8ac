"""Issue 14's crawler (see test_crawler.py) on a phone: in Russian (the longest words) at 375 px, as
the anonymous visitor and the Secretariat, every page kind rendered once fails on horizontal overflow.
A separate file, so that pytest-xdist (``--dist=loadfile``) runs it beside the other crawls."""

from __future__ import annotations

import pytest

from .crawl import PASSWORD, Crawl, login, new_context, report

pytestmark = pytest.mark.browser


def test_no_page_overflows_a_phone_screen(demo_site, browser):
    problems, rendered = [], set()
    for who in (None, "staff"):
        context = new_context(browser, "ru", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
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
