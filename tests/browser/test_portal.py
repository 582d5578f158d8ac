"""The public portal in three languages: every public page passes axe with no serious or
critical violation, the map draws the six member states with the right values, search finds a
Korean-language and a Russian-language project, and a visitor never meets draft content.
Screenshots of each page and language go to docs/screenshots/ (a fresh set on each run)."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from serai.core.i18n import TranslatedText

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = os.environ.get("SERAI_AXE", str(Path(__file__).resolve().parents[2] / "var/vendor/axe-core/axe.min.js"))
DRAFTS = ("Черновик секретного проекта", "A draft decision nobody may read")
PAGES = {
    "home": "/{lang}/",
    "country-kz": "/{lang}/countries/KZ/",
    "field-energy": "/{lang}/fields/energy/",
    "forum": "/{lang}/forum/",
    "work-plan": "/{lang}/workplan/2022/",
    "projects": "/{lang}/projects/",
}


@pytest.fixture
def portal_data(site, system):
    from serai.governance import operations as governance_operations
    from serai.governance.models import Meeting
    from serai.projects import operations
    from serai.projects.models import Project
    from serai.projects.operations import SectorShare
    from serai.reference.models import CooperationField, MemberState

    states = {s.iso2: s for s in MemberState.objects.all()}
    energy = CooperationField.objects.get(code="energy")

    def project(title, countries, status, budget=None):
        p = operations.create_project(system, {"title": title}, countries=[states[c] for c in countries],
                                      sectors=[SectorShare(field=energy, percentage=Decimal(100))])
        Project.objects.filter(pk=p.pk).update(status=status, budget_usd=budget)

    project(TranslatedText({"ko": "중앙아시아 스마트 물류 센터", "en": "Smart logistics hub"}, source="ko"),
            ("KR", "KZ"), "endorsed", Decimal("2500000"))
    project(TranslatedText({"ru": "Цифровая карта водных ресурсов", "en": "Digital water map"}, source="ru"),
            ("KR", "KZ", "UZ"), "implementation", Decimal("1200000"))
    project(TranslatedText({"ru": DRAFTS[0]}, source="ru"), ("KR", "TJ"), "idea")
    held = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    governance_operations.record_decision(system, held, TranslatedText({"en": DRAFTS[1]}))
    return {"KZ": 2, "UZ": 1, "TJ": 0, "KG": 0, "TM": 0, "KR": 2}


def _axe(page) -> list[str]:
    page.add_script_tag(path=AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                           .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    return result


def test_public_pages_in_three_languages_pass_axe_and_hide_drafts(site, browser, portal_data):
    if not Path(AXE).exists():
        pytest.fail(f"{AXE} not found (scripts/test fetches axe-core from npm)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    problems = []
    for lang in ("en", "ko", "ru"):
        context = browser.new_context(locale={"en": "en-GB", "ko": "ko-KR", "ru": "ru-RU"}[lang],
                                      viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        for name, path in PAGES.items():
            page.goto(site.url + path.format(lang=lang))
            assert page.locator("html").get_attribute("lang") == lang
            html = page.content()
            for draft in DRAFTS:
                assert draft not in html, f"{path.format(lang=lang)} shows draft content: {draft}"
            problems += [f"{lang} {name}: {v}" for v in _axe(page)]
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}.png"), full_page=True)
        context.close()
    assert not problems, "axe found serious or critical violations:\n" + "\n".join(problems)


def test_the_map_draws_six_member_states_with_their_project_counts(site, page, portal_data):
    page.goto(f"{site.url}/en/")
    shapes = page.locator("svg.choropleth path.map-focus")
    assert shapes.count() == 6
    titles = sorted(shapes.locator("title").all_text_contents())
    expected = {"Kazakhstan": 2, "Uzbekistan": 1, "Tajikistan": 0, "Kyrgyzstan": 0, "Turkmenistan": 0,
                "Republic of Korea": 2}
    assert titles == sorted(f"{name}: {n}" for name, n in expected.items())
    # the table alternative holds the same values
    page.get_by_text("Table", exact=True).first.click()
    assert page.locator('#map-table tr[data-iso="KAZ"] td').inner_text() == "2"


def test_search_finds_a_korean_and_a_russian_project(site, page, portal_data):
    page.goto(f"{site.url}/ko/")
    page.get_by_role("searchbox").first.fill("물류")
    page.get_by_role("searchbox").first.press("Enter")
    assert page.get_by_role("link", name="중앙아시아 스마트 물류 센터").first.is_visible()
    page.goto(f"{site.url}/ru/search/?q=водных")
    assert page.get_by_text("Цифровая карта водных ресурсов").first.is_visible()
    page.goto(f"{site.url}/ru/search/?q=Черновик")
    assert page.get_by_text(DRAFTS[0]).count() == 0
