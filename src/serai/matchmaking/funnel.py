"""An event's funnel: registrations → requests → accepted → held → follow-ups → project ideas →
endorsed projects, in total, per country and per helix.

What is counted (and said on the page):

* **registrations**: participants registered (not withdrawn), by their country and their
  organisation's helix;
* **requests**: meeting requests of the event, any outcome; a request counts in the row of each side
  (once when both sides share the row), so the rows do not add up to the total;
* **accepted**: those of them accepted (a request later cancelled no longer counts);
* **held**: their meetings checked in;
* **follow-ups**: held meetings where a side recorded a follow-up or an intended MoU;
* **project ideas**: held meetings whose outcome opened a project the viewer may see
  (``permissions.project_visibility_q``);
* **endorsed**: those projects endorsed by the Forum (or gone further).

From requests on, each stage is a subset of the one before. Two grouped queries and one for the
member states, whatever the size of the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from serai.access import permissions
from serai.core.i18n import TranslatedText
from serai.orgs.models import Helix
from serai.projects.models import PUBLIC_STATUSES, Project
from serai.reference.models import MemberState

from .models import (
    Attendance,
    Event,
    MeetingRequest,
    Outcome,
    OutcomeResult,
    Participant,
    ParticipantStatus,
    RequestStatus,
)

STAGES = ("registrations", "requests", "accepted", "held", "follow_ups", "ideas", "endorsed")
STAGE_LABELS = {
    "registrations": _("Registrations"),
    "requests": _("Meeting requests"),
    "accepted": _("Accepted"),
    "held": _("Held"),
    "follow_ups": _("Follow-ups"),
    "ideas": _("Project ideas"),
    "endorsed": _("Endorsed projects"),
}
NO_COUNTRY = "—"


@dataclass
class Row:
    key: str
    label: Any
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    @property
    def values(self) -> list[int]:
        return [self.counts[s] for s in STAGES]


@dataclass
class Funnel:
    total: Row
    by_country: list[Row]
    by_helix: list[Row]


def funnel(user: Any, event: Event) -> Funnel:
    visible_projects = Project.objects.filter(permissions.project_visibility_q(user))
    outcomes = Outcome.objects.filter(meeting__request=OuterRef("pk"))
    requests = (
        MeetingRequest.objects.filter(event=event)
        .annotate(
            follow=Exists(outcomes.filter(result__in=(OutcomeResult.FOLLOW_UP, OutcomeResult.MOU))),
            idea=Exists(outcomes.filter(project__in=visible_projects)),
            endorsed=Exists(outcomes.filter(project__in=visible_projects.filter(status__in=PUBLIC_STATUSES))),
        )
        .values_list(
            "status",
            "placement__status",
            "follow",
            "idea",
            "endorsed",
            "requester__country__iso2",
            "requester__organisation__helix",
            "requested__country__iso2",
            "requested__organisation__helix",
        )
        .order_by()
    )
    states = list(MemberState.objects.order_by("id"))
    countries = {s.iso2: Row(s.iso2, s.name) for s in states}
    helixes = {code: Row(code, label) for code, label in Helix.choices}
    total = Row("total", _("In total"))

    def country(iso2):
        if iso2 not in countries:
            countries[iso2 or NO_COUNTRY] = Row(iso2 or NO_COUNTRY, iso2 or _("No member state"))
        return countries[iso2 or NO_COUNTRY]

    regs = (
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED)
        .values_list("country__iso2", "organisation__helix")
        .annotate(n=Count("id"))
        .order_by()
    )
    for iso2, helix, n in regs:
        total.counts["registrations"] += n
        country(iso2).counts["registrations"] += n
        if helix in helixes:
            helixes[helix].counts["registrations"] += n
    for status, held, follow, idea, endorsed, c1, h1, c2, h2 in requests:
        stages = ["requests"]
        if status == RequestStatus.ACCEPTED:
            stages.append("accepted")
            if held == Attendance.HELD:
                stages.append("held")
                if follow:
                    stages.append("follow_ups")
                    if idea:
                        stages.append("ideas")
                        if endorsed:
                            stages.append("endorsed")
        rows = [total, *{id(r): r for r in (country(c1), country(c2))}.values()]
        rows += [helixes[h] for h in {h1, h2} if h in helixes]
        for row in rows:
            for s in stages:
                row.counts[s] += 1
    by_country = [r for r in countries.values() if any(r.values)]
    by_helix = [r for r in helixes.values() if any(r.values)]
    return Funnel(total=total, by_country=by_country, by_helix=by_helix)


def label_text(label: Any) -> str:
    return label.get() if isinstance(label, TranslatedText) else str(label)


def chart(rows: list[Row], title: str) -> dict:
    """A grouped bar chart (plotly JSON, drawn by serai/charts.js) of each stage per row."""
    from serai.evidence import charts

    labels = [label_text(r.label) for r in rows]
    series = {str(STAGE_LABELS[s]): [r.counts[s] for r in rows] for s in STAGES}
    return charts.bars(labels, series, title, str(_("Count")))
