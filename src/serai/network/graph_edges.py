"""The collaboration graph's nodes and edges, read from the other domains through their queries
(so a viewer only ever sees what they may see), for :mod:`serai.network.graph`.

Nodes: every organisation (the registry is public) and the people the viewer may see
(``people.queries.people``). Edges, each with its evidence and years:

* ``project`` — organisations taking part in the same project, among the projects the viewer may
  see (``projects.queries.projects``: the public sees endorsed projects only). Years: the project's
  start to end (actual, else planned); evidence ``project:<id>``.
* ``cofunding`` — two funders of the same visible project (funding participations and funding
  sources naming an organisation), evidence ``project:<id>``; and two funders (role 1) of the same
  IATI landscape activity, matched to the registry by IATI organisation identifier, evidence
  ``iati:<identifier>`` — only for viewers who may see the landscape (``iati.queries.landscape``).
* ``delegation`` — people (or, for someone the viewer may not see, their organisation when the
  viewer may see it named) who came to the same meeting the viewer may see
  (``governance.queries.meetings``): attendance *attended*, *attended online* or *confirmed*.
  The public sees a person only if listed publicly, and an organisation only where it came as its
  own delegation (as the meeting page shows). Year: the meeting's; evidence ``meeting:<id>``.
* ``body`` — people seated on the same body with overlapping terms (a hidden person stands as the
  organisation they represent, which the body page shows). Years: the overlap; evidence ``body:<id>``.
* ``introduction`` — the two organisations of an accepted introduction the viewer may see
  (``network.queries.introductions``: the Secretariat and the organisations' editors). Year: of
  the decision; evidence ``introduction:<id>``.

The queries are a fixed number whatever the size (one per source, and two for the nodes).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from serai.access import permissions

from .graph import Edge, Node

PRESENT = ("attended", "online", "confirmed")


def org_key(pk: int) -> str:
    return f"org:{pk}"


def person_key(pk: int) -> str:
    return f"person:{pk}"


def nodes(user: Any) -> tuple[list[Node], dict[str, str]]:
    """The organisations and the people ``user`` may see, and each node's label (in the active language)."""
    from serai.orgs import queries as org_queries
    from serai.people import queries as people_queries

    out: list[Node] = []
    labels: dict[str, str] = {}
    org_info: dict[int, tuple[str, str]] = {}
    for org in org_queries.organisations(user):
        key = org_key(org.pk)
        country = org.member_state.iso2 if org.member_state_id else org.other_country
        org_info[org.pk] = (country, org.helix)
        out.append(Node(key, "organisation", country, org.helix, frozenset(f.code for f in org.fields.all())))
        labels[key] = str(org)
    for person in people_queries.people(user).prefetch_related("fields"):
        key = person_key(person.pk)
        org_country, helix = org_info.get(person.organisation_id, ("", ""))
        country = person.member_state.iso2 if person.member_state_id else org_country
        out.append(Node(key, "person", country, helix, frozenset(f.code for f in person.fields.all())))
        labels[key] = str(person)
    return out, labels


def _span(start, end) -> tuple[int, int] | None:
    first = start.year if start else (end.year if end else None)
    if first is None:
        return None
    last = end.year if end else first
    return (min(first, last), max(first, last))


def _pairs(members: Iterable[str], kind: str, years, ref: str) -> Iterable[Edge]:
    for a, b in itertools.combinations(sorted(set(members)), 2):
        yield Edge(a, b, kind, years, (ref,))


def project_edges(user: Any) -> list[Edge]:
    from serai.projects import queries as project_queries
    from serai.projects.models import FundingSource, Participation, ParticipationRole

    visible = project_queries.projects(user)
    span: dict[int, tuple[int, int] | None] = {}
    members: dict[int, set[str]] = defaultdict(set)
    funders: dict[int, set[str]] = defaultdict(set)
    rows = (
        Participation.objects.filter(project__in=visible.values("pk"))
        .values_list(
            "project_id",
            "organisation_id",
            "role",
            "project__actual_start",
            "project__planned_start",
            "project__actual_end",
            "project__planned_end",
        )
        .order_by()
    )
    for project, org, role, a_start, p_start, a_end, p_end in rows:
        members[project].add(org_key(org))
        if role == ParticipationRole.FUNDING:
            funders[project].add(org_key(org))
        span.setdefault(project, _span(a_start or p_start, a_end or p_end))
    for project, org, a_start, p_start, a_end, p_end in (
        FundingSource.objects.filter(project__in=visible.values("pk"), organisation__isnull=False)
        .values_list(
            "project_id",
            "organisation_id",
            "project__actual_start",
            "project__planned_start",
            "project__actual_end",
            "project__planned_end",
        )
        .order_by()
    ):
        funders[project].add(org_key(org))
        span.setdefault(project, _span(a_start or p_start, a_end or p_end))
    edges: list[Edge] = []
    for project, orgs in members.items():
        edges.extend(_pairs(orgs, "project", span[project], f"project:{project}"))
    for project, orgs in funders.items():
        edges.extend(_pairs(orgs, "cofunding", span[project], f"project:{project}"))
    return edges


def landscape_edges(user: Any) -> list[Edge]:
    from serai.iati import queries as iati_queries
    from serai.orgs.models import Organisation

    activities = list(iati_queries.landscape(user).values_list("identifier", "participating_orgs", "start", "end"))
    if not activities:
        return []
    by_ref = {
        ref.strip().lower(): pk
        for pk, ref in Organisation.objects.exclude(iati_identifier="").values_list("pk", "iati_identifier")
    }
    edges: list[Edge] = []
    for identifier, orgs, start, end in activities:
        funders = {
            org_key(by_ref[ref])
            for o in (orgs or [])
            if isinstance(o, dict)
            and str(o.get("role")) == "1"
            and (ref := str(o.get("ref") or "").strip().lower()) in by_ref
        }
        edges.extend(_pairs(funders, "cofunding", _span(start, end), f"iati:{identifier}"))
    return edges


def delegation_edges(user: Any, visible_people: set[int]) -> list[Edge]:
    from serai.governance import queries as governance_queries
    from serai.governance.models import Participant

    named = permissions.can(user, "participant.view")
    present: dict[int, set[str]] = defaultdict(set)
    years: dict[int, int] = {}
    rows = (
        Participant.objects.filter(meeting__in=governance_queries.meetings(user).values("pk"), attendance__in=PRESENT)
        .values_list("meeting_id", "meeting__year", "person_id", "organisation_id", "country_id")
        .order_by()
    )
    for meeting, year, person, org, country in rows:
        years[meeting] = year
        if person is not None and person in visible_people:
            present[meeting].add(person_key(person))
        elif org is not None and (named or country is None):
            present[meeting].add(org_key(org))
    edges: list[Edge] = []
    for meeting, members in present.items():
        edges.extend(_pairs(members, "delegation", (years[meeting], years[meeting]), f"meeting:{meeting}"))
    return edges


def body_edges(user: Any, visible_people: set[int]) -> list[Edge]:
    from serai.governance.models import Membership

    this_year = timezone.localdate().year
    seats: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for body, person, org, start, end in Membership.objects.values_list(
        "body_id", "person_id", "organisation_id", "start_date", "end_date"
    ).order_by():
        if person in visible_people:
            key = person_key(person)
        elif org is not None:
            key = org_key(org)
        else:
            continue
        seats[body].append((key, start.year, end.year if end else max(this_year, start.year)))
    edges: list[Edge] = []
    for body, rows in seats.items():
        for (a, a0, a1), (b, b0, b1) in itertools.combinations(rows, 2):
            first, last = max(a0, b0), min(a1, b1)
            if a != b and first <= last:
                edges.append(Edge(a, b, "body", (first, last), (f"body:{body}",)))
    return edges


def introduction_edges(user: Any) -> list[Edge]:
    from .models import IntroductionStatus
    from .queries import introductions

    edges = []
    for pk, requester, owner, decided in (
        introductions(user)
        .filter(status=IntroductionStatus.ACCEPTED)
        .values_list("pk", "requester_org_id", "profile__organisation_id", "decided_at")
        .order_by()
    ):
        if requester != owner:
            year = (decided or timezone.now()).year
            edges.append(
                Edge(org_key(requester), org_key(owner), "introduction", (year, year), (f"introduction:{pk}",))
            )
    return edges


def collect(user: Any) -> tuple[list[Node], list[Edge], dict[str, str]]:
    """Every node and edge ``user`` may see, and the nodes' labels."""
    node_list, labels = nodes(user)
    visible_people = {int(n.id.split(":", 1)[1]) for n in node_list if n.kind == "person"}
    edges = (
        project_edges(user)
        + landscape_edges(user)
        + delegation_edges(user, visible_people)
        + body_edges(user, visible_people)
        + introduction_edges(user)
    )
    return node_list, edges, labels
