"""Translatable text, one value per content language (Decidim-style per-field translation).

A :class:`TranslatedText` holds a value per language, the language the text was written in
(``source``) and a flag per language for text that is a machine translation or has not been
reviewed yet. It is stored as JSON::

    {"values": {"en": "Energy", "ko": "에너지"}, "source": "en", "flags": {"ko": "machine"}}

Reading it in a template gives the value in the active language, falling back to the source
language, then English, then any value; :func:`served_language` tells which one was used so
the markup can carry the right ``lang`` attribute.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

MACHINE = "machine"
UNREVIEWED = "unreviewed"
FLAGS = (MACHINE, UNREVIEWED)


def content_languages() -> list[str]:
    return [code for code, _name in settings.CONTENT_LANGUAGES]


# Every character Python's str.splitlines() breaks a line at: titles and names are one line, so
# that a mail subject, a calendar line or a CSV cell built from them stays one line too.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def is_single_line(text: str) -> bool:
    return not LINE_BREAKS.intersection(text)


def in_every_language(make) -> TranslatedText:
    """What ``make()`` gives in each interface language, as translated text: for a parameter
    stored now and read later in the reader's language (e.g. ``lambda: str(meeting)``)."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(make())
    return TranslatedText(values, source=settings.LANGUAGE_CODE)


def validate_single_line(value: str) -> None:
    """The one validator for single-line text (every title and name, in every language)."""
    if value and not is_single_line(value):
        raise ValidationError(_lazy("Enter one line: line breaks are not allowed here."), code="single_line")


class TranslatedText:
    """An immutable-by-convention value: per-language text plus provenance."""

    __slots__ = ("values", "source", "flags")

    def __init__(
        self,
        values: Mapping[str, str] | None = None,
        source: str | None = None,
        flags: Mapping[str, str] | None = None,
    ) -> None:
        self.values: dict[str, str] = {k: v for k, v in (values or {}).items() if v not in (None, "")}
        self.source = source or (next(iter(self.values), None))
        self.flags: dict[str, str] = {k: v for k, v in (flags or {}).items() if v and k in self.values}

    # -- construction ------------------------------------------------------------------
    @classmethod
    def coerce(cls, value: Any) -> TranslatedText:
        if value is None or value == "":
            return cls()
        if isinstance(value, TranslatedText):
            return value
        if isinstance(value, str):
            return cls({settings.LANGUAGE_CODE: value}, source=settings.LANGUAGE_CODE)
        if isinstance(value, Mapping):
            if "values" in value:
                return cls(value.get("values"), value.get("source"), value.get("flags"))
            return cls({k: v for k, v in value.items()})
        raise TypeError(f"cannot make translated text from {type(value).__name__}")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"values": dict(self.values), "source": self.source}
        if self.flags:
            data["flags"] = dict(self.flags)
        return data

    def with_value(self, lang: str, text: str, flag: str | None = None) -> TranslatedText:
        values = dict(self.values)
        values[lang] = text
        flags = dict(self.flags)
        flags.pop(lang, None)
        if flag:
            flags[lang] = flag
        return TranslatedText(values, self.source or lang, flags)

    # -- reading -----------------------------------------------------------------------
    def _pick(self, lang: str | None) -> tuple[str | None, str]:
        lang = (lang or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        for candidate in (lang, self.source, settings.LANGUAGE_CODE):
            if candidate and self.values.get(candidate):
                return candidate, self.values[candidate]
        for candidate, text in self.values.items():
            return candidate, text
        return None, ""

    def get(self, lang: str | None = None) -> str:
        return self._pick(lang)[1]

    def served_language(self, lang: str | None = None) -> str | None:
        return self._pick(lang)[0]

    def flag(self, lang: str) -> str | None:
        return self.flags.get(lang)

    def missing(self, languages: list[str] | None = None) -> list[str]:
        return [lang for lang in (languages or content_languages()) if not self.values.get(lang)]

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return bool(self.values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TranslatedText):
            return (self.values, self.source, self.flags) == (other.values, other.source, other.flags)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.values.items())), self.source))

    def __repr__(self) -> str:
        return f"TranslatedText({self.values!r}, source={self.source!r}, flags={self.flags!r})"

    # -- validation --------------------------------------------------------------------
    def validate(
        self, *, required: bool, max_length: int | None, field_label: str = "", single_line: bool = False
    ) -> None:
        allowed = set(content_languages())
        errors: list[str] = []
        unknown = sorted(set(self.values) - allowed)
        if unknown:
            errors.append(f"unknown language(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
        if self.source and self.values and self.source not in self.values:
            errors.append(f"the source language {self.source!r} has no text")
        bad_flags = {k: v for k, v in self.flags.items() if v not in FLAGS}
        if bad_flags:
            errors.append(f"unknown flag(s) {bad_flags}")
        if required and not self.values:
            errors.append("a value in at least one language is required")
        if max_length:
            for lang, text in self.values.items():
                if len(text) > max_length:
                    errors.append(f"the {lang} text has {len(text)} characters; at most {max_length}")
        if single_line:
            for lang, text in self.values.items():
                if not is_single_line(text):
                    errors.append(_("the %(lang)s text has a line break; it must be one line") % {"lang": lang})
        if errors:
            prefix = f"{field_label}: " if field_label else ""
            raise ValidationError([prefix + e for e in errors])
