"""The interface catalogs: Korean and Russian are complete (no empty or fuzzy entry), every
translation keeps its placeholders, and the entries that need a native speaker's review carry
the marker that `msggrep` finds (see docs/development.md)."""

import re
from pathlib import Path

import polib
import pytest

import serai

LOCALE = Path(serai.__file__).parent / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
REVIEW = "needs review by a native speaker"


@pytest.mark.parametrize("lang", ["ko", "ru"])
def test_the_korean_and_russian_catalogs_are_complete_and_keep_placeholders(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 800
    missing = [e.msgid for e in entries if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"{lang}: untranslated or fuzzy: {missing[:5]}"
    broken = []
    for e in entries:
        wanted = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        translations = e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]
        for text in translations:
            got = sorted(PLACEHOLDER.findall(text))
            # a plural form for exactly one may leave the number out ("one notification")
            if got != wanted and not (e.msgid_plural and set(got) <= set(wanted)):
                broken.append((e.msgid, text))
    assert not broken, f"{lang}: placeholders differ: {broken[:3]}"
    flagged = [e for e in entries if REVIEW in (e.tcomment or "")]
    assert flagged, "the entries awaiting a native speaker's review are marked"
    assert all(e.translated() for e in flagged)
