"""Generating reports: background work scheduled on commit, and idempotent.

A requested report is ``queued``. Whoever generates it first claims it with one conditional UPDATE
(the ``start`` move of :mod:`.workflow`: queued → running); a second run, a retry or a concurrent
worker finds nothing to claim, so a report is generated once. While it runs, ``progress`` and
``stage`` say how far it got (the page polls them). The file is written beside its final name and
renamed into place, then the ``finish`` move records it; an error is the ``fail`` move with the
error's first line. ``serai generatereports`` runs what is queued and re-queues claims a dead
process left behind.

In a web process generation runs in one background thread (one report at a time: WeasyPrint is
memory-hungry); ``SERAI_REPORTS_SYNC`` (or the tests' ``SERAI_NOTIFY_SYNC``) runs it in the
committing thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serai.core import pdf

from . import audience as audiences
from . import pack as packs
from . import render
from .models import GeneratedReport, ReportFormat, ReportKind, ReportStatus
from .workflow import move

log = logging.getLogger(__name__)
STALE_CLAIM = dt.timedelta(minutes=15)
_executor: ThreadPoolExecutor | None = None

STAGES = {
    "": _("Waiting"),
    "collect": _("Reading what the report shows"),
    "charts": _("Drawing the charts"),
    "trade": _("Trade briefs"),
    "layout": _("Laying out the pages"),
    "store": _("Storing the file"),
    "done": _("Ready"),
}


def reports_dir() -> Path:
    return Path(getattr(settings, "SERAI_REPORTS_DIR", None) or Path(settings.VAR_DIR) / "generated")


def path_of(report: GeneratedReport) -> Path | None:
    if not report.file:
        return None
    root = reports_dir().resolve()
    path = (root / report.file).resolve()
    return path if path.is_relative_to(root) else None


def collect(report_or_kind, meeting_id=None, language=None, audience=None) -> packs.Pack:
    if isinstance(report_or_kind, GeneratedReport):
        r = report_or_kind
        return collect(r.kind, r.meeting_id, r.language, audiences.of(r))
    kind = report_or_kind
    fn = packs.collect_briefing if kind == ReportKind.BRIEFING else packs.collect_record
    return fn(meeting_id, language, audience)


def schedule(ids: Iterable[int]) -> None:
    """Generate these reports once the current transaction commits."""
    ids = list(ids)
    transaction.on_commit(lambda: _dispatch(ids), robust=True)


def _sync() -> bool:
    return bool(getattr(settings, "SERAI_REPORTS_SYNC", False) or getattr(settings, "SERAI_NOTIFY_SYNC", False))


def _dispatch(ids: list[int]) -> None:
    if _sync():
        run_pending(ids)
        return
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="serai-reports")
    _executor.submit(_in_thread, ids)


def _in_thread(ids: list[int]) -> None:
    try:
        run_pending(ids)
    except Exception:  # the rows stay queued or failed; `serai generatereports` runs them
        log.exception("generating reports failed")
    finally:
        connection.close()


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Claims older than :data:`STALE_CLAIM` belong to a process that died: queue them again."""
    cutoff = (now or timezone.now()) - STALE_CLAIM
    stale = GeneratedReport.objects.filter(status=ReportStatus.RUNNING, started_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    return sum(move(pk, "requeue", progress=0, stage="") for pk in list(stale))


def run_pending(ids: Iterable[int] | None = None) -> list[int]:
    """Generate the queued reports (of ``ids``, or all); the ids this call generated. Safe to run
    twice, or in two processes."""
    qs = GeneratedReport.objects.filter(status=ReportStatus.QUEUED).order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    done = []
    for pk in list(qs.values_list("pk", flat=True)):
        claimed = move(
            pk, "start", started_at=timezone.now(), attempts=F("attempts") + 1, progress=1, stage="collect", error=""
        )
        if claimed:
            generate(pk)
            done.append(pk)
    return done


def _progress(pk: int, percent: float, stage: str) -> None:
    GeneratedReport.objects.filter(pk=pk, status=ReportStatus.RUNNING).update(
        progress=max(1, min(99, int(percent))), stage=stage
    )


def generate(pk: int) -> None:
    """Generate a claimed (running) report and store its file; a failure is recorded, not raised."""
    report = GeneratedReport.objects.select_related("meeting", "meeting__body", "audience_country").get(pk=pk)
    try:
        data, pages, fingerprint, inputs = build(report, progress=lambda p, s: _progress(pk, p, s))
        _progress(pk, 97, "store")
        relative = f"{report.meeting.year}/{report.pk}-{fingerprint[:16]}.{report.format}"
        target = reports_dir() / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, target)
        values = (
            {"fingerprint": fingerprint}
            if fingerprint != report.fingerprint and not _taken(report, fingerprint)
            else {}
        )
        move(
            pk,
            "finish",
            file=relative,
            size=len(data),
            pages=pages,
            progress=100,
            stage="done",
            finished_at=timezone.now(),
            inputs=inputs,
            **values,
        )
    except Exception as exc:
        log.exception("report %s failed", pk)
        move(pk, "fail", error=(str(exc).splitlines() or [type(exc).__name__])[0][:300], finished_at=timezone.now())


def _taken(report: GeneratedReport, fingerprint: str) -> bool:
    return (
        GeneratedReport.objects.filter(
            kind=report.kind,
            format=report.format,
            meeting_id=report.meeting_id,
            language=report.language,
            audience=report.audience,
            audience_country_id=report.audience_country_id,
            fingerprint=fingerprint,
        )
        .exclude(pk=report.pk)
        .exists()
    )


def build(report: GeneratedReport, progress=None) -> tuple[bytes, int | None, str, dict]:
    """The report's bytes, page count (PDF), the fingerprint of what it shows and its summary."""
    progress = progress or (lambda p, s: None)
    pack = collect(report)
    progress(10, "charts")
    if report.kind == ReportKind.BRIEFING:
        packs.draw(
            pack,
            progress=lambda share: progress(10 + 40 * share, "charts" if share <= 0.3 else "trade"),
            with_charts=report.format == ReportFormat.PDF,
        )
    progress(55, "layout")
    if report.format == ReportFormat.PDF:
        data = render.render_pdf(pack)
        pages = pdf.pdf_page_count(data)
    elif report.kind == ReportKind.BRIEFING:
        data, pages = render.briefing_docx(pack), None
    else:
        data, pages = render.record_docx(pack), None
    return data, pages, pack.fingerprint(report.format), pack.summary()
