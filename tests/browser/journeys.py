"""Steps shared by the role journeys, with locators that do not depend on the interface language:
form field names, URLs, ids, classes naming a status, data-* attributes (never a visible label),
so the same journey runs in English, Russian and Korean."""

from __future__ import annotations

import re
from pathlib import Path

PASSWORD = "pw-browser-123"
LANGUAGES = ["en", "ru", "ko"]
BROWSER_LOCALES = {"en": "en-GB", "ru": "ru-RU", "ko": "ko-KR"}
# the text box of each content language in a translated field (widget order: en, ko, ru; then the source)
TEXT_BOX = {"en": 0, "ko": 2, "ru": 4}
SOURCE_BOX = 6
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def login(page, site, username: str, lang: str = "en") -> None:
    page.goto(f"{site.url}/{lang}/accounts/login/")
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def logout(page) -> None:
    page.locator('form[action$="/accounts/logout/"] button[type=submit]').click()
    page.wait_for_load_state()


def assert_language(page, lang: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang, page.url


def fill_translated(page, name: str, lang: str, text: str) -> None:
    """Type ``text`` into the ``lang`` box of a translated field and make it the source language."""
    page.locator(f"[name={name}_{TEXT_BOX[lang]}]").fill(text)
    page.locator(f"select[name={name}_{SOURCE_BOX}]").select_option(lang)


def submit_main_form(page, form) -> None:
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()


def fire(page, name: str, *, reason: str | None = None, meeting: int | None = None) -> None:
    """A project's workflow step, by its name: open its dialog, fill it, confirm."""
    page.locator(f'[data-open-dialog="dlg-{name}"]').click()
    dialog = page.locator(f"dialog#dlg-{name}")
    if meeting is not None:
        dialog.locator("select[name=meeting]").select_option(str(meeting))
    if reason:
        dialog.locator("textarea[name=reason]").fill(reason)
    with page.expect_navigation():
        dialog.locator("button[type=submit].primary").click()


def status_of(page) -> str:
    """The project's status code, from the class of its status badge (status-<code>)."""
    classes = page.locator("main .status").first.get_attribute("class") or ""
    return next(c[len("status-") :] for c in classes.split() if c.startswith("status-"))


def success_shown(page) -> bool:
    return page.locator(".messages .message.success").count() > 0


def open_notification(page, site, lang: str, kind: str) -> None:
    """Open the newest notification of ``kind`` from My work (it marks it read and goes to its page)."""
    page.goto(f"{site.url}/{lang}/my/")
    item = page.locator(
        f'#work-notifications ~ ul li[data-kind="{kind}"], '
        f'section[aria-labelledby=work-notifications] li[data-kind="{kind}"]'
    ).first
    with page.expect_navigation():
        item.locator("button[type=submit]").click()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
