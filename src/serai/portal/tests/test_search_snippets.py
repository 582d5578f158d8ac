"""Global search finds inflected Russian forms and shows a snippet with the match marked (issue 14,
also seen h): 'энергия' finds 'энергетики' and 'энергии'; the snippet is escaped, only <mark> is
markup. Runs on PostgreSQL (full text) and on SQLite (the word-by-word fallback)."""

import re

import pytest

from serai.core.i18n import TranslatedText
from serai.governance import operations as governance_operations
from serai.governance.models import Meeting
from serai.portal import queries
from serai.projects.models import Project


@pytest.fixture
def energy_texts(roles, make_project, reference):
    project = make_project(
        title=TranslatedText({"ru": "Развитие энергетики Центральной Азии", "en": "Power in CA"}, source="ru"),
        description=TranslatedText({"ru": "Сети <script>alert(1)</script> и обмен энергией."}, source="ru"),
    )
    Project.objects.filter(pk=project.pk).update(status="endorsed")
    held = Meeting.objects.filter(body__kind="forum", status="held").order_by("-year").first()
    sec = roles["secretariat"]
    decision = governance_operations.record_decision(
        sec, held, TranslatedText({"ru": "Форум приветствует доклад о рынке энергии & воды.", "en": "On power."})
    )
    governance_operations.adopt_decision(sec, decision)
    return project, decision


def test_a_russian_word_finds_its_inflected_forms(energy_texts):
    project, decision = energy_texts
    for query in ("энергия", "Энергия", "энергию"):
        results = queries.search(None, query)
        assert [p.pk for p in results["projects"]["items"]] == [project.pk], query
        assert [d.pk for d in results["decisions"]["items"]] == [decision.pk], query
    assert queries.search(None, "энергосбережение")["decisions"]["items"] == []  # a stem, not any word
    assert queries.search(None, "и the")["projects"]["items"] == []  # stop words stem to nothing: no error


def test_results_carry_an_escaped_snippet_with_the_match_marked(client, energy_texts):
    page = client.get("/ru/search/", {"q": "энергия"}).content.decode()
    assert "<mark>энергии</mark>" in page  # the decision's text, around its match
    assert re.search(r"<mark>энергетики</mark>|<mark>энергией</mark>", page)  # the project's
    assert "<script>alert(1)</script>" not in page
    assert "&amp; воды" in page  # the decision's ampersand is escaped in its snippet


def test_the_excerpt_escapes_and_marks_every_match_near_the_first():
    from serai.core.search import excerpt

    text = "<b>Intro</b> " + "слово " * 40 + "энергии и энергетики <i>x</i> " + "конец " * 40
    html = excerpt(text, "энергия", width=80)
    assert "<mark>энергии</mark>" in html and "<mark>энергетики</mark>" in html
    assert "&lt;i&gt;" in html and "<b>" not in html and "<i>" not in html
    assert html.startswith("…") and html.endswith("…")
    assert excerpt("nothing here", "энергия") == ""
    assert excerpt("Corridor study", "corridor") == "<mark>Corridor</mark> study"
