"""The Russian catalog names the Forum one way, and its grammar holds (issue 14, item 10).

These read the catalog itself, so they pass once the helpers' translations are merged into it
(like ``test_translations``)."""

import re
from pathlib import Path

import polib

import serai
from serai.reference import data

PO = Path(serai.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# the official Russian name, as the reference data (the Forum body, the Secretariat) has it
FORUM = "Форум сотрудничества «Республика Корея – Центральная Азия»"


def _texts():
    for e in polib.pofile(str(PO)):
        if not e.obsolete:
            yield e.msgid, " ".join([e.msgstr, *e.msgstr_plural.values()])


def test_the_reference_data_uses_the_official_name():
    assert any(FORUM in str(row) for row in data.BODIES)


def test_one_russian_name_of_the_forum():
    other = re.compile(r"«(Центральная Азия|Корея) – (Республика Корея|Центральная Азия)»")
    variants = [
        (msgid, text)
        for msgid, text in _texts()
        if other.search(text) and "«Республика Корея – Центральная Азия»" not in text
    ]
    assert variants == []


def test_about_takes_ob_before_a_vowel():
    # "о" before a vowel is "об": "Об организации", never "О организации"
    wrong = [(msgid, text) for msgid, text in _texts() if re.search(r"(^|\s)[Оо] [АаОоУуЭэИи]", text)]
    assert wrong == []
