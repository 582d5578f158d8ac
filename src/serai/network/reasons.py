"""The matcher's reasons in words: code + parameters → one translated sentence per reason.

The matcher (``serai.network.matching``) gives each reason a code and parameters that hold codes
and ids only; this module turns them into the reader's language at render time. Names come from
one :class:`Names` lookup per page (a fixed number of queries, whatever the number of results).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Self

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from serai.core.i18n import TranslatedText
from serai.orgs.models import Helix

from .models import ProfileKind

COLLABORATION_KINDS = {
    "project": lambda: _("a project"),
    "delegation": lambda: _("a delegation to the same meeting"),
    "body": lambda: _("seats on the same body"),
    "introduction": lambda: _("an accepted introduction"),
    "cofunding": lambda: _("co-funding"),
}


def _tt(value: Any) -> str:
    return TranslatedText.coerce(value).get(get_language()) if value is not None else ""


@lru_cache(maxsize=1)
def _concept_terms() -> dict[str, dict[str, list[str]]]:
    """The concepts' terms as written in ``data/concepts.json`` (for display; the matcher uses stems)."""
    from .text import DATA

    try:
        data = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        cid: {lang: list(entry.get(lang, ())) for lang in ("en", "ko", "ru")}
        for cid, entry in data.get("concepts", {}).items()
    }


def concept_label(cid: str) -> str:
    terms = _concept_terms().get(cid, {})
    lang = (get_language() or "en")[:2]
    for choice in (lang, "en", "ru", "ko"):
        if terms.get(choice):
            return terms[choice][0]
    return cid.replace("-", " ").replace("_", " ")


@dataclass
class Names:
    """What reason sentences name, looked up once per page."""

    fields: dict[str, Any] = field(default_factory=dict)  # code -> TranslatedText
    sectors: dict[str, str] = field(default_factory=dict)  # DAC code -> name (English, the OECD's)
    countries: dict[str, Any] = field(default_factory=dict)  # ISO2 -> TranslatedText
    orgs: dict[int, Any] = field(default_factory=dict)  # id -> TranslatedText

    @classmethod
    def load(cls, matches: list[Any], extra_orgs: set[int] = frozenset(), fields: list | None = None) -> Names:
        """Names for every code and id the reasons of ``matches`` mention (at most four queries;
        ``fields``: the cooperation fields if the caller has read them already)."""
        from serai.orgs.models import Organisation
        from serai.reference.models import CooperationField, DacSector, MemberState

        sectors, orgs = set(), set(extra_orgs)
        for m in matches:
            for r in m.reasons:
                if r.code == "sector":
                    sectors.update(r.params.get("sectors", ()))
                elif r.code == "collaboration":
                    orgs.update(r.params.get("with", ()))
                    orgs.update(r.params.get("via", ()))
        return cls(
            fields={f.code: f.name for f in fields}
            if fields is not None
            else dict(CooperationField.objects.values_list("code", "name")),
            sectors=dict(DacSector.objects.filter(code__in=sectors).values_list("code", "name")) if sectors else {},
            countries=dict(MemberState.objects.values_list("iso2", "name")),
            orgs=dict(Organisation.objects.filter(pk__in=orgs).values_list("pk", "name")) if orgs else {},
        )

    def field(self, code: str) -> str:
        return _tt(self.fields[code]) if code in self.fields else code

    def country(self, code: str) -> str:
        return _tt(self.countries[code]) if code in self.countries else code

    def org(self, pk: int) -> str:
        return _tt(self.orgs[pk]) if pk in self.orgs else f"#{pk}"


def _join(items: list[str]) -> str:
    return ", ".join(i for i in items if i)


def helix_label(code: str) -> str:
    return str(dict(Helix.choices).get(code, code))


def kind_label(code: str) -> str:
    return str(dict(ProfileKind.choices).get(code, code))


class Worded(str):
    """A reason in words that keeps the matcher's code: a template shows ``{{ reason }}`` and may
    mark the element with ``{{ reason.code }}`` (field, sector, helix, country, collaboration,
    trade, text, kind, activity, gap)."""

    code: str

    def __new__(cls, text: str, code: str) -> Self:
        obj = super().__new__(cls, text)
        obj.code = code
        return obj


def worded(reason: Any, names: Names) -> Worded:
    return Worded(sentence(reason, names), reason.code)


def sentence(reason: Any, names: Names) -> str:
    """One reason in the active language."""
    code, p = reason.code, reason.params or {}
    if code == "field":
        items = [names.field(c) for c in p.get("fields", ())]
        return (
            ngettext("Shared cooperation field: %(names)s", "Shared cooperation fields: %(names)s", len(items))
            % {"names": _join(items)}
            if items
            else _("Related cooperation fields")
        )
    if code == "sector":
        items = [f"{c} {names.sectors.get(c, '')}".strip() for c in p.get("sectors", ())]
        return (
            ngettext("Shared DAC sector: %(names)s", "Shared DAC sectors: %(names)s", len(items))
            % {"names": _join(items)}
            if items
            else _("Related DAC sectors")
        )
    if code == "helix":
        helix = helix_label(p.get("helix", ""))
        if p.get("sought"):
            return _("Brings the helix you seek: %(helix)s") % {"helix": helix}
        if p.get("missing"):
            return _("Brings a helix the partnership lacks: %(helix)s") % {"helix": helix}
        if p.get("seeks"):
            return _("Seeks partners of your helix (%(helixes)s)") % {
                "helixes": _join([helix_label(h) for h in p["seeks"]])
            }
        return _("Complementary helix: %(helix)s") % {"helix": helix}
    if code == "country":
        country = names.country(p.get("country", ""))
        if p.get("new"):
            return _("Covers %(country)s, a target country no partner covers yet") % {"country": country}
        if p.get("target"):
            return _("Works in a target country: %(country)s") % {"country": country}
        if p.get("targets_query_country"):
            return _("Looks for partners in your country (from %(country)s)") % {"country": country}
        return _("Country: %(country)s") % {"country": country}
    if code == "collaboration":
        kinds = _join([COLLABORATION_KINDS[k]() for k in p.get("kinds", ()) if k in COLLABORATION_KINDS])
        if p.get("with"):
            partners = _join([names.org(o) for o in p["with"]])
            if kinds:
                return _("Worked before with %(partners)s (%(kinds)s)") % {"partners": partners, "kinds": kinds}
            return _("Worked before with %(partners)s") % {"partners": partners}
        if p.get("via"):
            return _("Worked with partners of your partners: %(orgs)s") % {
                "orgs": _join([names.org(o) for o in p["via"]])
            }
        return _("Close in the collaboration network")
    if code == "trade":
        exports, imports = p.get("exporter_to_query") or [], p.get("importer_from_query") or []
        parts = []
        if exports:
            parts.append(
                _("%(country)s supplies HS %(codes)s, which your country imports")
                % {"country": names.country(p.get("country", "")), "codes": _join(exports)}
            )
        if imports:
            parts.append(
                _("your country supplies HS %(codes)s, which %(country)s imports")
                % {"country": names.country(p.get("country", "")), "codes": _join(imports)}
            )
        if parts:
            return _("Trade evidence: %(detail)s") % {"detail": "; ".join(parts)}
        return _("Works on the same products: HS %(codes)s") % {"codes": _join(list(p.get("hs4", ())))}
    if code == "text":
        concepts = [concept_label(c) for c in p.get("concepts", ())]
        if concepts:
            return _("Similar description, across languages: %(concepts)s") % {"concepts": _join(concepts)}
        return _("Similar wording in the description")
    if code == "kind":
        return _("%(kind)s meets your %(query_kind)s") % {
            "kind": kind_label(p.get("kind", "")),
            "query_kind": kind_label(p.get("query_kind", "")).lower(),
        }
    if code == "gap":
        helix, country = p.get("helix") or "", p.get("country") or ""
        if helix and country:
            return _("Fills the missing %(helix)s place and covers %(country)s, which no partner covers yet") % {
                "helix": helix_label(helix).lower(),
                "country": names.country(country),
            }
        if helix:
            return _("Fills the missing %(helix)s place") % {"helix": helix_label(helix).lower()}
        if country:
            return _("Covers %(country)s, which no partner covers yet") % {"country": names.country(country)}
        return _("Fills a gap in the partnership")
    if code == "activity":
        n = int(p.get("in_fields") or 0)
        if n:
            return ngettext(
                "Active in these fields: %(count)d earlier joint link",
                "Active in these fields: %(count)d earlier joint links",
                n,
            ) % {"count": n}
        n = int(p.get("count") or 0)
        return ngettext(
            "Active in the network: %(count)d earlier partner", "Active in the network: %(count)d earlier partners", n
        ) % {"count": n}
    return code


def gap_sentence(country: str, helix: str, names: Names) -> str:
    """A consortium slot nobody fills: "No Academia partner from Tajikistan yet"."""
    return _("No %(helix)s partner from %(country)s yet") % {
        "helix": helix_label(helix).lower(),
        "country": names.country(country),
    }
