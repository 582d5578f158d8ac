"""The public portal in three languages: every public page passes axe with no serious or
critical violation, the map draws the six member states with the right values, search finds a
Korean-language and a Russian-language project, and a visitor never meets draft content.
Screenshots of each page and language go to var/screenshots/ (git-ignored); `scripts/screenshots`
refreshes the documented set in docs/screenshots/ from them."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from serai.core.i18n import TranslatedText

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
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
        p = operations.create_project(
            system,
            {"title": title},
            countries=[states[c] for c in countries],
            sectors=[SectorShare(field=energy, percentage=Decimal(100))],
        )
        Project.objects.filter(pk=p.pk).update(status=status, budget_usd=budget)

    project(
        TranslatedText({"ko": "중앙아시아 스마트 물류 센터", "en": "Smart logistics hub"}, source="ko"),
        ("KR", "KZ"),
        "endorsed",
        Decimal("2500000"),
    )
    project(
        TranslatedText({"ru": "Цифровая карта водных ресурсов", "en": "Digital water map"}, source="ru"),
        ("KR", "KZ", "UZ"),
        "implementation",
        Decimal("1200000"),
    )
    project(TranslatedText({"ru": DRAFTS[0]}, source="ru"), ("KR", "TJ"), "idea")
    held = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    governance_operations.record_decision(system, held, TranslatedText({"en": DRAFTS[1]}))
    return {"KZ": 2, "UZ": 1, "TJ": 0, "KG": 0, "TM": 0, "KR": 2}


def _axe(page) -> list[str]:
    # evaluated through the DevTools protocol: the site's CSP refuses an injected <script> element
    page.evaluate(Path(AXE).read_text() + "\n;undefined")
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
    problems = []
    for lang in ("en", "ko", "ru"):
        context = browser.new_context(
            locale={"en": "en-GB", "ko": "ko-KR", "ru": "ru-RU"}[lang], viewport={"width": 1280, "height": 900}
        )
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
    shapes = page.locator("svg.choropleth use.map-focus")
    assert shapes.count() == 6
    # each is drawn from the cached shapes document (an unresolved <use> has no size)
    drawn = "() => [...document.querySelectorAll('svg.choropleth use.map-focus')].every(e => e.getBBox().width > 5)"
    page.wait_for_function(drawn)
    titles = sorted(shapes.locator("title").all_text_contents())
    expected = {
        "Kazakhstan": 2,
        "Uzbekistan": 1,
        "Tajikistan": 0,
        "Kyrgyzstan": 0,
        "Turkmenistan": 0,
        "Republic of Korea": 2,
    }
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


def test_keyboard_alone_reaches_the_content_and_every_focus_is_visible(site, page, portal_data):
    page.goto(f"{site.url}/en/")
    page.keyboard.press("Tab")
    skip = page.evaluate("() => document.activeElement.textContent.trim()")
    assert skip == "Skip to main content"
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top >= 0")  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    seen, invisible = [], []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
            if (!el.dataset.kbStop) el.dataset.kbStop = String(document.querySelectorAll('[data-kb-stop]').length);
            return {stop: el.dataset.kbStop, tag: el.tagName, text: (el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 40),
                    inMain: !!el.closest('main'), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                    shadow: s.boxShadow !== 'none', size: r.width * r.height};
        }""")
        seen.append(info)
        if not (info["outline"] or info["shadow"]) or info["size"] == 0:
            invisible.append(info)
    assert all(i["inMain"] for i in seen[:5]), "after the skip link, Tab starts in the main content"
    stops = [i["stop"] for i in seen]
    assert len(set(stops)) == len(stops), "each Tab reaches a new element (no trap, no loop)"
    assert not invisible, f"focused without a visible focus indicator: {invisible[:3]}"
    # the map's table alternative opens from the keyboard
    page.goto(f"{site.url}/en/")
    summary = page.locator("summary", has_text="Table").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator('#map-table tr[data-iso="KAZ"] td').is_visible()


def test_charts_format_numbers_in_the_page_language(site, page, portal_data):
    for lang, decimal in (("en", "."), ("ko", "."), ("ru", ",")):
        page.goto(f"{site.url}/{lang}/")
        chart = page.locator(".chart-area .main-svg").first
        chart.wait_for()
        assert page.locator(".chart-area").first.get_attribute("data-separators")[0] == decimal, lang


def test_the_staff_workspace_passes_axe_in_three_languages(site, browser, portal_data, system):
    from serai.access.models import Role
    from serai.access.operations import create_user, grant_role
    from serai.projects import operations
    from serai.reference.models import Body, CooperationField, MemberState

    staff = create_user(system, "staff-browser", password="pw-for-browser-1", email="staff@example.org")
    grant_role(system, staff, Role.SECRETARIAT)
    fp = create_user(system, "fp-browser", password="pw-for-browser-1")
    grant_role(system, fp, Role.FOCAL_POINT, MemberState.objects.get(iso2="KZ"))
    project = operations.create_project(
        fp,
        {
            "title": TranslatedText({"en": "Rail freight study"}),
            "summary": TranslatedText({"en": "A study."}),
            "subcommittee": Body.objects.get(code="economy"),
            "planned_start": dt.date(2027, 1, 1),
            "planned_end": dt.date(2028, 12, 31),
        },
        countries=list(MemberState.objects.filter(iso2__in=("KR", "KZ"))),
        sectors=[
            operations.SectorShare(
                field=CooperationField.objects.get(code="transport-logistics"), percentage=Decimal(100)
            )
        ],
    )
    operations.fire_transition(fp, project, "submit")  # tells the Secretariat
    problems = []
    for lang in ("en", "ko", "ru"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{site.url}/{lang}/accounts/login/?next=/{lang}/my/")
        page.fill("input[name=username]", "staff-browser")
        page.fill("input[name=password]", "pw-for-browser-1")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"/{lang}/my/"), page.url
        assert page.locator("ul.notifications li.unread").count() == 1
        assert page.locator("#work-screen + ul a").first.inner_text().startswith(project.code)
        problems += [f"{lang} my work: {v}" for v in _axe(page)]
        page.screenshot(path=str(SCREENSHOTS / f"my-work-{lang}.png"), full_page=True)
        context.close()
    assert fp.notifications.count() == 0
    assert not problems, "axe found serious or critical violations:\n" + "\n".join(problems)
