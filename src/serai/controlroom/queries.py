"""Reads of the control room, filtered by its permission rules (``controlroom.project``,
``controlroom.action``): every project and action for the Secretariat, a focal point's countries'
rows only. Each read runs a constant number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serai.access import permissions
from serai.governance import queries as governance_queries
from serai.governance.models import OPEN_ACTION_STATUSES, ActionItem, ActionStatus, Meeting
from serai.projects import workflow
from serai.projects.models import Project, ProjectSector, ProjectTransition, Status
from serai.reference.models import Body, MemberState

S = Status

# The board's columns, in the order a project moves; the closed statuses are drop zones with a count.
COLUMNS = (
    S.IDEA,
    S.SUBMITTED,
    S.SCREENING,
    S.APPRAISAL,
    S.RETURNED,
    S.RECOMMENDED,
    S.ENDORSED,
    S.IMPLEMENTATION,
    S.SUSPENDED,
    S.COMPLETED,
)
CLOSED = (S.DECLINED, S.WITHDRAWN, S.EVALUATED)
# Moves out of the way forward: never "the next required act".
EXITS = (S.RETURNED, S.DECLINED, S.WITHDRAWN, S.SUSPENDED)

# Who owes a transition, by the permission rule that decides who may fire it.
OWERS = {
    "project.move_as_proponent": "proponents",
    "project.steer": "secretariat",
    "project.appraise": "subcommittee",
    "project.implement": "editors",
}
# The same for a machine that still names a function instead of a rule.
_LEGACY_WHO = {
    "_proponent": "project.move_as_proponent",
    "_secretariat": "project.steer",
    "_appraiser": "project.appraise",
    "_manager": "project.implement",
}


def rule_of(transition) -> str:
    """The permission rule that decides who fires ``transition``."""
    rule = getattr(transition, "rule", None)
    if rule:
        return rule
    return _LEGACY_WHO.get(getattr(getattr(transition, "who", None), "__name__", ""), "")


def transition_to(project: Project, target: str):
    """The declared transition from the project's status to ``target``, or None."""
    for transition in workflow.MACHINE.transitions:
        if project.status in transition.sources and transition.target == target:
            return transition
    return None


# --- the pipeline board ----------------------------------------------------------------------------
@dataclass
class BoardFilters:
    country: str = ""  # ISO 3166 alpha-2
    field: str = ""  # a cooperation field's code
    subcommittee: str = ""  # a subcommittee's code

    @classmethod
    def of(cls, cleaned: dict) -> BoardFilters:
        return cls(**{k: v or "" for k, v in cleaned.items() if k in cls.__dataclass_fields__})

    @property
    def active(self) -> bool:
        return bool(self.country or self.field or self.subcommittee)


@dataclass
class NextAct:
    label: Any
    owed_by: str


@dataclass
class Card:
    project: Project
    since: dt.datetime
    days: int
    next_acts: list[NextAct]
    transitions: list


@dataclass
class Column:
    status: str
    label: Any
    cards: list[Card] = field(default_factory=list)
    closed: bool = False
    count: int = 0


def board_projects(user: Any, f: BoardFilters) -> QuerySet[Project]:
    """The projects the user sees on the board, filtered."""
    qs = Project.objects.filter(permissions.controlroom_project_q(user))
    if f.country:
        qs = qs.filter(country_links__member_state__iso2=f.country)
    if f.field:
        qs = qs.filter(pk__in=ProjectSector.objects.filter(field__code=f.field).values("project_id"))
    if f.subcommittee:
        qs = qs.filter(subcommittee__code=f.subcommittee)
    return qs


def _owed_by(transition, project: Project, next_forum: Meeting | None) -> str:
    if transition.needs_meeting:
        if next_forum is None:
            return _("the Forum at its next session (none is planned yet)")
        return _("the Forum at its next session (%(session)s)") % {"session": next_forum}
    who = OWERS.get(rule_of(transition), "")
    if who == "secretariat":
        return _("the Secretariat")
    if who == "subcommittee":
        if project.subcommittee is None:
            return _("the subcommittee (none chosen yet)")
        return _("the %(body)s") % {"body": project.subcommittee.name}
    if who == "editors":
        return _("the project's editors")
    if who == "proponents":
        countries = ", ".join(str(c.name) for c in project.countries.all()) or "—"
        return _("the proponents: the project's editors and the focal points of %(countries)s") % {
            "countries": countries
        }
    return "—"


def next_acts(project: Project, next_forum: Meeting | None) -> list[NextAct]:
    """What must happen next for the project to move on, and who owes it: the machine's forward
    transitions from its status (not a return, decline, withdrawal or suspension)."""
    return [
        NextAct(t.label, _owed_by(t, project, next_forum))
        for t in workflow.MACHINE.transitions
        if project.status in t.sources and t.target not in EXITS
    ]


def board(user: Any, f: BoardFilters) -> list[Column]:
    """The board's columns with their cards: age in the status (since the last transition, or
    since the project was created), the next act and who owes it, and the transitions the user
    may fire. Constant queries: the projects with their countries, editors and subcommittee, the
    closed counts and the next Forum session."""
    last_move = ProjectTransition.objects.filter(project=OuterRef("pk")).order_by("-at", "-id").values("at")[:1]
    qs = board_projects(user, f)
    projects = list(
        qs.exclude(status__in=CLOSED)
        .annotate(since=Coalesce(Subquery(last_move), F("created_at")))
        .select_related("subcommittee")
        .prefetch_related(Prefetch("countries", queryset=MemberState.objects.order_by("sort_order")), "editors")
        .defer("summary", "description", "search_document", "trade_evidence", "tags")
        .order_by("since", "id")
    )
    closed = dict(qs.filter(status__in=CLOSED).values_list("status").annotate(n=Count("id")).order_by())
    next_forum = governance_queries.next_meeting(user, body_kind="forum")
    now = timezone.now()
    columns = {status: Column(status, Status(status).label) for status in COLUMNS}
    for status in CLOSED:
        columns[status] = Column(status, Status(status).label, closed=True, count=closed.get(status, 0))
    for project in projects:
        since = project.since
        columns[project.status].cards.append(
            Card(
                project=project,
                since=since,
                days=max(0, (now - since).days),
                next_acts=next_acts(project, next_forum),
                transitions=workflow.available(user, project),
            )
        )
    for column in columns.values():
        if not column.closed:
            column.count = len(column.cards)
    return list(columns.values())


# --- action completion -------------------------------------------------------------------------------
def actions(user: Any) -> QuerySet[ActionItem]:
    """The action items the user sees in the completion figures."""
    if not permissions.can(user, "controlroom.view"):
        return ActionItem.objects.none()
    return ActionItem.objects.filter(permissions.controlroom_action_q(user))


@dataclass
class Rate:
    key: str
    label: Any
    total: int = 0
    done: int = 0
    dropped: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def counted(self) -> int:
        """Actions that count: dropped ones are left out."""
        return self.total - self.dropped

    @property
    def rate(self) -> float | None:
        """The share done, in per cent (None when no action counts)."""
        return round(100 * self.done / self.counted, 1) if self.counted else None

    def add(self, other: Rate) -> None:
        for name in ("total", "done", "dropped", "open", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTS = {
    "total": Count("id"),
    "done": Count("id", filter=Q(status=ActionStatus.DONE)),
    "dropped": Count("id", filter=Q(status=ActionStatus.DROPPED)),
    "open": Count("id", filter=Q(status__in=OPEN_ACTION_STATUSES)),
}


def _grouped(qs: QuerySet[ActionItem], key: str) -> dict[Any, dict]:
    """Counts per ``key``; overdue as the action items' own predicate says (``.overdue()``)."""
    rows = {row[key]: {**row, "overdue": 0} for row in qs.values(key).annotate(**COUNTS).order_by()}
    for value, n in qs.overdue().values_list(key).annotate(n=Count("id")).order_by():
        rows[value]["overdue"] = n
    return rows


def _rate(key: str, label: Any, row: dict) -> Rate:
    return Rate(key, label, **{k: row[k] for k in ("total", "done", "dropped", "open", "overdue")})


NO_COUNTRY = gettext_lazy("No country")


def by_country(qs: QuerySet[ActionItem]) -> list[Rate]:
    """Per country the action is owed for (its owner country, or its organisation's or person's)."""
    rows = _grouped(
        qs.annotate(
            country=Coalesce("owner_country_id", "owner_organisation__member_state_id", "owner_person__member_state_id")
        ),
        "country",
    )
    states = MemberState.objects.filter(pk__in=[k for k in rows if k is not None]).order_by("sort_order")
    out = [_rate(s.iso2, s.name, rows[s.pk]) for s in states]
    if None in rows:
        out.append(_rate("", NO_COUNTRY, rows[None]))
    return out


def by_body(qs: QuerySet[ActionItem]) -> list[Rate]:
    rows = _grouped(qs, "meeting__body_id")
    return [_rate(b.code, b.name, rows[b.pk]) for b in Body.objects.filter(pk__in=rows).order_by("sort_order", "id")]


def _meeting_key(meeting: Meeting) -> dt.date:
    return meeting.start_date or dt.date(meeting.year, 7, 1)


def by_meeting(qs: QuerySet[ActionItem]) -> tuple[list[Rate], list[Meeting]]:
    """Per meeting the actions were agreed at, oldest first (and the meetings, in the same order)."""
    rows = _grouped(qs, "meeting_id")
    meetings = sorted(Meeting.objects.filter(pk__in=rows).select_related("body"), key=lambda m: (_meeting_key(m), m.pk))
    return [_rate(str(m.pk), str(m), rows[m.pk]) for m in meetings], meetings


def trend(user: Any, meeting_rates: list[Rate], meetings: list[Meeting]) -> list[Rate]:
    """Completion over the Forum's sessions: each session's cycle gathers the actions agreed at the
    meetings after the previous session up to it (the session included); meetings after the last
    session make a last point. Oldest first."""
    sessions = sorted(
        governance_queries.forum_sessions(user).exclude(status="cancelled"), key=lambda m: (_meeting_key(m), m.pk)
    )
    points = [Rate(str(s.pk), str(s)) for s in sessions]
    after_last = Rate("", gettext_lazy("Since the last session"))
    for rate, meeting in zip(meeting_rates, meetings, strict=True):
        key = _meeting_key(meeting)
        index = next((i for i, s in enumerate(sessions) if (key, meeting.pk) <= (_meeting_key(s), s.pk)), None)
        (points[index] if index is not None else after_last).add(rate)
    points = [p for p in points if p.total]
    if after_last.total:
        points.append(after_last)
    return points


@dataclass
class OwnerOverdue:
    key: str
    kind: Any
    owner: Any
    actions: list[ActionItem]

    @property
    def count(self) -> int:
        return len(self.actions)

    @property
    def oldest_due(self) -> dt.date:
        return min(a.due_date for a in self.actions)


OWNER_KINDS = {
    "country": gettext_lazy("Country"),
    "organisation": gettext_lazy("Organisation"),
    "person": gettext_lazy("Person"),
}


def overdue_by_owner(qs: QuerySet[ActionItem]) -> list[OwnerOverdue]:
    """Overdue actions grouped by their owner, most first (one query)."""
    groups: dict[str, OwnerOverdue] = {}
    rows = (
        qs.overdue()
        .select_related("owner_country", "owner_organisation", "owner_person", "meeting", "meeting__body")
        .order_by("due_date", "id")
    )
    for action in rows:
        if action.owner_country_id:
            kind, owner = "country", action.owner_country
        elif action.owner_organisation_id:
            kind, owner = "organisation", action.owner_organisation
        else:
            kind, owner = "person", action.owner_person
        key = f"{kind}-{owner.pk}"
        groups.setdefault(key, OwnerOverdue(key, OWNER_KINDS[kind], owner, [])).actions.append(action)
    return sorted(groups.values(), key=lambda g: (-g.count, g.oldest_due, g.key))


@dataclass
class Completion:
    country: list[Rate]
    body: list[Rate]
    meeting: list[Rate]
    session: list[Rate]
    owner: list[OwnerOverdue]
    total: Rate


def completion(user: Any) -> Completion:
    qs = actions(user)
    meeting_rates, meetings = by_meeting(qs)
    total = Rate("", gettext_lazy("In total"))
    for rate in meeting_rates:
        total.add(rate)
    return Completion(
        country=by_country(qs),
        body=by_body(qs),
        meeting=meeting_rates,
        session=trend(user, meeting_rates, meetings),
        owner=overdue_by_owner(qs),
        total=total,
    )


# --- agenda editing --------------------------------------------------------------------------------
def agenda_tree(meeting: Meeting) -> list[tuple[Any, int, bool, bool]]:
    """The agenda in order: (item, depth, first of its level, last of its level); each item gets
    its hierarchical ``numbering`` (2., 2.1.). One query."""
    from serai.governance.models import AgendaItem

    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
    children: dict[int | None, list] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    out: list[tuple[Any, int, bool, bool]] = []

    def walk(parent_id, depth, prefix):
        level = children.get(parent_id, [])
        for n, item in enumerate(level, start=1):
            item.numbering = f"{prefix}{n}."
            out.append((item, depth, n == 1, n == len(level)))
            walk(item.pk, depth + 1, item.numbering)

    walk(None, 0, "")
    return out


def agenda_position(item) -> tuple[int, int]:
    """The item's place among the items of its level (0 first) and how many there are."""
    from serai.governance.models import AgendaItem

    level = list(
        AgendaItem.objects.filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    return level.index(item.pk), len(level)
