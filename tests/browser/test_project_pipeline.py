"""A proposal walks from idea to endorsed, each step by the role that owns it, and an anonymous
visitor cannot see it until the Forum endorses it."""

import re

import pytest

from serai.access.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "pw-browser-123"


def _login(page, site, username):
    page.goto(f"{site.url}/en/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/en/$"))


def _logout(page):
    page.get_by_role("button", name=re.compile("Sign out")).click()


def _fire(page, label, reason=None, meeting=None):
    page.get_by_role("button", name=label, exact=True).click()
    dialog = page.locator("dialog[open]")
    if meeting:
        dialog.get_by_label("Forum session").select_option(label=meeting)
    if reason:
        dialog.get_by_label(re.compile("Reason")).fill(reason)
    dialog.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()


def test_proposal_walks_from_idea_to_endorsed_and_stays_hidden_until_then(site, page, browser, make_user, make_org, reference):
    from serai.access.operations import grant_role
    from serai.core.audit import SystemActor
    from serai.projects.models import Project

    system = SystemActor("browser test")
    states, bodies = reference["states"], reference["bodies"]
    make_user(Role.FOCAL_POINT, states["KZ"], username="fp", password=PASSWORD)
    make_user(Role.SECRETARIAT, username="sec", password=PASSWORD)
    make_user(Role.SUBCOMMITTEE_MEMBER, bodies["economy"], username="econ", password=PASSWORD)
    make_org("Steppe Solar Institute", country="KZ")
    assert grant_role  # roles are granted through operations by make_user

    # 1. The Kazakh focal point proposes and submits.
    _login(page, site, "fp")
    page.goto(f"{site.url}/en/projects/new/")
    page.locator("#id_title_0").fill("Steppe solar schools")
    page.locator("#id_summary_0").fill("Solar power for rural schools in Kazakhstan.")
    page.get_by_label("Subcommittee").select_option(label="Economy Subcommittee")
    page.get_by_label("Planned start").fill("2026-09-01")
    page.get_by_label("Planned end").fill("2028-08-31")
    page.get_by_label("Republic of Korea").check()
    page.get_by_label("Kazakhstan").check()
    page.locator("#id_sector_field_0").select_option(label="Energy")
    page.locator("#id_sector_pct_0").fill("100")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/en/projects/\d+/$"))
    project_url = page.url
    assert "Idea" in page.locator(".status").first.inner_text()
    _fire(page, "Submit the proposal")
    assert "Proposal submitted" in page.locator(".status").first.inner_text()
    _logout(page)

    # An anonymous visitor sees nothing of it.
    anonymous = browser.new_context().new_page()
    assert anonymous.goto(project_url).status == 404
    anonymous.goto(f"{site.url}/en/projects/?q=Steppe")
    assert "Steppe solar schools" not in anonymous.content()

    # 2. The Secretariat screens it, adds a partner, sends it to appraisal.
    _login(page, site, "sec")
    page.goto(project_url)
    _fire(page, "Start Secretariat screening")
    page.get_by_label("Organisation", exact=True).select_option(label="Steppe Solar Institute")
    page.get_by_label("Role", exact=True).select_option(label="Implementing")
    page.get_by_role("button", name="Add", exact=True).click()
    _fire(page, "Send to subcommittee appraisal")
    assert "Subcommittee appraisal" in page.locator(".status").first.inner_text()
    _logout(page)

    # 3. An Economy Subcommittee member appraises and recommends.
    _login(page, site, "econ")
    page.goto(project_url)
    page.get_by_role("link", name="Appraise this proposal").click()  # the appraisal page: rubric, evidence, form
    for select in page.locator("select[name^=score_]").all():
        select.select_option("4")
    page.get_by_label("The appraisal is complete").check()
    page.get_by_role("button", name="Save the appraisal").click()
    assert "saved and marked complete" in page.get_by_role("status").first.inner_text()
    page.goto(project_url)
    _fire(page, "Recommend for endorsement")
    # the project has left the subcommittee's hands: back to the list, with the outcome said
    assert "recommended for endorsement" in page.get_by_role("status").first.inner_text()
    _logout(page)

    assert anonymous.goto(project_url).status == 404

    # 4. The Secretariat records the endorsement at a Forum session.
    _login(page, site, "sec")
    page.goto(project_url)
    session = str(__import__("serai.governance.models", fromlist=["Meeting"]).Meeting.objects.filter(number=17).get())
    _fire(page, "Record endorsement by the Forum", meeting=session)
    assert "Endorsed" in page.locator(".status").first.inner_text()
    timeline = page.get_by_role("region", name="Timeline").inner_text()
    for step in ("Proposal submitted", "Secretariat screening", "Subcommittee appraisal", "Recommended", "Endorsed"):
        assert step in timeline

    # Now the public sees it.
    anonymous.goto(project_url)
    assert "Steppe solar schools" in anonymous.locator("h1").inner_text()
    assert Project.objects.get(title__values__en="Steppe solar schools").status == "endorsed"
    assert system
