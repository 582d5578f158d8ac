"""The methods page is in English only; on a Korean or Russian page it says so in the page's
language, lists its sections translated, and marks the English text lang="en" (issue 14, item 10)."""

import re

import pytest
from django.utils import translation


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ko", "ru"])
def test_the_methods_page_is_honest_about_its_language(client, lang):
    page = client.get(f"/{lang}/trade/methods/").content.decode()
    summary, _sep, article = page.partition('<article class="prose" lang="en">')
    assert article, "the English text is marked as English"
    with translation.override(lang):
        assert str(translation.gettext("Trade evidence: methods")) in summary
    anchors = re.findall(r'<a href="#([a-z]+)">', summary)
    assert len(anchors) == 12
    for anchor in anchors:  # every section of the summary leads to its heading in the text
        assert f'id="{anchor}"' in article


@pytest.mark.django_db
def test_the_english_page_has_no_summary(client):
    page = client.get("/en/trade/methods/").content.decode()
    assert "methods-summary" not in page
