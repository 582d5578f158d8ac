import re

import pytest

pytestmark = pytest.mark.browser


def test_home_page_switches_language_to_korean_and_russian(site, page):
    page.goto(f"{site.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Korea–Central Asia Cooperation Forum" in page.locator("h1").inner_text()
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.get_by_role("link", name="Member states").is_visible()
    assert page.locator(".cards.states").get_by_text("Kazakhstan", exact=True).is_visible()

    page.get_by_role("button", name="한국어").click()
    page.wait_for_url(re.compile(r"/ko/$"))
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "한·중앙아 협력 포럼" in page.locator("h1").inner_text()
    assert page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="회원국").is_visible()
    assert page.locator(".cards.states").get_by_text("카자흐스탄", exact=True).is_visible()
    assert page.get_by_text("Kazakhstan", exact=True).count() == 0

    page.get_by_role("button", name="Русский").click()
    page.wait_for_url(re.compile(r"/ru/$"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Форум сотрудничества" in page.locator("h1").inner_text()
    assert (
        page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Государства-члены").is_visible()
    )
    assert page.locator(".cards.states").get_by_text("Казахстан", exact=True).is_visible()

    # the choice sticks: the bare address now opens in Russian
    page.goto(f"{site.url}/")
    page.wait_for_url(re.compile(r"/ru/$"))


def test_htmx_is_served_locally(site, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site.url}/en/")
    page.wait_for_function("() => typeof window.htmx !== 'undefined'")
    assert requests and all(url.startswith(site.url) for url in requests)


def test_layout_works_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site.url}/en/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
    page.get_by_role("link", name="Skip to main content").focus()
    assert page.get_by_role("link", name="Skip to main content").is_visible()
    context.close()
