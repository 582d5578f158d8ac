"""serai.core.pdf: Korean and Cyrillic text comes out embedded, and no resource is fetched from a network."""

import pytest
from django.template import engines

from serai.core import pdf


def _html(body: str, lang: str = "en") -> str:
    template = engines["django"].from_string(
        '{% extends "serai/pdf/base.html" %}{% block title %}T{% endblock %}{% block body %}' + body + "{% endblock %}"
    )
    return template.render({"pdf_language": lang})


def test_korean_and_russian_text_with_embedded_fonts():
    document = pdf.html_to_pdf(
        _html(
            "<h1>한국–중앙아시아 협력 포럼</h1><p>Форум сотрудничества «Республика Корея – Центральная Азия»</p>", "ko"
        )
    )
    assert document.startswith(b"%PDF-")
    text = pdf.pdf_text(document)
    assert "한국–중앙아시아 협력 포럼" in text
    assert "Форум сотрудничества" in text
    fonts = pdf.pdf_fonts(document)
    assert fonts, "the document names no font"
    assert all(fonts.values()), f"fonts not embedded: {[name for name, ok in fonts.items() if not ok]}"
    assert any("CJK" in name for name in fonts), fonts


def test_running_page_numbers_and_page_count():
    document = pdf.html_to_pdf(_html("<p>one</p><div class='page-break'></div><p>two</p>"))
    assert pdf.pdf_page_count(document) == 2
    assert "1 / 2" in pdf.pdf_text(document)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/style.css",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "https://serai.invalid/static/../../settings.py",
        "https://serai.invalid/media/secret.pdf",
    ],
)
def test_fetcher_refuses_everything_but_local_static_files(url):
    with pytest.raises(pdf.ResourceRefused):
        pdf.fetch_local(url)


def test_fetcher_serves_static_files_and_data_urls():
    body, mime = pdf.fetch_local("https://serai.invalid/static/serai/serai.css")
    assert mime == "text/css" and len(body) > 100
    body, mime = pdf.fetch_local("data:text/plain;base64,aGVsbG8=")
    assert (body, mime) == (b"hello", "text/plain")


def test_a_remote_image_is_left_out_not_fetched(monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *a, **k: opened.append(a) or None)
    document = pdf.html_to_pdf(_html('<p>x</p><img src="http://192.0.2.1/tracker.png">'))
    assert document.startswith(b"%PDF-")
    assert opened == []


def test_pdf_response_is_a_private_download():
    response = pdf.pdf_response(b"%PDF-1.7", 'Brief "UZB" 2026')
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Brief-UZB-2026.pdf"'
    assert "no-store" in response["Cache-Control"]
