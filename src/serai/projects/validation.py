"""Project rules that are not single-field checks: scope, sector percentages, proposal completeness."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Scope


def derive_scope(states: Iterable) -> tuple[str | None, str | None]:
    """(scope, problem): Korea plus one member is bilateral, plus several multilateral."""
    states = list(states)
    anchors = [s for s in states if s.is_anchor]
    others = [s for s in states if not s.is_anchor]
    if not anchors:
        return None, _("A project involves the dialogue partner (Korea) and at least one other member state.")
    if not others:
        return None, _("Name at least one Central Asian member state besides Korea.")
    return (Scope.BILATERAL if len(others) == 1 else Scope.MULTILATERAL), None


def plain_decimal(value: Decimal) -> str:
    """62.50 → "62.5", 100.00 → "100" (never scientific notation)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def sector_problem(percentages: Iterable[Decimal]) -> str | None:
    values = list(percentages)
    if not values:
        return _("Give at least one cooperation field with its DAC purpose code.")
    total = sum(values, Decimal("0"))
    if total != Decimal("100"):
        return _("The sector percentages add up to %(total)s, not 100.") % {"total": plain_decimal(total)}
    return None


def proposal_problems(project) -> list[str]:
    out: list[str] = []
    if not project.title:
        out.append(_("The title is missing."))
    if not project.summary:
        out.append(_("The summary is missing."))
    if project.subcommittee_id is None:
        out.append(_("Choose the subcommittee."))
    _scope, problem = derive_scope(project.countries.all())
    if problem:
        out.append(problem)
    problem = sector_problem(s.percentage for s in project.sectors.all())
    if problem:
        out.append(problem)
    if not (project.planned_start and project.planned_end):
        out.append(_("Give the planned start and end dates."))
    return out
