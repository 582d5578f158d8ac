"""The Forum's history as reference data: its sessions and the Secretariat's known work plans.

Loaded by ``serai loadreference`` after the member states and bodies: ``GovernanceConfig.ready``
registers :func:`load_forum_history` with :func:`serai.reference.operations.register_loader`
(reference sits below governance and does not import it). The rows come from
``serai.reference.data`` and go through the same audited upsert, so staff corrections are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from serai.reference import data
from serai.reference.models import CooperationField
from serai.reference.operations import LoadReport, tt, upsert

from .models import Meeting, MeetingStatus, PriorityArea, WorkPlan, WorkPlanStatus


def load_forum_history(actor: Any, report: LoadReport, loaded: dict[str, dict]) -> None:
    forum = loaded["bodies"]["forum"]
    states = loaded["member_states"]
    for number, year, date, host, city, theme, source in data.FORUM_SESSIONS:
        upsert(
            actor,
            report,
            "meeting",
            Meeting,
            {"body": forum, "number": number},
            {
                "year": year,
                "start_date": dt.date.fromisoformat(date) if date else None,
                "end_date": dt.date.fromisoformat(date) if date else None,
                "host_country": states[host],
                "host_city": tt(city),
                "theme": tt(theme),
                "status": MeetingStatus.HELD,
                "source_url": source,
                "verified": False,
            },
        )
    fields = {f.code: f for f in CooperationField.objects.all()}
    for year, session, title, areas in data.WORK_PLANS:
        meeting = Meeting.objects.filter(body=forum, number=session).first()
        plan = upsert(
            actor,
            report,
            "work_plan",
            WorkPlan,
            {"year": year},
            {
                "title": tt(title),
                "status": WorkPlanStatus.ADOPTED,
                "adopted_at": meeting,
                "adopted_on": meeting.start_date if meeting else None,
            },
        )
        for order, (area_title, codes) in enumerate(areas):
            upsert(
                actor,
                report,
                "priority_area",
                PriorityArea,
                {"plan": plan, "order": order},
                {"title": tt(area_title)},
                m2m={"fields": [fields[c] for c in codes]},
            )
