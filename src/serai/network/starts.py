"""Starting points of partner matching, each turned into a matcher ``Query``: a profile, a project
(draft or running), a trade opportunity row, or a free query. The callers check that the viewer
may see the starting point; these functions only read what they are given."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from serai.core.i18n import TranslatedText

from .consortium import CORE_HELICES, Participant
from .matching import Entity, Query

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def language_of(text: str) -> str:
    """The content language a free text is most likely in (by its script)."""
    if HANGUL.search(text):
        return "ko"
    if CYRILLIC.search(text):
        return "ru"
    return "en"


def _texts(*values: Any) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for value in values:
        out.extend((lang, t) for lang, t in TranslatedText.coerce(value).values.items() if t)
    return tuple(out)


def query_for_entity(entity: Entity) -> Query:
    """An entity's own features as a query (its organisation left out of the results)."""
    return Query.from_entity(entity)


def query_for_profile(profile: Any) -> Query:
    """A profile (any status: the caller checked ``profile.view``) as a query. Reads its links:
    prefetch ``fields``, ``dac_sectors``, ``target_countries`` and ``organisation__member_state``."""
    org = profile.organisation
    return Query(
        fields=frozenset(f.code for f in profile.fields.all()),
        sectors=frozenset(s.code for s in profile.dac_sectors.all()),
        hs4=frozenset(profile.hs4 or ()),
        target_countries=frozenset(s.iso2 for s in profile.target_countries.all()),
        seeks_helix=frozenset(profile.seeks_helix or ()),
        texts=_texts(profile.title, profile.description),
        kind=profile.kind,
        country=org.country_code,
        helix=org.helix,
        org_id=org.pk,
        key=f"profile:{profile.pk}",
    )


def participants_of(project: Any) -> list[Participant]:
    """The project's participating organisations (prefetch ``participations__organisation__member_state``)."""
    seen: dict[int, Participant] = {}
    for pa in project.participations.all():
        org = pa.organisation
        seen.setdefault(org.pk, Participant(org.pk, org.country_code, org.helix))
    return list(seen.values())


def project_features(project: Any) -> dict[str, Any]:
    """Fields, DAC sectors, HS4 products, texts and countries of a project (prefetch ``sectors__field``,
    ``sectors__dac_sector`` and ``countries``)."""
    fields, sectors = set(), set()
    for share in project.sectors.all():
        fields.add(share.field.code)
        if share.dac_sector_id:
            sectors.add(share.dac_sector.code)
    hs4 = set()
    evidence = project.trade_evidence or {}
    if evidence.get("level") in ("hs6", "hs4") and str(evidence.get("code", "")).isdigit():
        hs4.add(str(evidence["code"])[:4])
    countries = [s.iso2 for s in sorted(project.countries.all(), key=lambda s: (not s.is_anchor, s.sort_order, s.pk))]
    return {
        "fields": frozenset(fields),
        "sectors": frozenset(sectors),
        "hs4": frozenset(hs4),
        "texts": _texts(project.title, project.summary, project.description),
        "countries": countries,
    }


def query_for_project(project: Any) -> Query:
    """Partners for a project: its features, seeking the core helices it does not have yet (all of
    them when it has every one), its participants as partners (earlier collaboration counts) and
    left out of the results."""
    features = project_features(project)
    participants = participants_of(project)
    present = {p.helix for p in participants}
    missing = frozenset(h for h in CORE_HELICES if h not in present) or frozenset(CORE_HELICES)
    orgs = frozenset(p.org_id for p in participants)
    return Query(
        fields=features["fields"],
        sectors=features["sectors"],
        hs4=features["hs4"],
        target_countries=frozenset(features["countries"]),
        seeks_helix=missing,
        texts=features["texts"],
        exclude_orgs=orgs,
        partner_orgs=orgs,
    )


def query_for_trade(*, countries: Iterable[str], level: str, code: str) -> Query:
    """Partners for an opportunity row (``countries``: ISO2 of the exporter's and the market's
    side): organisations of either side working on the product (its HS4) or the field."""
    fields = frozenset({code}) if level == "field" else frozenset()
    hs4 = frozenset({code[:4]}) if level in ("hs6", "hs4") else frozenset()
    return Query(fields=fields, hs4=hs4, target_countries=frozenset(countries))


def query_free(*, text: str = "", field: str = "", sector: str = "", hs4: str = "", helix: str = "") -> Query:
    """A free query: words in any language, and the codes given."""
    return Query(
        fields=frozenset({field} if field else ()),
        sectors=frozenset({sector} if sector else ()),
        hs4=frozenset({hs4} if hs4 else ()),
        seeks_helix=frozenset({helix} if helix else ()),
        texts=((language_of(text), text),) if text else (),
    )
