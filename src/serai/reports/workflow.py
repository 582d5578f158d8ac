"""The generated report's status: its declared moves, and the one function that writes it.

    queued ──start──▶ running ──finish──▶ done
                         │  └──fail──▶ failed ──retry──▶ queued
                         └──requeue (a claim left by a dead process)──▶ queued

Every move is one conditional UPDATE (``WHERE status = <from>``): two workers that both try to
start the same report cannot both succeed, so a report is generated once however often it is
scheduled. A move that is not declared here is refused before touching the database.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import GeneratedReport, ReportStatus

Q_, R_, D_, F_ = ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.DONE, ReportStatus.FAILED

MOVES: dict[str, tuple[str, str, object]] = {
    "start": (Q_, R_, _("Start generating")),
    "finish": (R_, D_, _("Finish")),
    "fail": (R_, F_, _("Fail")),
    "retry": (F_, Q_, _("Try again")),
    "requeue": (R_, Q_, _("Queue again")),
}


class UndeclaredMove(ValueError):
    pass


def move(report_id: int, name: str, **values) -> bool:
    """Fire the declared move ``name`` on the report if it is still in the move's source status;
    True if this call made the move (the claim), False if someone else already had."""
    try:
        source, target, _label = MOVES[name]
    except KeyError:
        raise UndeclaredMove(f"no declared report move {name!r}") from None
    if "status" in values:
        raise UndeclaredMove("the status is written by the move, not passed as a value")
    changed = GeneratedReport.objects.filter(pk=report_id, status=source).update(
        status=target, version=F("version") + 1, **values
    )
    return changed == 1
