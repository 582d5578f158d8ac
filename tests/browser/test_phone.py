"""Phones (issue 14, item 9): at 375 × 812 no page is wider than the screen, the project list
shows every field of a project (as cards), its filters fold away so the first project shows on
the first screen, and the map names each member state in the page's language where it lies.
Screenshots go to var/screenshots/phone-*.png (git-ignored)."""

from pathlib import Path

import pytest

from serai.evidence.tests.helpers import build_store

from .test_portal import portal_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 375, "height": 812}
PAGES = {
    "trade-en": "/en/trade/",
    "trade-ru": "/ru/trade/",
    "trade-pair-ko": "/ko/trade/KAZ/",
    "projects-en": "/en/projects/",
    "home-ko": "/ko/",
    "home-trade-en": "/en/?map=trade",
    "country-kz-ru": "/ru/countries/KZ/",
}
COLUMNS = ("Project", "Status", "Countries", "Fields", "Planned", "Budget (USD)")


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="en-GB", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_site(site, settings, tmp_path, portal_data):  # noqa: F811
    settings.SERAI_TRADE_DIR = build_store(tmp_path).root
    return site


def _width(page) -> dict:
    return page.evaluate("""() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
        wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
              && !e.closest('.table-wrap, .table-scroll, .visually-hidden, .skip-link'))
              .slice(0, 5).map(e => e.tagName + '.' + e.className)})""")


def test_no_page_is_wider_than_a_phone(phone_site, phone):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for name, path in PAGES.items():
        phone.goto(phone_site.url + path)
        phone.wait_for_load_state("load")
        width = _width(phone)
        # against the phone's width itself: a mobile browser widens its layout viewport (and
        # innerWidth with it) to fit a page that overflows, then zooms out
        if max(width["scroll"], width["inner"]) > PHONE["width"] + 1:
            too_wide[path] = width
        phone.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)
        phone.screenshot(path=str(SCREENSHOTS / f"phone-{name}-first-screen.png"))
    assert not too_wide, too_wide


def test_the_project_list_shows_every_field_and_starts_on_the_first_screen(phone_site, phone):
    phone.goto(phone_site.url + "/en/projects/")
    assert phone.evaluate("() => innerWidth") == PHONE["width"], "the page is wider than the phone"
    first = phone.locator("table.data tbody tr").first
    box = first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], "the first project is below the first screen"
    cells = phone.evaluate("""() => {
        const row = document.querySelector('table.data tbody tr');
        const heads = [...document.querySelectorAll('table.data thead th')];
        return [...row.children].map((cell, i) => {
            const r = cell.getBoundingClientRect(), h = heads[i].getBoundingClientRect();
            const before = getComputedStyle(cell, '::before').content;
            return {head: heads[i].textContent.trim(), shown: r.width > 0 && r.height > 0 && r.right <= innerWidth + 1,
                    headShown: h.width > 1 && h.height > 1 && h.right <= innerWidth + 1,
                    label: before && before !== 'none' ? before.replace(/^"|"$/g, '') : ''};
        });
    }""")
    assert [c["head"] for c in cells] == list(COLUMNS)
    for cell in cells:
        assert cell["shown"], f"{cell['head']} is not on the screen"
        # each field carries its column's name, from the visible header or on the card itself
        assert cell["headShown"] or cell["label"] == cell["head"] or cell["head"] == "Project", cell
    # the filters are one tap away
    summary = phone.locator("details.filters-fold > summary")
    assert summary.is_visible() and summary.inner_text() == "Filters"
    assert not phone.locator("#f-country").is_visible()
    summary.click()
    assert phone.locator("#f-country").is_visible()


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/ko/", ("대한민국", "카자흐스탄", "키르기스스탄", "타지키스탄", "투르크메니스탄", "우즈베키스탄")),
        ("/ru/trade/", ("Казахстан", "Кыргызстан", "Таджикистан", "Туркменистан", "Узбекистан")),
    ],
)
def test_the_map_names_each_member_state_readably(phone_site, phone, path, names):
    phone.goto(phone_site.url + path)
    labels = phone.evaluate("""() => [...document.querySelectorAll('svg.choropleth text.map-label')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, height: r.height, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    })""")
    shown = {label["text"]: label for label in labels}
    for name in names:
        assert any(name in text for text in shown), f"no label for {name}: {list(shown)}"
    for label in labels:
        assert label["height"] >= 10, f"{label['text']} is drawn {label['height']:.1f} px high"
        assert label["left"] >= 0 and label["right"] <= PHONE["width"], label
    for a in labels:  # no two names on top of each other
        for b in labels:
            if a is not b:
                assert (
                    a["right"] <= b["left"]
                    or b["right"] <= a["left"]
                    or a["bottom"] <= b["top"]
                    or b["bottom"] <= a["top"]
                ), (a["text"], b["text"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.locator("figure.map").screenshot(path=str(SCREENSHOTS / f"phone-map-{path.strip('/').replace('/', '-')}.png"))
    # the values are a link away
    link = phone.locator("figure.map figcaption a[href^='#']").first
    assert link.is_visible()
