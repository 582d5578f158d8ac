"""Briefing packs and meeting records: PDF in three languages with embedded fonts, DOCX with the
same sections, and what each audience may see."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core import pdf
from serai.projects.models import Project
from serai.reports import pack as packs
from serai.reports import render
from serai.reports.audience import parse

SECTIONS = [
    "Session briefing pack",
    "Agenda and documents",
    "Projects proposed for endorsement",
    "The pipeline by country and field",
    "Decisions of the previous session and their action items",
    "Progress of the work plan",
    "Trade briefs: Central Asia",
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def briefing(meeting, language, audience):
    pack = packs.collect_briefing(meeting.pk, language, parse(audience))
    packs.draw(pack)
    return pack


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ko", "ru"])
def test_briefing_pdf_in_each_language_embeds_its_fonts_and_has_every_section(session, language):
    data = render.render_pdf(briefing(session["meeting"], language, "secretariat"))
    fonts = pdf.pdf_fonts(data)
    assert fonts and all(fonts.values()), fonts  # every font has /FontFile2 or /FontFile3
    text = normal(pdf.pdf_text(data))
    with translation.override(language):
        expected = [normal(_(heading)) for heading in SECTIONS]
    missing = [h for h in expected if h not in text]
    assert not missing
    # the document speaks the language: content stored in it, and catalog entries already translated
    if language == "ko":
        assert "사업 P-REC-KZ" in text and HANGUL.search(text)
    if language == "ru":
        assert "Проект P-REC-KZ" in text and CYRILLIC.search(text)
    assert "P-REC-KZ" in text and "DECISION-ADOPTED" in text
    assert "Synthetic data" in text or language != "en"  # the synthetic trade store is labelled


@pytest.mark.django_db
def test_public_pack_holds_no_project_the_public_may_not_see(session):
    from django.contrib.auth.models import AnonymousUser

    data = render.render_pdf(briefing(session["meeting"], "en", "public"))
    text = normal(pdf.pdf_text(data))
    anonymous = AnonymousUser()
    hidden = [p for p in Project.objects.all() if not permissions.can(anonymous, "project.view", p)]
    shown = [p for p in Project.objects.all() if permissions.can(anonymous, "project.view", p)]
    assert hidden and shown
    assert [p.code for p in hidden if p.code in text] == []
    assert [p.code for p in shown if p.code not in text] == []
    # nor the internal document, the draft decision or the action items (the public sees none)
    for secret in ("DOC-INTERNAL", "DECISION-DRAFT", "ACTION-KZ", "ACTION-UZ"):
        assert secret not in text
    assert "DOC-PUBLIC" in text and "DECISION-ADOPTED" in text


@pytest.mark.django_db
def test_delegation_pack_holds_what_its_focal_point_may_see(session, make_user):
    from serai.access.models import Role

    html = render.render_html(briefing(session["meeting"], "en", "KZ"))
    focal_point = make_user(Role.FOCAL_POINT, session["states"]["KZ"])
    for project in Project.objects.all():
        assert (project.code in html) == permissions.can(focal_point, "project.view", project), project.code
    assert "ACTION-KZ" in html and "ACTION-UZ" in html  # focal points follow every action item
    assert "DOC-INTERNAL" not in html
    # the appraisal is the subcommittee's and the Secretariat's: not in a delegation's pack
    assert "Appraisal summary" not in html


@pytest.mark.django_db
def test_briefing_docx_has_every_section(session):
    import docx

    data = render.briefing_docx(briefing(session["meeting"], "ru", "secretariat"))
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    with translation.override("ru"):
        expected = [_(h) for h in SECTIONS]
    assert [h for h in expected if h not in headings] == []
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "P-REC-KZ" in cells and "Проект P-REC-KZ" in cells


@pytest.mark.django_db
def test_meeting_record_as_docx_and_pdf(session, system):
    import docx

    from serai.governance.models import Minutes, Participant

    previous = session["previous"]
    Minutes.objects.create(
        meeting=previous,
        text={"values": {"en": "The Forum met. MINUTES-TEXT"}, "source": "en"},
        revision=1,
        status="adopted",
    )
    Participant.objects.create(meeting=previous, country=session["states"]["KZ"], name="Delegate DELEGATE-KZ")
    pack = packs.collect_record(previous.pk, "en", parse("KZ"))
    document = docx.Document(io.BytesIO(render.record_docx(pack)))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("Agenda", "Decisions", "Minutes", "Participants and delegations", "Documents"):
        assert heading in [p.text for p in document.paragraphs if p.style.name.startswith("Heading")], heading
    assert "MINUTES-TEXT" in text and "DELEGATE-KZ" in text and "DECISION-ADOPTED" in text
    assert "DECISION-DRAFT" not in text
    data = render.render_pdf(pack)
    pdf_text = normal(pdf.pdf_text(data))
    assert "Meeting record" in pdf_text and "MINUTES-TEXT" in pdf_text and "DELEGATE-KZ" in pdf_text
    assert all(pdf.pdf_fonts(data).values())


@pytest.mark.django_db
def test_public_record_names_only_people_listed_publicly(session):
    from serai.governance.models import Participant

    previous = session["previous"]
    Participant.objects.create(meeting=previous, country=session["states"]["KZ"], name="Delegate HIDDEN-NAME")
    html = render.render_html(packs.collect_record(previous.pk, "en", parse("public")))
    assert "HIDDEN-NAME" not in html and "0 of 1 attended" in html
