"""The Secretariat creates a meeting, adds an agenda, records a decision with an action and adopts
it; the public then sees the adopted decision and the held meeting, not the action."""

import re

import pytest

from serai.access.models import Role

from .test_project_pipeline import PASSWORD, _login, _logout

pytestmark = pytest.mark.browser


def test_secretariat_records_a_meeting_and_the_public_sees_the_outcome(site, page, browser, make_user, reference):
    make_user(Role.SECRETARIAT, username="sec", password=PASSWORD)
    _login(page, site, "sec")
    page.goto(f"{site.url}/en/forum/sessions/")
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Body").select_option(label="Economy Subcommittee")
    page.get_by_label("Number").fill("4")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Start date").fill("2026-10-14")
    page.get_by_label("Host country").select_option(label="Uzbekistan")
    page.get_by_label("Status").select_option(label="held")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/en/meetings/\d+/$"))
    meeting_url = page.url
    on_meeting = re.compile(re.escape(meeting_url) + r"(#[\w-]+)?$")  # a write returns to its section

    page.get_by_text("Add an agenda item").click()
    page.locator("#id_a-title_0").fill("Transport corridors")
    page.get_by_role("button", name="Add").first.click()
    page.wait_for_url(on_meeting)
    assert page.get_by_role("heading", name="Agenda").is_visible()
    assert page.get_by_text("Transport corridors").first.is_visible()

    page.get_by_text("Record a decision").click()
    page.locator("#id_d-text_0").fill("The subcommittee asks Uzbekistan to prepare a corridor study.")
    page.locator("#id_d-agenda_item").select_option(label="Transport corridors")
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_url(on_meeting)

    page.get_by_text("Add an action item").click()
    page.locator("#id_t-title_0").fill("Prepare the corridor study")
    page.get_by_label("Owner (country)").select_option(label="Uzbekistan")
    page.get_by_label("Due date").fill("2027-03-31")
    page.get_by_role("button", name="Add").last.click()
    page.wait_for_url(on_meeting)
    page.get_by_role("button", name="Adopt").click()
    page.wait_for_url(on_meeting)
    assert page.get_by_text("The decision was adopted.").is_visible()
    assert page.get_by_text("Prepare the corridor study").is_visible()

    # minutes: write, circulate, adopt; then they are locked
    page.get_by_role("link", name="Write the minutes").click()
    page.locator("#id_text_0").fill("1. The subcommittee discussed transport corridors.")
    page.get_by_role("button", name="Save a new revision").click()
    page.get_by_role("button", name="Circulate to members").click()
    page.get_by_role("button", name="Adopt the minutes").click()
    assert page.get_by_text("The minutes were adopted and are locked.").is_visible()
    assert page.get_by_role("button", name="Save a new revision").count() == 0
    _logout(page)

    public = browser.new_context(locale="en-GB").new_page()
    public.goto(meeting_url)
    assert public.get_by_text("The subcommittee asks Uzbekistan to prepare a corridor study.").is_visible()
    assert public.get_by_text("Adopted").first.is_visible()
    assert public.get_by_text("Prepare the corridor study").count() == 0
    public.get_by_role("link", name="Read the minutes").click()
    assert public.get_by_text("1. The subcommittee discussed transport corridors.").is_visible()
    public.context.close()
