"""Reads for the public portal: the dashboard's figures and breakdowns, country and field pages,
and global search. Every read starts from a domain's permission-filtered query, so a visitor
never counts or finds what they may not see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from serai.core.i18n import TranslatedText
from serai.core.search import backend, excerpt
from serai.governance import queries as governance_queries
from serai.network import queries as network_queries
from serai.orgs import queries as org_queries
from serai.projects import queries as project_queries
from serai.projects.models import ProjectCountry, ProjectSector, Status
from serai.reference import queries as reference_queries

ACTIVE = (Status.ENDORSED, Status.IMPLEMENTATION, Status.SUSPENDED)
FINISHED = (Status.COMPLETED, Status.EVALUATED)


def project_groups(user: Any) -> list[tuple[str, Any, Any, int, Decimal | None]]:
    """The visible projects counted (and their USD budgets summed) by status, subcommittee and
    start year together — ``(status, subcommittee_id, year, projects, budget_usd)`` — in one
    query: the headline figures and the status, subcommittee and year breakdowns add these rows
    up instead of asking the database four times (a few dozen rows, where a breakdown's query
    costs more CPU to build than its rows to add)."""
    return list(
        project_queries.projects(user)
        .annotate(y=ExtractYear("planned_start"))
        .values_list("status", "subcommittee_id", "y")
        .annotate(n=Count("id"), usd=Sum("budget_usd"))
        .order_by()
    )


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    """SQL's SUM: None while every value is None."""
    return total if value is None else (value if total is None else total + value)


def headline(user: Any, groups: list | None = None, organisations: int | None = None) -> dict:
    """The dashboard's headline figures over the visible projects (from ``project_groups``, read
    here unless given) and the number of visible organisations (counted here unless given)."""
    groups = project_groups(user) if groups is None else groups
    figures: dict[str, Any] = {"projects": 0, "active": 0, "finished": 0, "budget_usd": None}
    for status, _subcommittee, _year, n, usd in groups:
        figures["projects"] += n
        figures["active"] += n if status in ACTIVE else 0
        figures["finished"] += n if status in FINISHED else 0
        if status not in (Status.DECLINED, Status.WITHDRAWN):
            figures["budget_usd"] = _add(figures["budget_usd"], usd)
    figures["organisations"] = org_queries.organisations(user).count() if organisations is None else organisations
    figures["sessions"] = governance_queries.forum_sessions(user).filter(status="held").count()
    return figures


@dataclass(frozen=True)
class Row:
    key: str
    label: Any
    projects: int
    budget_usd: Decimal | None
    colour: str = ""


BREAKDOWNS = {
    "field": _("Projects by cooperation field"),
    "subcommittee": _("Projects by subcommittee"),
    "status": _("Projects by status"),
    "year": _("Projects by start year"),
}


def breakdown(user: Any, by: str, *, groups: list | None = None, bodies: list | None = None) -> list[Row]:
    """Visible projects counted (and their USD budgets summed) by field, subcommittee, status or
    start year. A project with several fields counts once in each; its budget is shared out by
    the fields' percentages so the budgets add up. ``groups`` (``project_groups``) and ``bodies``
    may be given when the caller has them already."""
    if by == "field":
        rows = (
            ProjectSector.objects.filter(project__in=project_queries.projects(user).values("id"))
            .values("field__code", "field__name", "field__colour", "field__sort_order")
            .annotate(n=Count("project", distinct=True), usd=Sum(_share()))
            .order_by("field__sort_order")
        )
        return [
            Row(r["field__code"], TranslatedText.coerce(r["field__name"]), r["n"], r["usd"], r["field__colour"])
            for r in rows
        ]
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; known: {', '.join(BREAKDOWNS)}")
    column = {"status": 0, "subcommittee": 1, "year": 2}[by]
    counted: dict[Any, list] = {}
    for group in project_groups(user) if groups is None else groups:
        total = counted.setdefault(group[column], [0, None])
        total[0] += group[3]
        total[1] = _add(total[1], group[4])
    if by == "status":
        labels = dict(Status.choices)
        return [Row(s, labels[s], *counted[s]) for s in Status.values if s in counted]
    keys = sorted(counted, key=lambda k: (k is None, k or 0))  # ascending, none last
    if by == "subcommittee":
        names = {b.pk: b.name for b in (reference_queries.bodies(user) if bodies is None else bodies)}
        return [Row(str(k or ""), names.get(k, _("not assigned")), *counted[k]) for k in keys]
    return [Row(str(k or ""), k or _("no date"), *counted[k]) for k in keys]


def _share():
    """A project's USD budget times the field's share of it (NULL for a project without a budget)."""
    return ExpressionWrapper(
        F("project__budget_usd") * F("percentage") / 100, output_field=DecimalField(max_digits=18, decimal_places=2)
    )


MAP_METRICS = {"projects": _("Projects"), "budget": _("Budget (USD)"), "trade": _("Korea's trade intensity")}


def map_values(user: Any, metric: str, states: list | None = None) -> dict[str, float | None]:
    """Per member state (keyed by ISO numeric): visible projects, or their USD budget. ``states``:
    the visible member states, when the caller has them already."""
    states = {s.pk: s.iso_numeric for s in (reference_queries.member_states(user) if states is None else states)}
    rows = (
        ProjectCountry.objects.filter(project__in=project_queries.projects(user).values("id"))
        .values("member_state_id")
        .annotate(n=Count("project", distinct=True), usd=Sum("project__budget_usd"))
    )
    values: dict[str, float | None] = {num: 0.0 for num in states.values()}
    for r in rows:
        if r["member_state_id"] in states:
            values[states[r["member_state_id"]]] = float(r["usd"] or 0) if metric == "budget" else float(r["n"])
    return values


def country_projects(user: Any, state) -> dict:
    """A member state's visible projects: bilateral with the anchor (Korea) and multilateral, the
    number of each and their USD budget (one aggregate query)."""
    here = project_queries.projects(user).filter(country_links__member_state=state)
    rows = here.only("id", "code", "title", "status")  # what the lists show: no fields, no countries
    totals = here.aggregate(
        bilateral=Count("id", filter=Q(scope="bilateral")),
        multilateral=Count("id", filter=Q(scope="multilateral")),
        budget_usd=Sum("budget_usd"),
    )
    return {
        "bilateral": list(rows.filter(scope="bilateral")[:25]),
        "multilateral": list(rows.filter(scope="multilateral")[:25]),
        "counts": totals,
    }


def field_projects(user: Any, field) -> list:
    return list(project_queries.list_page(project_queries.projects(user).filter(sectors__field=field).distinct())[:50])


# --- global search -------------------------------------------------------------------------------
LANGUAGES = ("en", "ko", "ru")


def _translated(*names: str) -> list[str]:
    return [f"{name}__values__{lang}" for name in names for lang in LANGUAGES]


SEARCH_KINDS = {
    "projects": _("Projects"),
    "profiles": _("Cooperation profiles"),
    "organisations": _("Organisations"),
    "meetings": _("Meetings"),
    "decisions": _("Decisions"),
    "documents": _("Documents"),
}


# the translated fields a result's snippet is cut from, in this order
SNIPPET_FIELDS = {
    "projects": ("title", "summary", "description"),
    "profiles": ("title", "description"),
    "organisations": ("name", "description"),
    "meetings": ("theme", "summary", "host_city"),
    "decisions": ("text",),
    "documents": ("title",),
}


def _snippet(item, names: tuple[str, ...], text: str) -> tuple[str, str]:
    """The first excerpt around a match in ``names`` (the reader's language first) and its language."""
    reader = get_language()
    for name in names:
        values = getattr(getattr(item, name, None), "values", None) or {}
        for lang in sorted(values, key=lambda code: code != reader):
            html = excerpt(values[lang], text)
            if html:
                return html, lang
    return "", ""


def search(user: Any, text: str, *, per_kind: int = 10) -> dict[str, dict]:
    """Projects, organisations, meetings, decisions and documents matching ``text`` in any of the
    three languages, grouped by kind, each group limited to ``per_kind`` with its total; each
    item carries ``snippet`` (escaped, the match in ``<mark>``; '' if none) and ``snippet_lang``."""
    engine = backend()
    groups = {
        # the list page defers the long texts; the snippet reads them (for at most per_kind + 1 rows)
        "projects": project_queries.list_page(
            project_queries.filtered(user, project_queries.Filters(q=text[:200]))
        ).defer(None),
        # published, still valid cooperation profiles (the network's public list)
        "profiles": network_queries.for_list(network_queries.filtered(user, network_queries.Filters(q=text[:200]))),
        "organisations": engine.search_fields(
            org_queries.organisations(user), text, [*_translated("name", "description"), "acronym"]
        ),
        "meetings": engine.search_fields(
            governance_queries.meetings(user), text, _translated("theme", "host_city", "summary")
        ),
        "decisions": engine.search_fields(governance_queries.decisions(user), text, _translated("text")),
        "documents": engine.search_fields(
            governance_queries.documents(user), text, [*_translated("title"), "filename"]
        ),
    }
    out = {}
    for kind, qs in groups.items():
        items = list(qs[: per_kind + 1]) if text.strip() else []
        for item in items:
            item.snippet, item.snippet_lang = _snippet(item, SNIPPET_FIELDS[kind], text)
        out[kind] = {"label": SEARCH_KINDS[kind], "items": items[:per_kind], "more": len(items) > per_kind}
    return out


def country_page(user: Any, state) -> dict:
    """What a member state's page adds to the reference page: projects (bilateral with Korea and
    multilateral), trade with Korea when loaded, the landscape of other donors when imported, its
    focal points and the actions it owns."""
    from serai.access import permissions
    from serai.evidence import queries as evidence_queries
    from serai.iati import queries as iati_queries
    from serai.people import queries as people_queries

    trade = None
    ctx = evidence_queries.context(None, None)
    if ctx is not None and not state.is_anchor and state.iso3 in evidence_queries.PARTNERS:
        row = next((r for r in evidence_queries.overview(ctx) if r["iso3"] == state.iso3), None)
        trade = {"year": ctx.year, "row": row, "synthetic": ctx.synthetic, "dataset": ctx.dataset}
    landscape = None
    if permissions.can(user, "landscape.view"):
        activities = iati_queries.filtered_landscape(user, country=state.iso2)
        landscape = activities.aggregate(n=Count("id"), donors=Count("reporting_org_ref", distinct=True))
        landscape["top"] = list(activities.values("reporting_org_name").annotate(n=Count("id")).order_by("-n")[:5])
    projects = country_projects(user, state)
    return {
        "projects": projects,
        "trade": trade,
        "landscape": landscape,
        "focal_points": list(
            people_queries.people(user)
            .filter(user__serai_roles__role="focal_point", user__serai_roles__member_state=state)
            .distinct()
        ),
        "actions": list(
            governance_queries.action_tracker(user).filter(owner_country=state, status__in=("open", "in_progress"))[:20]
        ),
        "budget_usd": projects["counts"]["budget_usd"],
    }
