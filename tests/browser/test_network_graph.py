"""Issue 15: the collaboration graph page draws its graph (cytoscape.js, served locally) under the
site's Content-Security-Policy with no violation (cytoscape.js would add a <style> element for its
container rule unless the page already carries one under the id it looks for)."""

from __future__ import annotations

import pytest

from serai.core.i18n import TranslatedText

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline'));
});
"""


def test_graph_page_draws_without_csp_violation(site, browser, system):
    from serai.orgs.operations import create_organisation
    from serai.projects import operations
    from serai.projects.models import Project
    from serai.reference.models import MemberState

    states = {s.iso2: s for s in MemberState.objects.all()}
    project = operations.create_project(
        system, {"title": TranslatedText({"en": "Grid storage"})}, countries=[states["KR"], states["KZ"]]
    )
    for name, country, helix in (("Seoul Energy Lab", "KR", "research"), ("Almaty Grid", "KZ", "industry")):
        org = create_organisation(
            system, {"name": TranslatedText({"en": name}), "helix": helix, "member_state": states[country]}
        )
        operations.add_participation(system, project, org, "4")
    Project.objects.filter(pk=project.pk).update(status="endorsed")

    context = browser.new_context(locale="en-GB")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(30_000)
    response = page.goto(site.url + "/en/network/graph/")
    assert response.status == 200 and "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#graph-canvas[data-drawn='2']").wait_for(state="attached")
    page.locator("#graph-canvas canvas").first.wait_for(state="attached")
    assert page.evaluate("window.__cspViolations") == []
    context.close()
