"""Writes to reference data: loading the Forum's reference data and staff corrections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from serai.access import permissions
from serai.core import audit
from serai.core.i18n import TranslatedText
from serai.core.operations import create_object, update_object
from serai.core.reports import write_report

from . import codelists, data
from .models import Body, CooperationField, DacSector, MemberState, Origin


def tt(triple: tuple[str, str, str]) -> TranslatedText:
    en, ko, ru = triple
    return TranslatedText({"en": en, "ko": ko, "ru": ru}, source="en")


@dataclass
class LoadReport:
    command: str
    started_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())
    sources: dict[str, str] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    kept_staff_corrections: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    report_path: str = ""

    def count(self, bucket: str, kind: str) -> None:
        counter = getattr(self, bucket)
        counter[kind] = counter.get(kind, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def upsert(actor: Any, report: LoadReport, kind: str, model, lookup: dict[str, Any], values: dict[str, Any], m2m=None):
    """Create a reference row, or refresh it unless staff have corrected it (the model has ``origin``)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = create_object(actor, model, f"{kind}.load", {**lookup, **values, "origin": Origin.REFERENCE}, m2m=m2m)
        report.count("created", kind)
        return obj
    if obj.origin != Origin.REFERENCE:
        report.count("kept_staff_corrections", kind)
        return obj
    before = audit.snapshot(obj, tuple(m2m or ()))
    obj = update_object(actor, obj, f"{kind}.load", values, m2m=m2m)
    report.count("updated" if audit.snapshot(obj, tuple(m2m or ())) != before else "unchanged", kind)
    return obj


@transaction.atomic
def load_dac_sectors(actor: Any, codelist_dir: Path, report: LoadReport) -> None:
    permissions.require(actor, "reference.edit")
    path = codelists.find_codelist(codelist_dir, "Sector")
    items, digest = codelists.read_codelist(path)
    report.sources["Sector"] = f"{path} sha256:{digest}"
    existing = {s.code: s for s in DacSector.objects.all()}
    new, changed = [], []
    for item in items:
        if len(item.code) != 5 or not item.code.isdigit():
            raise codelists.CodelistError(
                f"{path}, line {item.line}: field 'code' {item.code!r} is not a 5-digit DAC code"
            )
        current = existing.get(item.code)
        if current is None:
            new.append(DacSector(code=item.code, name=item.name, category=item.category, withdrawn=item.withdrawn))
        elif (current.name, current.category, current.withdrawn) != (item.name, item.category, item.withdrawn):
            current.name, current.category, current.withdrawn = item.name, item.category, item.withdrawn
            changed.append(current)
    DacSector.objects.bulk_create(new)
    DacSector.objects.bulk_update(changed, ["name", "category", "withdrawn"])
    report.created["dac_sector"] = len(new)
    report.updated["dac_sector"] = len(changed)
    report.unchanged["dac_sector"] = len(items) - len(new) - len(changed)
    if new or changed:
        audit.record(
            actor,
            "dac_sector.import",
            None,
            extra={"source": str(path), "sha256": digest, "created": len(new), "updated": len(changed)},
        )


# Reference data that belongs to a package above this one (Forum sessions and work plans are
# governance's): the package registers its loader in its AppConfig.ready, and ``load_reference``
# runs each after its own rows, in the same transaction, with the report and the rows it loaded
# ({"member_states": {iso2: MemberState}, "bodies": {code: Body}}).
LOADERS: list[Callable[[Any, LoadReport, dict[str, dict]], None]] = []


def register_loader(loader: Callable[[Any, LoadReport, dict[str, dict]], None]) -> None:
    if loader not in LOADERS:
        LOADERS.append(loader)


@transaction.atomic
def load_reference(actor: Any, codelist_dir: Path | None) -> LoadReport:
    """Load member states, bodies, cooperation fields (with DAC codes), then what the registered
    loaders add (Forum sessions and the Secretariat's known work plans: ``governance.reference``).

    Idempotent: a second run changes nothing, and rows staff have corrected are kept.
    The whole load is one transaction; a report is written to ``var/reports/``.
    """
    permissions.require(actor, "reference.edit")
    report = LoadReport(command="loadreference")
    if codelist_dir is not None:
        load_dac_sectors(actor, codelist_dir, report)
    elif not DacSector.objects.exists():
        report.warnings.append(
            "no IATI codelist folder given and none loaded before: cooperation fields have no DAC codes yet"
        )

    states = {}
    for order, (iso2, iso3, numeric, names, capitals, anchor) in enumerate(data.MEMBER_STATES):
        states[iso2] = upsert(
            actor,
            report,
            "member_state",
            MemberState,
            {"iso3": iso3},
            {
                "iso2": iso2,
                "iso_numeric": numeric,
                "name": tt(names),
                "capital": tt(capitals),
                "is_anchor": anchor,
                "sort_order": order,
            },
        )

    bodies: dict[str, Body] = {}
    for order, (code, kind, parent, established, names, description) in enumerate(data.BODIES):
        bodies[code] = upsert(
            actor,
            report,
            "body",
            Body,
            {"code": code},
            {
                "kind": kind,
                "parent": bodies.get(parent) if parent else None,
                "established": established,
                "name": tt(names),
                "description": tt(description),
                "sort_order": order,
            },
        )

    known_dac = {s.code: s for s in DacSector.objects.all()}
    for order, (code, subcommittee, colour, names, dac_codes) in enumerate(data.COOPERATION_FIELDS):
        sectors = [known_dac[c] for c in dac_codes if c in known_dac]
        if known_dac:
            for missing in sorted(set(dac_codes) - set(known_dac)):
                report.warnings.append(f"cooperation field {code}: DAC code {missing} is not in the Sector codelist")
        m2m = {"dac_sectors": sectors} if known_dac else None
        upsert(
            actor,
            report,
            "cooperation_field",
            CooperationField,
            {"code": code},
            {"subcommittee": bodies[subcommittee], "colour": colour, "name": tt(names), "sort_order": order},
            m2m=m2m,
        )

    loaded = {"member_states": states, "bodies": bodies}
    for loader in LOADERS:
        loader(actor, report, loaded)
    report.report_path = str(write_report("loadreference", report.as_dict()))
    return report


# --- staff corrections ----------------------------------------------------------------------
def _correct(actor: Any, obj, action: str, values: dict[str, Any], *, m2m=None, expected_version=None):
    permissions.require(actor, "reference.edit")
    return update_object(
        actor, obj, action, {**values, "origin": Origin.STAFF}, m2m=m2m, expected_version=expected_version
    )


def update_member_state(actor: Any, state: MemberState, values: dict[str, Any]) -> MemberState:
    return _correct(actor, state, "member_state.update", values)


def update_body(actor: Any, body: Body, values: dict[str, Any]) -> Body:
    return _correct(actor, body, "body.update", values)


def update_cooperation_field(
    actor: Any, item: CooperationField, values: dict[str, Any], dac_sectors=None
) -> CooperationField:
    return _correct(
        actor,
        item,
        "cooperation_field.update",
        values,
        m2m={"dac_sectors": dac_sectors} if dac_sectors is not None else None,
    )


def create_body(actor: Any, values: dict[str, Any]) -> Body:
    permissions.require(actor, "reference.edit")
    return create_object(actor, Body, "body.create", {**values, "origin": Origin.STAFF})
