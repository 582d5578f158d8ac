"""Issue 14's crawler (see test_crawler.py), as the focal points (fp-kz, fp-uz), the subcommittee
member (econ) and the partner editor (nu-editor): every page, download and fragment they reach is
checked; a page kind is rendered (in English, then Korean and Russian) only when neither the anonymous
visitor nor the Secretariat reaches it — those two render theirs in test_crawler.py, and an HTTP-only
walk of theirs here tells which kinds those are. A separate file, so that pytest-xdist
(``--dist=loadfile``) runs it beside test_crawler.py on another worker.
"""

from __future__ import annotations

import pytest

from .crawl import OTHER_ROLES, RENDERING_ROLES, crawl_every_language, kinds_reached, report

pytestmark = pytest.mark.browser


def test_crawl_every_language_as_focal_points_member_and_editor(demo_site, browser):
    rendered_elsewhere = kinds_reached(browser, demo_site.url, RENDERING_ROLES)
    assert rendered_elsewhere, "the anonymous visitor and the Secretariat reach no page"
    problems = crawl_every_language(browser, demo_site.url, OTHER_ROLES, rendered_before=rendered_elsewhere)
    assert not problems, f"{len(problems)} problems:\n{report(problems)}"
