"""Playwright driving Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SERAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found (scripts/test installs Debian's chromium)"
        if os.environ.get("SERAI_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures) are synchronous and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db, system):
    """A live server with the Forum's reference data loaded."""
    from serai.reference.operations import load_reference

    load_reference(system, None)
    return live_server


@pytest.fixture
def demo_site(site, system, settings, tmp_path):
    """The live server with the demo content and logins of ``serai loaddemo`` (password
    crawl.PASSWORD) and a small trade store: the crawler tests' site."""
    from serai.demo.projects import load_demo_projects
    from serai.demo.registry import load_demo
    from serai.evidence.tests.helpers import build_store

    from .crawl import PASSWORD

    settings.SERAI_TRADE_DIR = build_store(tmp_path).root
    load_demo(system, PASSWORD)
    load_demo_projects(system)
    return site


@pytest.fixture
def new_page(browser):
    """A function that opens a page in a new browser context with the locale of ``lang`` (en, ko, ru);
    every context is closed after the test."""
    from .journeys import BROWSER_LOCALES

    contexts = []

    def make(lang):
        context = browser.new_context(locale=BROWSER_LOCALES[lang], viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield make
    for context in contexts:
        context.close()
