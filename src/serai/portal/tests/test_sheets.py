"""Country brief and project fact sheet: one-page PDFs in the page's language, fonts embedded,
showing what the viewer may see (checked by reading the PDF back with pypdf)."""

import pytest
from django.core.cache import cache
from django.test import Client

from serai.core.i18n import TranslatedText
from serai.core.pdf import pdf_fonts, pdf_page_count, pdf_text


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def get_pdf(client, path) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
    return response.content


def test_the_country_brief_is_a_page_in_the_page_s_language_with_fonts_embedded(reference, make_project, walk, roles):
    public = walk(
        make_project(title=TranslatedText({"en": "Solar schools", "ko": "태양광 학교", "ru": "Солнечные школы"})),
        "endorsed",
    )
    draft = make_project(title=TranslatedText({"en": "Secret draft", "ko": "비공개 초안", "ru": "Тайный черновик"}))
    page = client_for().get("/en/countries/KZ/").content.decode()
    assert 'href="/en/countries/KZ/brief.pdf"' in page

    ko = get_pdf(client_for(), "/ko/countries/KZ/brief.pdf")
    text = pdf_text(ko)
    assert "카자흐스탄" in text and "태양광 학교" in text and public.code in text
    assert "비공개 초안" not in text and draft.code not in text  # the public sees public projects only
    assert pdf_page_count(ko) == 1
    fonts = pdf_fonts(ko)
    assert fonts and all(fonts.values())  # every font embedded

    ru = pdf_text(get_pdf(client_for(), "/ru/countries/KZ/brief.pdf"))
    assert "Казахстан" in ru and "Солнечные школы" in ru
    # the country's focal point sees the draft in their own brief
    assert "Secret draft" in pdf_text(get_pdf(client_for(roles["fp_kz"]), "/en/countries/KZ/brief.pdf"))
    assert client_for().get("/en/countries/XX/brief.pdf").status_code == 404


def test_the_project_fact_sheet_follows_the_project_s_visibility(reference, make_project, walk, roles):
    draft = make_project(
        title=TranslatedText({"en": "Rail study", "ko": "철도 연구", "ru": "Исследование железных дорог"})
    )
    assert client_for().get(f"/en/projects/{draft.pk}/factsheet.pdf").status_code == 404  # not public
    assert client_for(roles["fp_uz"]).get(f"/en/projects/{draft.pk}/factsheet.pdf").status_code == 404
    ru = get_pdf(client_for(roles["fp_kz"]), f"/ru/projects/{draft.pk}/factsheet.pdf")
    text = pdf_text(ru)
    assert "Исследование железных дорог" in text and draft.code in text and "Казахстан" in text
    assert pdf_page_count(ru) == 1 and all(pdf_fonts(ru).values())
    page = client_for(roles["fp_kz"]).get(f"/en/projects/{draft.pk}/").content.decode()
    assert f'href="/en/projects/{draft.pk}/factsheet.pdf"' in page

    walk(draft, "endorsed")
    ko = get_pdf(client_for(), f"/ko/projects/{draft.pk}/factsheet.pdf")
    assert "철도 연구" in pdf_text(ko) and all(pdf_fonts(ko).values())
    assert client_for().get("/en/projects/999999/factsheet.pdf").status_code == 404


@pytest.fixture(scope="module")
def trade_store(tmp_path_factory):
    from serai.evidence.tests.helpers import build_store

    root = tmp_path_factory.mktemp("sheets-trade")
    build_store(root)
    return root / "store"


def test_a_central_asian_country_brief_carries_its_trade_brief_with_charts_on_one_page(
    reference, settings, trade_store
):
    settings.SERAI_TRADE_DIR = trade_store
    document = get_pdf(client_for(), "/en/countries/KZ/brief.pdf")
    text = pdf_text(document)
    assert "Trade brief: Kazakhstan" in text and "Complementarity by field" in text
    assert "Synthetic data" in text  # the test store is synthetic, and says so
    assert pdf_page_count(document) == 1 and all(pdf_fonts(document).values())
    # Korea, the anchor, has no trade brief of its own
    assert "Trade brief" not in pdf_text(get_pdf(client_for(), "/en/countries/KR/brief.pdf"))


def test_the_country_brief_keeps_a_constant_query_count(reference):
    from serai.core.testing import assert_constant_queries
    from serai.projects.models import Project, ProjectCountry

    client = client_for()  # anonymous: public projects only
    made = []

    def grow(start=0, count=3):
        for n in range(start, start + count):
            project = Project.objects.create(
                code=f"GROWN-{n}",
                title={"values": {"en": f"Grown project {n}"}, "source": "en"},
                status="endorsed",
                scope="bilateral",
            )
            for iso2 in ("KR", "KZ"):
                ProjectCountry.objects.create(project=project, member_state=reference["states"][iso2])
            made.append(project)
        cache.clear()  # rows made without an operation do not move the shared cache's version

    def check(first, second):
        text = pdf_text(second.content)
        return len(made) == 4 and all(p.code in text for p in made)

    grow(start=10, count=1)  # one row already, so the first fetch runs its prefetches too
    assert_constant_queries(lambda: client.get("/en/countries/KZ/brief.pdf"), grow, check=check)


def test_anonymous_visitors_share_one_render_until_the_content_changes(reference, make_project, walk, monkeypatch):
    from serai.core import pdf

    project = walk(make_project(), "endorsed")
    renders = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: renders.append(a[0]) or real(*a, **k))
    for _ in range(2):
        get_pdf(client_for(), "/en/countries/KZ/brief.pdf")
        get_pdf(client_for(), f"/en/projects/{project.pk}/factsheet.pdf")
    assert len(renders) == 2  # one render of each, the second request served from the cache
    get_pdf(client_for(), "/ko/countries/KZ/brief.pdf")  # another language, another render
    assert len(renders) == 3
    walk(make_project(title=TranslatedText({"en": "Newly endorsed"})), "endorsed")  # a write: a new version
    assert "Newly endorsed" in pdf_text(get_pdf(client_for(), "/en/countries/KZ/brief.pdf"))
    assert len(renders) == 4
