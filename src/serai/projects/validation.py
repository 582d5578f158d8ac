"""Project rules that are not single-field checks: scope, sector percentages, dates, tags, proposal
completeness. Forms, the API and the admin all reach them through the model's ``clean`` and the
operations, so one rule answers every door."""

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


MAX_TAGS = 20
MAX_TAG_LENGTH = 60
DATE_PAIRS = (("planned_start", "planned_end"), ("actual_start", "actual_end"))


def sector_problem(percentages: Iterable[Decimal]) -> str | None:
    """Each share is more than 0 and at most 100, and the shares add up to exactly 100 (so
    -50 and 150 do not pass)."""
    values = list(percentages)
    if not values:
        return _("Give at least one cooperation field with its DAC purpose code.")
    if any(v is None or not Decimal("0") < v <= Decimal("100") for v in values):
        return _("Each sector percentage is more than 0 and at most 100.")
    total = sum(values, Decimal("0"))
    if total != Decimal("100"):
        return _("The sector percentages add up to %(total)s, not 100.") % {"total": plain_decimal(total)}
    return None


def date_problems(dates: dict) -> dict[str, str]:
    """An end before its start, keyed by the end's field name."""
    out = {}
    for start, end in DATE_PAIRS:
        if dates.get(start) and dates.get(end) and dates[end] < dates[start]:
            out[end] = _("The end date cannot be before the start date.")
    return out


def tag_problem(tags) -> str | None:
    """Tags are a list of at most MAX_TAGS short texts."""
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return _("Tags are a list of texts.")
    if len(tags) > MAX_TAGS:
        return _("Give at most %(n)d tags.") % {"n": MAX_TAGS}
    if any(not t.strip() or len(t) > MAX_TAG_LENGTH for t in tags):
        return _("Each tag has 1 to %(n)d characters.") % {"n": MAX_TAG_LENGTH}
    return None


def project_problems(project) -> dict[str, str]:
    """The project's own fields that do not fit together (the model's ``clean``)."""
    out = date_problems({name: getattr(project, name) for pair in DATE_PAIRS for name in pair})
    problem = tag_problem(project.tags)
    if problem:
        out["tags"] = problem
    return out


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
