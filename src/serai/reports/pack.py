"""What a session briefing pack and a meeting record show, read as their audience.

:func:`collect_briefing` and :func:`collect_record` read everything through the domains'
permission-filtered queries as the audience's synthetic viewer (:mod:`.audience`), so a pack for
the public holds public content only and a delegation's pack what its focal point may see. They
also list the version of every row they read (``inputs``): the report's fingerprint is the hash of
that list with the language and audience, so a report is regenerated exactly when something it
shows has changed.

Charts and the trade briefs are drawn later (:func:`draw`), only when a report is generated.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _

from serai.access import permissions
from serai.core.i18n import TranslatedText
from serai.governance import queries as governance
from serai.governance.models import ActionStatus, Meeting
from serai.projects import queries as project_queries
from serai.projects.models import APPRAISAL_CRITERIA, Participation, Project, Status

from . import charts, trade_brief
from .audience import ReportAudience

#: Bump when the layout of a report changes: every stored report is then made again on request.
LAYOUT_VERSION = 1

#: Projects in the pipeline: not closed and not yet completed.
PIPELINE = (
    Status.IDEA,
    Status.SUBMITTED,
    Status.SCREENING,
    Status.APPRAISAL,
    Status.RETURNED,
    Status.RECOMMENDED,
    Status.ENDORSED,
    Status.IMPLEMENTATION,
    Status.SUSPENDED,
)


def text(value, language: str) -> str:
    return TranslatedText.coerce(value).get(language) or ""


@dataclass
class Pack:
    kind: str
    language: str
    audience: ReportAudience
    meeting: Meeting
    data: dict[str, Any] = field(default_factory=dict)
    inputs: list = field(default_factory=list)

    def fingerprint(self, fmt: str) -> str:
        payload = [self.kind, fmt, self.language, self.audience.key, LAYOUT_VERSION, self.inputs]
        return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()

    def summary(self) -> dict[str, int]:
        """How many rows of each kind the fingerprint covers (stored with the report)."""
        return dict(Counter(str(row[0]) for row in self.inputs))


def _rows(label: str, objs, *attrs) -> list:
    return [[label, o.pk, *(getattr(o, a, None) for a in attrs)] for o in objs]


def _previous(viewer, meeting: Meeting) -> Meeting | None:
    earlier = Q(year__lt=meeting.year)
    if meeting.start_date:
        earlier |= Q(start_date__lt=meeting.start_date)
    elif meeting.number:
        earlier |= Q(year=meeting.year, number__lt=meeting.number)
    return (
        governance.meetings(viewer)
        .filter(body=meeting.body, status="held")
        .filter(earlier)
        .exclude(pk=meeting.pk)
        .order_by("-year", "-start_date", "-number", "-id")
        .first()
    )


def _proposed(viewer, meeting: Meeting):
    if meeting.body.kind == "subcommittee":
        which = Q(subcommittee=meeting.body, status__in=(Status.APPRAISAL, Status.RECOMMENDED))
    else:
        which = Q(status=Status.RECOMMENDED) | Q(endorsed_at=meeting)
    return (
        project_queries.for_list(project_queries.projects(viewer).filter(which))
        .prefetch_related(
            "appraisals",
            Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
        )
        .order_by("code")
    )


def _appraisal_summary(viewer, project: Project) -> dict | None:
    """Mean score per criterion of the completed appraisals, if the audience may read appraisals."""
    if not permissions.can(viewer, "appraisal.view", project):
        return None
    done = [a for a in project.appraisals.all() if a.completed]
    rows = []
    for key, label in APPRAISAL_CRITERIA:
        given = [int(a.scores[key]) for a in done if a.scores.get(key) is not None]
        rows.append({"label": str(label), "mean": round(sum(given) / len(given), 1) if given else None})
    means = [r["mean"] for r in rows if r["mean"] is not None]
    return {"count": len(done), "rows": rows, "total": round(sum(means), 1) if means else None}


def _evidence(project: Project) -> dict | None:
    e = project.trade_evidence or {}
    if not e:
        return None
    row = e.get("row") or {}
    return {
        "exporter": e.get("exporter"),
        "market": e.get("market"),
        "year": e.get("year"),
        "code": e.get("code"),
        "level": e.get("level"),
        "untapped": row.get("untapped"),
        "potential": row.get("potential"),
        "actual": row.get("actual"),
        "dataset": e.get("dataset"),
        "synthetic": bool(e.get("synthetic")),
    }


def _project_row(project: Project, language: str) -> dict:
    sectors = list(project.sectors.all())
    return {
        "code": project.code,
        "title": text(project.title, language),
        "status": project.get_status_display(),
        "status_code": project.status,
        "countries": ", ".join(c.iso2 for c in project.countries.all()),
        "fields": ", ".join(dict.fromkeys(text(s.field.name, language) for s in sectors if s.field_id)),
        "subcommittee": text(project.subcommittee.name, language) if project.subcommittee_id else "",
        "budget_usd": project.budget_usd,
    }


def _agenda(page: dict, language: str) -> tuple[list, list]:
    by_item: dict[int | None, list] = defaultdict(list)
    for doc in page["documents"]:
        by_item[doc.agenda_item_id].append(
            {"title": text(doc.title, language), "kind": doc.get_kind_display(), "language": doc.language}
        )
    items = [
        {
            "numbering": item.numbering,
            "depth": depth,
            "title": text(item.title, language),
            "documents": by_item.pop(item.pk, []),
        }
        for item, depth in page["agenda"]
    ]
    other = [d for docs in by_item.values() for d in docs]
    return items, other


def _owner(action, language: str) -> str:
    owner = action.owner
    return text(owner.name, language) if owner is not None else "—"


def _action_row(action, language: str) -> dict:
    updates = sorted(action.updates.all(), key=lambda u: (u.date, u.pk))
    return {
        "title": text(action.title, language),
        "decision": action.decision.number if action.decision_id and action.decision else None,
        "owner": _owner(action, language),
        "due": action.due_date,
        "status": action.get_status_display(),
        "status_code": action.status,
        "last_update": updates[-1].date if updates else None,
    }


def _decision_rows(decisions, language: str) -> list[dict]:
    return [
        {
            "number": d.number,
            "kind": d.get_kind_display(),
            "status": d.get_status_display(),
            "text": text(d.text, language),
            "projects": [f"{p.code} {text(p.title, language)}" for p in d.projects.all()],
        }
        for d in decisions
    ]


def _work_plan(viewer, meeting: Meeting, language: str, inputs: list) -> dict | None:
    plans = governance.work_plans(viewer)
    plan = plans.filter(year=meeting.year).first() or plans.filter(year__lte=meeting.year).order_by("-year").first()
    if plan is None:
        return None
    page = governance.work_plan_page(viewer, plan.year)
    inputs.append(["work_plan", plan.pk, plan.version])
    areas = []
    for area in page["areas"]:
        inputs.append(["priority_area", area.pk, area.version])
        activities = []
        for activity in area.activities.all():
            inputs.append(["activity", activity.pk, activity.version])
            inputs.extend(["action", a.pk, a.version] for a in activity.actions.all())
            activities.append(
                {
                    "title": text(activity.title, language),
                    "status": activity.get_status_display(),
                    "progress": activity.progress,
                    "due": activity.due_date,
                }
            )
        areas.append({"title": text(area.title, language), "progress": area.progress, "activities": activities})
    return {
        "year": plan.year,
        "title": text(plan.title, language),
        "status": plan.get_status_display(),
        "progress": page["progress"],
        "areas": areas,
    }


def collect_briefing(meeting_id: int, language: str, audience: ReportAudience) -> Pack:
    """Everything the briefing pack shows, as ``audience`` may see it (raises
    ``Meeting.DoesNotExist`` when the audience may not see the meeting)."""
    viewer = audience.viewer()
    with translation.override(language):
        page = governance.meeting_page(viewer, meeting_id)
        meeting = page["meeting"]
        pack = Pack("briefing", language, audience, meeting)
        inputs = pack.inputs
        inputs.append(["meeting", meeting.pk, meeting.version])
        inputs.extend(_rows("agenda", (i for i, _d in page["agenda"]), "version"))
        inputs.extend(_rows("document", page["documents"], "version", "agenda_item_id"))
        agenda, other_documents = _agenda(page, language)

        proposed = []
        for project in _proposed(viewer, meeting):
            inputs.append(["project", project.pk, project.version, project.updated_at])
            inputs.extend(_rows("appraisal", project.appraisals.all(), "updated_at"))
            proposed.append(
                _project_row(project, language)
                | {
                    "summary": text(project.summary, language),
                    "scope": project.get_scope_display() if project.scope else "",
                    "partners": [text(pa.organisation.name, language) for pa in project.participations.all()],
                    "appraisal": _appraisal_summary(viewer, project),
                    "evidence": _evidence(project),
                }
            )

        pipeline_projects = list(
            project_queries.list_page(project_queries.projects(viewer).filter(status__in=PIPELINE)).order_by("code")
        )
        inputs.extend(_rows("pipeline", pipeline_projects, "version", "updated_at"))
        pipeline = _pipeline(pipeline_projects, language)

        previous = _previous(viewer, meeting)
        prev = None
        if previous is not None:
            visible = project_queries.projects(viewer).only("id", "code", "title")
            decisions = list(
                governance.decisions(viewer)
                .filter(meeting=previous)
                .prefetch_related(Prefetch("projects", queryset=visible))
                .order_by("number", "id")
            )
            actions = list(
                governance.actions(viewer)
                .filter(meeting=previous)
                .prefetch_related("updates")
                .order_by("due_date", "id")
            )
            inputs.append(["previous", previous.pk, previous.version])
            inputs.extend(_rows("decision", decisions, "version"))
            inputs.extend(
                ["action", a.pk, a.version, a.status, max((u.pk for u in a.updates.all()), default=None)]
                for a in actions
            )
            rows = [_action_row(a, language) for a in actions]
            counts = Counter(a.status for a in actions)
            prev = {
                "meeting": str(previous),
                "title": _meeting_title(previous, language),
                "decisions": _decision_rows(decisions, language),
                "actions": rows,
                "actions_visible": permissions.can(viewer, "action.view"),
                "status_counts": [
                    {"status": label, "code": code, "count": counts.get(code, 0)}
                    for code, label in ActionStatus.choices
                ],
            }

        work_plan = _work_plan(viewer, meeting, language, inputs)
        trade_ctx = trade_brief.trade_context()
        inputs.append(trade_brief.fingerprint_part(trade_ctx))

        pack.data = {
            "meeting": meeting,
            "title": _meeting_title(meeting, language),
            "facts": _facts(meeting, language),
            "audience_label": audience.label(language),
            "agenda": agenda,
            "other_documents": other_documents,
            "proposed": proposed,
            "pipeline": pipeline,
            "previous": prev,
            "work_plan": work_plan,
            "trade_ctx": trade_ctx,
        }
    return pack


def _pipeline(projects: list[Project], language: str) -> dict:
    stages = [(code, label) for code, label in Status.choices if code in PIPELINE]
    by_country: dict[str, Counter] = defaultdict(Counter)
    by_field: dict[str, Counter] = defaultdict(Counter)
    country_order: dict[str, int] = {}
    for project in projects:
        for country in project.countries.all():
            name = text(country.name, language)
            country_order.setdefault(name, country.sort_order)
            by_country[name][project.status] += 1
        names = dict.fromkeys(text(s.field.name, language) for s in project.sectors.all() if s.field_id)
        for name in names or [_("No field")]:
            by_field[name][project.status] += 1
    countries = sorted(by_country, key=lambda n: (country_order.get(n, 0), n))
    fields = sorted(by_field, key=lambda n: (-sum(by_field[n].values()), n))
    used = [(code, label) for code, label in stages if any(c[code] for c in (*by_country.values(), *by_field.values()))]

    def table(keys, counts):
        return [
            {"name": k, "cells": [counts[k][code] for code, _l in used], "total": sum(counts[k].values())} for k in keys
        ]

    return {
        "stages": [str(label) for _c, label in used],
        "stage_codes": [code for code, _l in used],
        "by_country": table(countries, by_country),
        "by_field": table(fields, by_field),
        "total": len(projects),
        "projects": [_project_row(p, language) for p in projects],
    }


def _meeting_title(meeting: Meeting, language: str) -> str:
    number = f" — {meeting.number}" if meeting.number else ""
    return f"{text(meeting.body.name, language)}{number} ({meeting.year})"


def _facts(meeting: Meeting, language: str) -> list[str]:
    facts = []
    if meeting.start_date:
        dates = meeting.start_date.isoformat()
        if meeting.end_date and meeting.end_date != meeting.start_date:
            dates += f" – {meeting.end_date.isoformat()}"
        facts.append(dates)
    else:
        facts.append(str(_("date not set")))
    place = ", ".join(
        p
        for p in (
            text(meeting.host_city, language),
            text(meeting.host_country.name, language) if meeting.host_country_id else "",
        )
        if p
    )
    if place:
        facts.append(place)
    facts.append(meeting.get_status_display())
    return facts


# --- the meeting record ----------------------------------------------------------------------------
def collect_record(meeting_id: int, language: str, audience: ReportAudience) -> Pack:
    """The meeting record: the outcome (agenda, decisions, actions), the minutes the audience may
    read, the participants and delegations, and the documents."""
    viewer = audience.viewer()
    with translation.override(language):
        page = governance.meeting_page(viewer, meeting_id)
        meeting = page["meeting"]
        pack = Pack("record", language, audience, meeting)
        inputs = pack.inputs
        inputs.append(["meeting", meeting.pk, meeting.version])
        inputs.extend(_rows("agenda", (i for i, _d in page["agenda"]), "version"))
        inputs.extend(_rows("document", page["documents"], "version", "agenda_item_id"))
        inputs.extend(_rows("decision", page["decisions"], "version"))
        inputs.extend(_rows("action", page["actions"], "version", "status"))
        minutes = page["minutes"]
        if minutes is not None:
            inputs.append(["minutes", minutes.pk, minutes.version, minutes.status])
        delegations = []
        for group in page["delegations"]:
            inputs.extend(_rows("participant", group.everyone, "version"))
            delegations.append(
                {
                    "label": text(getattr(group.label, "name", group.label), language) if group.label else "—",
                    "size": group.size,
                    "attended": group.attended,
                    "members": [
                        {
                            "name": text(m.person.name, language) if m.person_id else m.name,
                            "position": m.position,
                            "role": m.get_role_display(),
                            "attendance": m.get_attendance_display(),
                        }
                        for m in group.members
                    ],
                }
            )
        agenda, other_documents = _agenda(page, language)
        pack.data = {
            "page": page,
            "meeting": meeting,
            "title": _meeting_title(meeting, language),
            "facts": _facts(meeting, language),
            "audience_label": audience.label(language),
            "agenda": agenda,
            "other_documents": other_documents,
            "documents": [
                {"title": text(d.title, language), "kind": d.get_kind_display(), "language": d.language}
                for d in page["documents"]
            ],
            "decisions": _decision_rows(page["decisions"], language),
            "actions": [_action_row(a, language) for a in page["actions"]],
            "minutes": {
                "status": minutes.get_status_display(),
                "adopted": minutes.status == "adopted",
                "adopted_on": minutes.adopted_on,
                "text": text(minutes.text, language),
            }
            if minutes is not None
            else None,
            "delegations": delegations,
        }
    return pack


# --- charts and trade briefs (drawn when a report is generated) ------------------------------------
def draw(pack: Pack, progress=None, *, with_charts: bool = True) -> None:
    """Add the charts and the trade briefs to a briefing pack's data, in its language (the trade
    briefs' figures only, ``with_charts=False``: a DOCX has tables and no charts)."""
    data = pack.data
    with translation.override(pack.language):
        if with_charts:
            _charts(data)
        if progress:
            progress(0.3)
        data["trade_briefs"] = trade_brief.briefs(
            pack.language,
            ctx=data["trade_ctx"],
            progress=(lambda n, total: progress(0.3 + 0.7 * n / total)) if progress else None,
            with_charts=with_charts,
        )


def _charts(data: dict) -> None:
    pipeline = data["pipeline"]
    if pipeline["by_country"]:
        pipeline["country_chart"] = charts.stacked_bar(
            [r["name"] for r in pipeline["by_country"]],
            {stage: [r["cells"][i] for r in pipeline["by_country"]] for i, stage in enumerate(pipeline["stages"])},
            title=_("Projects in the pipeline by country and stage"),
            height=3.2,
        )
    if pipeline["by_field"]:
        pipeline["field_chart"] = charts.bar(
            [r["name"] for r in pipeline["by_field"]],
            {_("Projects"): [r["total"] for r in pipeline["by_field"]]},
            title=_("Projects in the pipeline by field"),
            horizontal=True,
            height=max(2.0, 0.28 * len(pipeline["by_field"]) + 0.8),
        )
    prev = data["previous"]
    if prev and prev["actions"]:
        prev["status_chart"] = charts.bar(
            [r["status"] for r in prev["status_counts"]],
            {_("Action items"): [r["count"] for r in prev["status_counts"]]},
            title=_("Action items of the previous session by status"),
            height=2.4,
        )
    plan = data["work_plan"]
    if plan and plan["areas"]:
        plan["chart"] = charts.bar(
            [a["title"][:40] for a in plan["areas"]],
            {_("Progress (%)"): [None if a["progress"] is None else 100 * a["progress"] for a in plan["areas"]]},
            title=_("Work plan progress by priority area"),
            horizontal=True,
            height=max(2.0, 0.32 * len(plan["areas"]) + 0.8),
        )
