"""The language switcher leads to the same page in the chosen language, whatever the browser's or
the cookie's language (issue 14, item 3)."""

import pytest
from django.conf import settings

COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch(client, next_url, language, **headers):
    return client.post("/i18n/setlang/", {"next": next_url, "language": language}, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize("browser,cookie", [("ko", None), ("ko", "en"), ("en", "ko"), ("ru,en;q=0.5", "ko")])
def test_the_switch_goes_to_the_same_page_in_the_chosen_language(client, browser, cookie):
    if cookie:
        client.cookies[COOKIE] = cookie
    response = switch(client, "/en/projects/?status=endorsed&page=2", "ru", HTTP_ACCEPT_LANGUAGE=browser)
    assert response.status_code == 302
    assert response["Location"] == "/ru/projects/?status=endorsed&page=2"
    assert response.cookies[COOKIE].value == "ru"


@pytest.mark.django_db
def test_a_korean_browser_on_an_english_link_reaches_korean(client, reference):
    client.get("/en/projects/", HTTP_ACCEPT_LANGUAGE="ko")
    response = switch(client, "/en/countries/kz/", "ko", HTTP_ACCEPT_LANGUAGE="ko")
    assert response["Location"] == "/ko/countries/kz/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200 and '<html lang="ko"' in page.content.decode()


@pytest.mark.django_db
def test_an_address_no_page_names_still_changes_language_and_outside_addresses_are_refused(client):
    assert switch(client, "/en/no/such/page/", "ko", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/ko/no/such/page/"
    assert switch(client, "https://evil.example/en/", "ko")["Location"] == "/"
    assert switch(client, "/en/projects/", "xx")["Location"] == "/en/projects/"  # not a language: nothing changes
