"""Branded, translated error pages (issue 14, item 7); the 500 page needs no database or request."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation


def boom(request):
    raise RuntimeError("boom")


def refuse(request):
    raise PermissionDenied("Only the Secretariat does this.")


def _urls():
    from serai import urls

    return [path("boom/", boom), path("refuse/", refuse), *urls.urlpatterns]


urlpatterns = _urls()


@pytest.mark.django_db
@pytest.mark.parametrize("lang,home", [("en", "Home"), ("ko", "홈"), ("ru", "Главная")])
def test_not_found_is_a_serai_page_in_the_address_language(client, lang, home):
    response = client.get(f"/{lang}/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page and "serai.css" in page and home in page
    assert "Error 404" in page or "404" in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_forbidden_and_server_error_pages():
    client = Client(raise_request_exception=False)
    refused = client.get("/refuse/")
    assert refused.status_code == 403
    assert "Only the Secretariat does this." in refused.content.decode() and "serai.css" in refused.content.decode()
    failed = client.get("/boom/")
    assert failed.status_code == 500
    assert "Something went wrong" in failed.content.decode() and "serai.css" in failed.content.decode()


def test_the_500_page_renders_without_database_or_request():  # no django_db mark: a query would fail
    with translation.override("ru"):
        html = render_to_string("500.html")  # no request, no context processors
    assert '<html lang="ru"' in html and 'href="/ru/"' in html


@pytest.mark.django_db
def test_a_refused_form_token_is_a_serai_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/en/"})  # no CSRF token
    assert response.status_code == 403
    page = response.content.decode()
    assert "serai.css" in page and "The form has expired" in page and "Nothing was saved" in page
