"""The matcher's index, built from the database and kept in this process until the data changes.

What goes in (all of it what an anonymous visitor may see, so one index serves every viewer and no
result can show a viewer something the permission module hides from them):

* every organisation of the registry (the registry is public: rule ``organisation.view``), as an
  entity ``org:<id>`` with its fields of work, name and description in every language, the DAC
  sectors and HS4 products of its public profiles, and the working languages of its people whose
  expertise is listed (consent);
* every profile the public may see (``permissions.profile_visibility_q`` of an anonymous user:
  published and still valid), as an entity ``profile:<id>``;
* collaborations: co-participation in projects the public may see
  (``permissions.project_visibility_q`` of an anonymous user), one pair per project with the
  year it started (or was created);
* supply / demand HS4 per country from the trade evidence (``serai.evidence.queries``, the web
  layer's door into ``serai.trade``): for Korea and each Central Asian state in both directions,
  the HS4 groups of the untapped-potential ranking — the exporter supplies them with RCA > 1 and
  the market imports them. None when no bilateral trade data is loaded.

**Cache.** The index is rebuilt only when its key changes: the content version
(:func:`serai.core.pagecache.content_version`, the newest audit entry that may change a public
page — every write is audited, so no invalidation code to forget), today's date (a profile's
validity ends without a write) and the trade data load. Reading the key costs one query.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from serai.access import permissions
from serai.core.i18n import TranslatedText

from .matching import Entity, MatchIndex

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {"key": None, "index": None}
T = TypeVar("T")

# How many HS4 groups of each direction's untapped ranking count as "supplied" / "in demand".
TRADE_TOP = 150


def _texts(*values: Any) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for value in values:
        text = TranslatedText.coerce(value)
        out.extend((lang, t) for lang, t in text.values.items() if t)
    return tuple(out)


def public_profiles():
    """The profiles an anonymous visitor may see (the permission module's own filter)."""
    from .models import CooperationProfile

    return CooperationProfile.objects.filter(permissions.profile_visibility_q(AnonymousUser()))


def _collaborations() -> list[tuple[int, int, str, int]]:
    from serai.projects.models import Participation, Project

    public = Project.objects.filter(permissions.project_visibility_q(AnonymousUser()))
    rows = (
        Participation.objects.filter(project__in=public)
        .values_list(
            "project_id", "organisation_id", "project__actual_start", "project__planned_start", "project__created_at"
        )
        .order_by("project_id")
    )
    members: dict[int, set[int]] = defaultdict(set)
    years: dict[int, int] = {}
    for project, org, actual, planned, created in rows:
        members[project].add(org)
        start = actual or planned or created
        years[project] = start.year if start else 0
    out = []
    for project, orgs in members.items():
        ordered = sorted(orgs)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                out.append((a, b, "project", years[project]))
    return out


def trade_sides() -> tuple[dict[str, frozenset[str]] | None, dict[str, frozenset[str]] | None, str]:
    """(supply, demand, the data load's key) from the loaded bilateral trade data, or (None, None, "")."""
    from serai.evidence import queries as evidence
    from serai.reference.models import MemberState
    from serai.trade.codes import CENTRAL_ASIA, KOREA
    from serai.trade.errors import TradeError

    try:
        ctx = evidence.context()
        if ctx is None:
            return None, None, ""
        iso2 = dict(MemberState.objects.values_list("iso3", "iso2"))
        supply: dict[str, set[str]] = defaultdict(set)
        demand: dict[str, set[str]] = defaultdict(set)
        for partner in CENTRAL_ASIA:
            if not evidence.covers(ctx, partner):
                continue
            for exporter, market in ((KOREA, partner), (partner, KOREA)):
                ranking = evidence.ranking(ctx, exporter, market, level="hs4", field=None, top=TRADE_TOP)
                codes = {str(r["code"]).zfill(4) for r in ranking.rows}
                supply[iso2.get(exporter, exporter[:2])] |= codes
                demand[iso2.get(market, market[:2])] |= codes
    except (TradeError, OSError, ValueError, KeyError):
        return None, None, ""
    return ({k: frozenset(v) for k, v in supply.items()}, {k: frozenset(v) for k, v in demand.items()}, str(ctx.key))


def entities() -> list[Entity]:
    """Every organisation and public profile as matcher entities (a fixed number of queries)."""
    from serai.orgs.models import Organisation

    from .models import CooperationProfile, Expertise

    org_fields: dict[int, set[str]] = defaultdict(set)
    for org, code in Organisation.fields.through.objects.values_list("organisation_id", "cooperationfield__code"):
        org_fields[org].add(code)
    languages: dict[int, set[str]] = defaultdict(set)
    for org, langs in Expertise.objects.filter(listed=True, person__organisation__isnull=False).values_list(
        "person__organisation_id", "languages"
    ):
        languages[org].update(langs or ())

    profiles = public_profiles()
    through = CooperationProfile.fields.through.objects.filter(cooperationprofile__in=profiles)
    p_fields: dict[int, set[str]] = defaultdict(set)
    for pid, code in through.values_list("cooperationprofile_id", "cooperationfield__code"):
        p_fields[pid].add(code)
    p_sectors: dict[int, set[str]] = defaultdict(set)
    for pid, code in CooperationProfile.dac_sectors.through.objects.filter(cooperationprofile__in=profiles).values_list(
        "cooperationprofile_id", "dacsector__code"
    ):
        p_sectors[pid].add(code)
    p_targets: dict[int, set[str]] = defaultdict(set)
    for pid, code in CooperationProfile.target_countries.through.objects.filter(
        cooperationprofile__in=profiles
    ).values_list("cooperationprofile_id", "memberstate__iso2"):
        p_targets[pid].add(code)

    orgs = {}
    for oid, helix, ms_iso2, other, name, description in Organisation.objects.values_list(
        "id", "helix", "member_state__iso2", "other_country", "name", "description"
    ).order_by("id"):
        orgs[oid] = (helix, ms_iso2 or other or "", name, description)

    org_sectors: dict[int, set[str]] = defaultdict(set)
    org_hs4: dict[int, set[str]] = defaultdict(set)
    out: list[Entity] = []
    for pid, oid, kind, title, description, hs4, seeks in profiles.values_list(
        "id", "organisation_id", "kind", "title", "description", "hs4", "seeks_helix"
    ).order_by("id"):
        if oid not in orgs:
            continue
        helix, country, _name, _desc = orgs[oid]
        sectors = frozenset(p_sectors.get(pid, ()))
        products = frozenset(hs4 or ())
        org_sectors[oid] |= sectors
        org_hs4[oid] |= products
        out.append(
            Entity(
                key=f"profile:{pid}",
                org_id=oid,
                country=country,
                helix=helix,
                fields=frozenset(p_fields.get(pid, ())),
                sectors=sectors,
                hs4=products,
                target_countries=frozenset(p_targets.get(pid, ())),
                seeks_helix=frozenset(seeks or ()),
                languages=frozenset(languages.get(oid, ())),
                texts=_texts(title, description),
                kind=kind,
            )
        )
    for oid, (helix, country, name, description) in orgs.items():
        out.append(
            Entity(
                key=f"org:{oid}",
                org_id=oid,
                country=country,
                helix=helix,
                fields=frozenset(org_fields.get(oid, ())),
                sectors=frozenset(org_sectors.get(oid, ())),
                hs4=frozenset(org_hs4.get(oid, ())),
                target_countries=frozenset(),
                seeks_helix=frozenset(),
                languages=frozenset(languages.get(oid, ())),
                texts=_texts(name, description),
                kind="",
            )
        )
    return out


def build_index(*, trade: bool = True, timings: dict | None = None) -> MatchIndex:
    """A fresh index from the database (no cache); ``timings`` (if given) receives the seconds
    spent reading entities, collaborations and trade evidence, and building."""
    clock = time.perf_counter
    t0 = clock()
    ents = entities()
    t1 = clock()
    collaborations = _collaborations()
    t2 = clock()
    supply, demand, _key = trade_sides() if trade else (None, None, "")
    t3 = clock()
    index = MatchIndex.build(ents, collaborations, supply=supply, demand=demand)
    if timings is not None:
        timings.update(
            entities=t1 - t0,
            collaborations=t2 - t1,
            trade=t3 - t2,
            build=clock() - t3,
            n_entities=len(ents),
            n_collaborations=len(collaborations),
        )
    return index


def _trade_load() -> str:
    """The loaded trade data's key ("" without data): a new load is not an audited write."""
    from serai.evidence import queries as evidence
    from serai.trade.errors import TradeError

    try:
        ctx = evidence.context()
    except (TradeError, OSError, ValueError):
        return ""
    return str(ctx.key) if ctx is not None else ""


def cache_key() -> tuple:
    from serai.core.pagecache import content_version

    return (content_version(), timezone.localdate().isoformat(), _trade_load())


def get_index(*, timings: dict | None = None) -> MatchIndex:
    """The process's index, rebuilt when the content version or the date moved (one query when fresh)."""
    key = cache_key()
    with _LOCK:
        if _CACHE["key"] == key and _CACHE["index"] is not None:
            return _CACHE["index"]
        index = build_index(timings=timings)
        _CACHE["key"], _CACHE["index"] = key, index
        return index


def forget() -> None:
    """Drop the cached index (tests; a bench that wrote rows without an audit entry)."""
    with _LOCK:
        _CACHE["key"] = _CACHE["index"] = None
        _CACHE.pop("memo", None)


# How many results computed from one index :func:`remembered` keeps (a bound on memory).
MEMO_SIZE = 5000


def remembered(name: tuple, compute: Callable[[MatchIndex], T]) -> T:
    """``compute(index)`` for the current index, kept in this process until the index is rebuilt
    (so until the content version, the date or the trade load moves: the same key as the index).

    For results that depend only on the index and on audited rows (e.g. a matchmaking event's
    participants): every write to those moves the content version, which builds a new index and
    drops everything remembered with the old one. ``name`` must name every other input of
    ``compute``. Nothing private may go in: the value is shared by every viewer."""
    index = get_index()
    with _LOCK:
        memo = _CACHE.get("memo")
        if memo is None or memo[0] is not index:
            memo = _CACHE["memo"] = (index, {})
        if name in memo[1]:
            return memo[1][name]
    value = compute(index)
    with _LOCK:
        if memo[0] is _CACHE["index"] and len(memo[1]) < MEMO_SIZE:
            memo[1][name] = value
    return value
