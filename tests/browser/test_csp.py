"""Issue 13: every public page kind, in English, Korean and Russian, runs under the site's
Content-Security-Policy (no inline script, no eval, this site only) with no violation — charts
(plotly.js), the map, htmx and Serai's own scripts included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from serai.core.i18n import TranslatedText
from serai.evidence.tests.helpers import build_store

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') +
                              ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + (e.sample || ''));
});
"""


@pytest.fixture
def csp_site(site, system, settings, tmp_path):
    from serai.governance.models import Meeting
    from serai.projects import operations
    from serai.projects.models import Project
    from serai.projects.operations import SectorShare
    from serai.reference.models import CooperationField, MemberState

    settings.SERAI_TRADE_DIR = build_store(tmp_path).root
    states = {s.iso2: s for s in MemberState.objects.all()}
    energy = CooperationField.objects.get(code="energy")
    project = operations.create_project(
        system,
        {"title": TranslatedText({"en": "Smart logistics hub", "ko": "스마트 물류 센터"}, source="en")},
        countries=[states["KR"], states["KZ"]],
        sectors=[SectorShare(field=energy, percentage=Decimal(100))],
    )
    Project.objects.filter(pk=project.pk).update(status="endorsed", budget_usd=Decimal("2500000"))
    meeting = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    return {
        "home": ("/{lang}/", ".chart-area .main-svg"),
        "projects": ("/{lang}/projects/", None),
        "project": (f"/{{lang}}/projects/{project.pk}/", None),
        "country": ("/{lang}/countries/KZ/", None),
        "field": ("/{lang}/fields/energy/", None),
        "search": ("/{lang}/search/?q=logistics", None),
        "trade": ("/{lang}/trade/UZB/?year=2020", ".chart-area .main-svg"),
        "forum": ("/{lang}/forum/", None),
        "work-plan": ("/{lang}/workplan/2022/", None),
        "meeting": (f"/{{lang}}/meetings/{meeting.pk}/", None),
        "sign-in": ("/{lang}/accounts/login/", None),
        "password-reset": ("/{lang}/accounts/password/reset/", None),
    }


def test_public_pages_have_no_csp_violation_in_three_languages(site, browser, csp_site):
    problems = []
    for lang in ("en", "ko", "ru"):
        context = browser.new_context(locale={"en": "en-GB", "ko": "ko-KR", "ru": "ru-RU"}[lang])
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.set_default_timeout(20_000)
        console = []
        page.on(
            "console",
            lambda m, console=console: (
                console.append(m.text)
                if "Content Security Policy" in m.text or "Permissions-Policy" in m.text
                else None
            ),
        )
        for name, (path, ready) in csp_site.items():
            response = page.goto(site.url + path.format(lang=lang))
            assert response.status == 200, f"{name} {lang}: {response.status}"
            assert "script-src 'self'" in response.headers["content-security-policy"]
            if ready:
                page.locator(ready).first.wait_for()  # the charts were drawn (plotly ran)
            page.wait_for_load_state("networkidle")
            for violation in page.evaluate("window.__cspViolations"):
                problems.append(f"{name} [{lang}]: {violation}")
            for text in console:
                problems.append(f"{name} [{lang}] console: {text}")
            console.clear()
        context.close()
    assert not problems, "\n".join(problems)


def test_an_inline_script_would_be_caught(site, page):
    """The listener works: a script injected into the page is blocked and reported."""
    page.context.add_init_script(LISTEN)
    page.goto(site.url + "/en/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                             document.body.appendChild(s); }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
