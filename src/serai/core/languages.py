"""How complete each interface language is: read from the catalogs themselves (polib).

For each language of the interface — the three switched on and the five prepared — the share of
the catalog's entries that are translated (not empty, not fuzzy) and how many of those carry the
translators' marker "needs review by a native speaker" (see docs/development.md). English is
the language of the source strings, so it is complete by definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

REVIEW = "needs review by a native speaker"


@dataclass(frozen=True)
class Completeness:
    code: str
    name: str
    enabled: bool  # offered in the language switcher on this server
    entries: int
    translated: int
    needs_review: int
    has_catalog: bool

    @property
    def percent(self) -> int:
        """Whole percent translated, rounded down (99 % stays 99 until the last entry is done)."""
        return 100 * self.translated // self.entries if self.entries else 0


def _catalog(code: str) -> Path | None:
    for root in settings.LOCALE_PATHS:
        path = Path(root) / code / "LC_MESSAGES" / "django.po"
        if path.exists():
            return path
    return None


def completeness() -> list[Completeness]:
    enabled = {code for code, _name in settings.LANGUAGES}
    languages = [*settings.CONTENT_LANGUAGES, *settings.PREPARED_UI_LANGUAGES]
    rows, source_entries = [], 0
    for code, name in languages:
        path = _catalog(code)
        if path is None:
            rows.append((code, name, None))
            continue
        entries = [e for e in polib.pofile(str(path)) if not e.obsolete]
        source_entries = max(source_entries, len(entries))
        rows.append((code, name, entries))
    result = []
    for code, name, entries in rows:
        if entries is None:
            # the source language (English) needs no catalog; any other has none yet
            done = source_entries if code == settings.LANGUAGE_CODE else 0
            result.append(Completeness(code, name, code in enabled, source_entries, done, 0, False))
            continue
        translated = [e for e in entries if e.translated() and "fuzzy" not in e.flags]
        review = sum(1 for e in translated if REVIEW in (e.tcomment or ""))
        result.append(Completeness(code, name, code in enabled, len(entries), len(translated), review, True))
    return result
