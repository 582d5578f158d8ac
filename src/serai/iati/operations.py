"""Writes for IATI: importing a file into the landscape, linking a landscape activity to a project.

An import is one transaction: a malformed, truncated, oversized or non-IATI file changes nothing
stored; within a good file, a bad activity is rejected with its line and reason and the others
commit. Every run leaves an ImportRun with its counts and reasons (kept even when the import fails).
"""

from __future__ import annotations

import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import reset_queries, transaction
from django.utils import timezone

from serai.access import permissions
from serai.core import audit
from serai.core.actors import user_of
from serai.reference.models import MemberState

from . import parse
from .models import ImportRun, LandscapeActivity

CENTRAL_ASIA_REGION = ("1", "619")  # DAC region vocabulary, "Central Asia, regional"
BATCH = 500
MAX_REASONS = 200
FIELDS = [
    "reporting_org_ref",
    "reporting_org_name",
    "reporting_org_type",
    "title",
    "description",
    "status",
    "start",
    "end",
    "dates",
    "sectors",
    "countries",
    "regions",
    "participating_orgs",
    "default_currency",
    "budgets",
    "transactions",
    "total_budget_usd",
    "disbursed_usd",
    "unconverted",
    "country_codes",
    "sector_codes",
    "raw_xml",
    "content_hash",
    "last_run",
]


def member_filter(members: set[str]) -> Callable:
    def keep(el) -> bool:
        countries, regions = parse.recipient_codes(el)
        return bool(countries & members) or CENTRAL_ASIA_REGION in regions

    return keep


def _usd(amounts: list[tuple[str, str]]) -> tuple[Decimal | None, dict[str, str]]:
    """Sum (value, currency) pairs in USD with the configured rates; what no rate converts is kept apart."""
    rates = {k.upper(): Decimal(str(v)) for k, v in settings.SERAI_FX_USD.items()}
    total, left = Decimal(0), {}
    converted = False
    for value, currency in amounts:
        try:
            amount = Decimal(value)
        except InvalidOperation:
            continue
        rate = rates.get((currency or "").upper())
        if rate is None:
            left[currency or "?"] = str(Decimal(left.get(currency or "?", "0")) + amount)
        else:
            total += amount * rate
            converted = True
    return (total.quantize(Decimal("0.01")) if converted else None), left


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def landscape_values(item: parse.Parsed, run: ImportRun | None) -> dict[str, Any]:
    a = item.activity
    revised = [b for b in a.budgets if b.type == "2"]
    budget_total, left_b = _usd([(b.amount.value, b.amount.currency) for b in (revised or a.budgets)])
    disbursed, left_t = _usd([(t.amount.value, t.amount.currency) for t in a.transactions if t.type in ("3", "4")])
    unconverted = {"budget": left_b, "disbursed": left_t} if (left_b or left_t) else {}
    return {
        "identifier": a.identifier,
        "reporting_org_ref": a.reporting_org.ref[:200],
        "reporting_org_name": next(iter(a.reporting_org.names.values()), "")[:300],
        "reporting_org_type": a.reporting_org.type[:4],
        "title": {"values": a.title, "source": a.default_lang},
        "description": {"values": a.description, "source": a.default_lang},
        "status": a.status[:2],
        "start": _date(a.dates.get("2") or a.dates.get("1", "")),
        "end": _date(a.dates.get("4") or a.dates.get("3", "")),
        "dates": a.dates,
        "sectors": [{"vocabulary": v, "code": c, "percentage": p} for v, c, p in a.sectors],
        "countries": [{"code": c, "percentage": p} for c, p in a.countries],
        "regions": [{"vocabulary": v, "code": c, "percentage": p} for v, c, p in a.regions],
        "participating_orgs": [
            {"role": o.role, "ref": o.ref, "type": o.type, "names": o.names} for o in a.participating
        ],
        "default_currency": a.default_currency[:3],
        "budgets": [
            {
                "type": b.type,
                "status": b.status,
                "start": b.start,
                "end": b.end,
                "value": b.amount.value,
                "currency": b.amount.currency,
                "value_date": b.amount.value_date,
            }
            for b in a.budgets
        ],
        "transactions": [
            {
                "type": t.type,
                "date": t.date,
                "value": t.amount.value,
                "currency": t.amount.currency,
                "value_date": t.amount.value_date,
                "provider": (
                    {"ref": t.provider.ref, "type": t.provider.type, "names": t.provider.names} if t.provider else None
                ),
            }
            for t in a.transactions
        ],
        "total_budget_usd": budget_total,
        "disbursed_usd": disbursed,
        "unconverted": unconverted,
        "country_codes": " " + " ".join(sorted({c for c, _ in a.countries})) + " ",
        "sector_codes": (" " + " ".join(sorted({c for _, c, _ in a.sectors})) + " ")[:1000],
        "raw_xml": item.raw.decode("utf-8"),
        "content_hash": item.digest,
        "last_run": run,
    }


def _flush(batch: list[parse.Parsed], run: ImportRun) -> None:
    latest: dict[str, parse.Parsed] = {}
    for item in batch:
        if item.activity.identifier in latest:
            run.skipped += 1  # an earlier copy in the same file: the later one wins
        latest[item.activity.identifier] = item
    existing = {
        o.identifier: o
        for o in LandscapeActivity.objects.filter(identifier__in=list(latest)).only("id", "identifier", "content_hash")
    }
    new, changed = [], []
    for ident, item in latest.items():
        current = existing.get(ident)
        if current is not None and current.content_hash == item.digest:
            run.skipped += 1
            continue
        values = landscape_values(item, run)
        if current is None:
            new.append(LandscapeActivity(**values))
        else:
            for key in FIELDS:
                setattr(current, key, values[key])
            changed.append(current)
    LandscapeActivity.objects.bulk_create(new, batch_size=BATCH)
    LandscapeActivity.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
    run.imported += len(new)
    run.updated += len(changed)


def _materialise(source: str, max_bytes: int) -> tuple[Path, Callable[[], None]]:
    if not source.startswith(("http://", "https://")):
        return Path(source), (lambda: None)
    tmp = Path(tempfile.mkdtemp(prefix="serai-iati-"))
    target = tmp / "download.xml"
    try:
        with urllib.request.urlopen(source, timeout=60) as response, open(target, "wb") as out:
            done = 0
            while chunk := response.read(1 << 20):
                done += len(chunk)
                if done > max_bytes:
                    raise parse.IatiFileError(source, None, f"more than the limit of {max_bytes:,} bytes")
                out.write(chunk)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise parse.IatiFileError(source, None, f"cannot download: {getattr(exc, 'reason', exc)}") from exc
    except parse.IatiFileError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target, (lambda: shutil.rmtree(tmp, ignore_errors=True))


def import_file(actor: Any, source: str, *, keep_all: bool = False, max_bytes: int | None = None) -> ImportRun:
    """Import an IATI activity file (path or URL) into the landscape; returns the run record."""
    permissions.require(actor, "landscape.import")
    max_bytes = max_bytes or settings.SERAI_IATI_MAX_BYTES
    user = user_of(actor)
    run = ImportRun.objects.create(source=str(source)[:500], actor=user, actor_label=audit.actor_label(actor))
    started = time.perf_counter()
    members = set(MemberState.objects.values_list("iso2", flat=True))
    reasons: list[dict] = []
    cleanup = lambda: None  # noqa: E731
    try:
        path, cleanup = _materialise(str(source), max_bytes)
        run.bytes_read = path.stat().st_size if path.exists() else 0
        with transaction.atomic():
            batch: list[parse.Parsed] = []
            for item in parse.read(path, max_bytes=max_bytes, keep=None if keep_all else member_filter(members)):
                run.read += 1
                if item is parse.SKIPPED:
                    run.skipped += 1
                elif isinstance(item, parse.Rejection):
                    run.rejected += 1
                    if len(reasons) < MAX_REASONS:
                        reasons.append({"line": item.line, "identifier": item.identifier, "reason": item.reason})
                else:
                    batch.append(item)
                    if len(batch) >= BATCH:
                        _flush(batch, run)
                        batch = []
                        reset_queries()  # with DEBUG on, Django would keep every batch's SQL (and its XML)
            _flush(batch, run)
            run.iati_version = parse.version_of(path)
            run.status = ImportRun.Status.DONE
            run.reasons = reasons
            audit.record(
                actor,
                "iati.import",
                run,
                before={},
                after={
                    "source": run.source,
                    "read": run.read,
                    "imported": run.imported,
                    "updated": run.updated,
                    "skipped": run.skipped,
                    "rejected": run.rejected,
                },
            )
    except (parse.IatiFileError, FileNotFoundError) as exc:
        run.status = ImportRun.Status.FAILED
        run.error = str(exc) if isinstance(exc, parse.IatiFileError) else f"{source}: no such file"
        run.imported = run.updated = 0  # rolled back
        run.reasons = reasons
    finally:
        cleanup()
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.save()
    return run


@transaction.atomic
def link_activity(actor: Any, activity: LandscapeActivity, project: Any | None) -> LandscapeActivity:
    permissions.require(actor, "landscape.link")
    before = {"project": activity.project_id}
    activity.project = project
    activity.save(update_fields=["project", "updated_at"])
    audit.record(actor, "landscape.link", activity, before=before, after={"project": getattr(project, "pk", None)})
    return activity


def record_publications(actor: Any, projects) -> int:
    """Fix the iati-identifier (and the original budget) of each project in ``projects`` that has
    none yet: its first publication. Later changes of the publisher id or of the budget leave the
    record as it is. One audit entry per call that records anything; returns how many it recorded."""
    from . import export
    from .models import Publication

    permissions.require(actor, "iati.publish")
    if not export.publisher_id():
        return 0
    new = list(
        projects.filter(iati_publication__isnull=True)
        .values_list("pk", "code", "budget_amount", "budget_currency")
        .order_by()
    )
    if not new:
        return 0
    rows = [
        Publication(
            project_id=pk, identifier=f"{export.publisher_id()}-{code}", budget_amount=amount, budget_currency=currency
        )
        for pk, code, amount, currency in new
    ]
    with transaction.atomic():
        Publication.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        audit.record(
            actor,
            "iati.publish",
            None,
            before={},
            after={"publisher": export.publisher_id(), "identifiers": [r.identifier for r in rows]},
        )
    return len(rows)
