"""The control room in a browser: the Secretariat drags a card to the next column, the move's
dialog opens, and confirming it fires the workflow; on a phone the board and the completion page
are no wider than the screen."""

import pytest

from serai.access.models import Role
from serai.projects.tests.conftest import energy, make_project, roles, walk  # noqa: F401 (fixtures)

from .journeys import PASSWORD, login

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def submitted(site, make_user, make_project, walk):  # noqa: F811
    make_user(Role.SECRETARIAT, username="sec-board", password=PASSWORD)
    return walk(make_project(), "submitted")


def test_the_secretariat_moves_a_card_through_its_dialog(site, page, submitted):
    from serai.projects.models import Project

    login(page, site, "sec-board")
    page.goto(f"{site.url}/en/control/")
    card = page.locator(f"#card-{submitted.pk}")
    card.drag_to(page.locator('.board-col[data-status="screening"]'))
    dialog = card.locator('dialog[data-target="screening"]')
    dialog.wait_for(state="visible")
    dialog.locator("textarea[name=reason]").fill("Complete; screening now.")
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    assert page.locator(".messages .message.success").count() == 1
    assert page.locator(f'.board-col[data-status="screening"] #card-{submitted.pk}').count() == 1
    assert Project.objects.get(pk=submitted.pk).status == "screening"


def test_the_control_room_fits_a_phone(site, browser, submitted):
    context = browser.new_context(locale="en-GB", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        login(page, site, "sec-board")
        for path in ("/en/control/", "/en/control/actions/"):
            page.goto(site.url + path)
            page.wait_for_load_state("load")
            width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, window.innerWidth)")
            assert width <= PHONE["width"] + 1, (path, width)
    finally:
        context.close()
